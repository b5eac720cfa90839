//! Moving provider: a portfolio exported at provider A is imported at provider B
//! (`POST /api/v1/apprenticeships/import`) with the same coverage per duty and OTJ figures;
//! the apprentice's enrolment at A ends as `transferred` (audited, still visible to A,
//! read-only); tampered, malformed or unknown archives are refused with nothing written; and
//! only provider staff import, with parties of their own.

use std::io::{Cursor, Read, Write};

use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::attachments::{PNG, stored_files, upload};
use crate::helpers::portfolio::{coverage, id, log, review, sign_off, submit};
use crate::helpers::reviews::{create_review, log_otj, review_otj, sign, summary};
use crate::helpers::world::World;
use crate::helpers::{TestApp, spawn_app};

/// Accepted evidence with a file, a draft, a sign-off, an approved OTJ entry and a review
/// signed by all three, on side A.
async fn portfolio(app: &TestApp, w: &World) {
    let a = &w.a;
    let accepted = id(&log(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Calibration log",
        &["S7", "K1"],
    )
    .await);
    let response = upload(
        app,
        &a.apprentice.token,
        &accepted,
        "calibration.png",
        PNG.to_vec(),
        "image/png",
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(submit(app, &a.apprentice.token, &accepted).await.0, 200);
    let (status, _) = review(app, &a.tutor.token, &accepted, "accepted", "").await;
    assert_eq!(status, 200);
    let other = id(&log(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Audit",
        &["K2"],
    )
    .await);
    assert_eq!(submit(app, &a.apprentice.token, &other).await.0, 200);
    let (status, _) = review(app, &a.tutor.token, &other, "accepted", "").await;
    assert_eq!(status, 200);
    let (status, _) = sign_off(app, &a.mentor.token, &a.apprenticeship, "S7").await;
    assert_eq!(status, 201);
    log(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Draft",
        &["B1"],
    )
    .await;
    let (_, entry) = log_otj(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        "2026-02-02",
        90,
    )
    .await;
    review_otj(app, &a.tutor.token, &id(&entry), "approved", None).await;
    log_otj(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        "2026-02-03",
        60,
    )
    .await;
    let held = create_review(app, &a.tutor.token, &a.apprenticeship, "2026-03-02").await;
    for token in [&a.tutor.token, &a.mentor.token, &a.apprentice.token] {
        assert_eq!(sign(app, token, &id(&held)).await.0, 201);
    }
}

async fn export(app: &TestApp, token: &str, apprenticeship: &str) -> Vec<u8> {
    let response = app
        .get_as(
            token,
            &format!("/api/v1/apprenticeships/{apprenticeship}/portfolio.zip"),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.bytes().await.expect("body").to_vec()
}

fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a valid ZIP archive");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut content = Vec::new();
            file.read_to_end(&mut content).expect("read");
            (file.name().expect("name").to_string(), content)
        })
        .collect()
}

fn archive(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(content).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

/// The archive with `portfolio.json` changed by `change`.
fn with_manifest(bytes: &[u8], change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut all = entries(bytes);
    let (_, json) = all
        .iter_mut()
        .find(|(name, _)| name == "portfolio.json")
        .expect("portfolio.json");
    let mut value: Value = serde_json::from_slice(json).expect("json");
    change(&mut value);
    *json = serde_json::to_vec(&value).expect("json");
    archive(&all)
}

/// Imports `bytes` as `token` at B's employer with B's mentor and tutor (or `parties`).
async fn import(app: &TestApp, token: &str, bytes: Vec<u8>, parties: [&str; 3]) -> (u16, Value) {
    let [employer, mentor, tutor] = parties;
    let form = Form::new()
        .part(
            "file",
            Part::bytes(bytes)
                .file_name("portfolio.zip")
                .mime_str("application/zip")
                .expect("mime"),
        )
        .text("employer_id", employer.to_string())
        .text("mentor_id", mentor.to_string())
        .text("tutor_id", tutor.to_string())
        .text("start_date", "2026-09-07");
    let response = app
        .as_user(
            token,
            reqwest::Method::POST,
            "/api/v1/apprenticeships/import",
        )
        .multipart(form)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn b_parties(w: &World) -> [&str; 3] {
    [&w.b.employer_org, &w.b.mentor.id, &w.b.tutor.id]
}

/// Rows of the tables an import writes, and the stored files.
async fn footprint(app: &TestApp) -> Vec<i64> {
    let mut conn = AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("connect");
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut counts = Vec::new();
    for table in [
        "apprenticeships",
        "users",
        "evidence",
        "evidence_revisions",
        "attachments",
        "signoffs",
        "otj_entries",
        "progress_reviews",
        "review_signatures",
        "audit_log",
    ] {
        let row: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result(&mut conn)
            .await
            .expect("count");
        counts.push(row.n);
    }
    counts.push(stored_files(app).len() as i64);
    counts
}

/// The figures of every duty, without ids.
fn duties(coverage: &Value) -> Value {
    coverage["duties"].clone()
}

#[tokio::test]
async fn a_portfolio_imported_at_another_provider_has_the_same_figures_per_duty() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    portfolio(&app, &w).await;
    let a = &w.a;
    let before = coverage(&app, &a.tutor.token, &a.apprenticeship).await;
    let otj_before = summary(&app, &a.tutor.token, &a.apprenticeship).await;
    let bytes = export(&app, &a.apprentice.token, &a.apprenticeship).await;

    let (status, created) = import(&app, &w.b.tutor.token, bytes, b_parties(&w)).await;
    assert_eq!(status, 201, "{created}");
    let imported = id(&created);
    assert_eq!(created["provider_id"], json!(w.b.provider_org));
    assert_eq!(created["apprentice_id"], json!(a.apprentice.id));
    assert_eq!(created["status"], "active");
    assert_eq!(
        created["origin"]["apprenticeship_id"],
        json!(a.apprenticeship)
    );
    assert_eq!(created["origin"]["provider"]["name"], "Provider A");

    let after = coverage(&app, &w.b.tutor.token, &imported).await;
    assert_eq!(duties(&after), duties(&before));
    assert_eq!(after["totals"], before["totals"]);
    assert!(
        after["totals"]["signed_off"].as_i64().unwrap_or(0) >= 1,
        "{after}"
    );
    let otj_after = summary(&app, &w.b.tutor.token, &imported).await;
    assert_eq!(
        otj_after["approved_minutes"],
        otj_before["approved_minutes"]
    );
    assert_eq!(otj_after["pending_minutes"], otj_before["pending_minutes"]);

    // The history came along: evidence with its file (verified), the signed review.
    let listed: Value = app
        .get_as(
            &w.b.tutor.token,
            &format!("/api/v1/apprenticeships/{imported}/evidence"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["total"], 3, "{listed}");
    let reviews: Value = app
        .get_as(
            &w.b.tutor.token,
            &format!("/api/v1/apprenticeships/{imported}/reviews"),
        )
        .await
        .json()
        .await
        .expect("json");
    let review = &reviews["items"][0];
    assert_eq!(review["status"], "signed", "{reviews}");
    assert_eq!(review["signatures"][1]["signer"]["name"], "Mentor A");

    // Exported again, the imported portfolio gives the same figures per duty.
    let again = export(&app, &w.b.tutor.token, &imported).await;
    let (_, json) = entries(&again)
        .into_iter()
        .find(|(name, _)| name == "portfolio.json")
        .expect("portfolio.json");
    let again: Value = serde_json::from_slice(&json).expect("json");
    assert_eq!(again["coverage"]["duties"], duties(&before));
    let png = entries(&export(&app, &w.b.tutor.token, &imported).await)
        .into_iter()
        .find(|(name, _)| name.ends_with("calibration.png"))
        .expect("the file came along");
    assert_eq!(png.1, PNG);

    // The enrolment at A ended as transferred: A still sees it, read-only.
    let old: Value = app
        .get_as(
            &a.tutor.token,
            &format!("/api/v1/apprenticeships/{}", a.apprenticeship),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(old["status"], "transferred", "{old}");
    assert_eq!(old["transferred_to"], json!(imported));
    let write = app
        .post_as(
            &a.apprentice.token,
            &format!("/api/v1/apprenticeships/{}/evidence", a.apprenticeship),
            &json!({
                "title": "After the move", "description": "", "kind": "observation",
                "occurred_on": "2026-09-10", "ksbs": ["K1"],
            }),
        )
        .await;
    assert_eq!(write.status().as_u16(), 409);
    let problem: Value = write.json().await.expect("json");
    assert_eq!(problem["code"], "transferred");
    // The apprentice writes in the new apprenticeship.
    let written = app
        .post_as(
            &a.apprentice.token,
            &format!("/api/v1/apprenticeships/{imported}/evidence"),
            &json!({
                "title": "At provider B", "description": "", "kind": "observation",
                "occurred_on": "2026-09-10", "ksbs": ["K1"],
            }),
        )
        .await;
    assert_eq!(written.status().as_u16(), 201);

    let mut conn = AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("connect");
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let audited: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'apprenticeship.transferred' \
         AND entity_id = $1",
    )
    .bind::<diesel::sql_types::Text, _>(&a.apprenticeship)
    .get_result(&mut conn)
    .await
    .expect("count");
    assert_eq!(audited.n, 1);
    // Kept figures equal a recomputation.
    let ((approved, pending), recomputed) =
        crate::helpers::reviews::kept_and_recomputed(&app, &imported).await;
    assert_eq!((approved, pending), recomputed);
}

#[tokio::test]
async fn a_tampered_attachment_is_refused_naming_the_file_and_nothing_is_written() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    portfolio(&app, &w).await;
    let bytes = export(&app, &w.a.apprentice.token, &w.a.apprenticeship).await;
    let mut all = entries(&bytes);
    let (path, content) = all
        .iter_mut()
        .find(|(name, _)| name.starts_with("attachments/"))
        .expect("an attachment");
    let path = path.clone();
    let last = content.len() - 1;
    content[last] ^= 0xff;
    let tampered = archive(&all);
    let before = footprint(&app).await;
    let (status, problem) = import(&app, &w.b.tutor.token, tampered, b_parties(&w)).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], json!(path), "{problem}");
    let message = problem["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("SHA-256") && message.contains(&path),
        "{problem}"
    );
    assert_eq!(footprint(&app).await, before);
}

#[tokio::test]
async fn malformed_unknown_or_incomplete_archives_are_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    portfolio(&app, &w).await;
    let bytes = export(&app, &w.a.apprentice.token, &w.a.apprenticeship).await;
    let without = |dropped: &dyn Fn(&str) -> bool| {
        archive(
            &entries(&bytes)
                .into_iter()
                .filter(|(name, _)| !dropped(name))
                .collect::<Vec<_>>(),
        )
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("not a zip", b"PK but not really".to_vec(), "file"),
        (
            "no portfolio.json",
            without(&|name| name == "portfolio.json"),
            "portfolio.json",
        ),
        (
            "unknown format",
            with_manifest(&bytes, |v| v["format"] = json!("ksbfolio-portfolio/99")),
            "format",
        ),
        (
            "unknown standard version",
            with_manifest(&bytes, |v| v["standard"]["version"] = json!("9.9")),
            "standard",
        ),
        (
            "an unknown field",
            with_manifest(&bytes, |v| v["surprise"] = json!(true)),
            "portfolio.json",
        ),
        (
            "a KSB the standard lacks",
            with_manifest(&bytes, |v| v["evidence"][0]["ksbs"] = json!(["Z99"])),
            "evidence[0].ksbs",
        ),
    ];
    let before = footprint(&app).await;
    for (what, archive, field) in cases {
        let (status, problem) = import(&app, &w.b.tutor.token, archive, b_parties(&w)).await;
        assert_eq!(status, 422, "{what}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{what}: {problem}");
    }
    // A listed attachment missing from the archive is named by its path.
    let missing = without(&|name| name.starts_with("attachments/"));
    let (status, problem) = import(&app, &w.b.tutor.token, missing, b_parties(&w)).await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem["errors"][0]["field"]
            .as_str()
            .unwrap_or_default()
            .starts_with("attachments/"),
        "{problem}"
    );
    assert_eq!(footprint(&app).await, before);
}

#[tokio::test]
async fn only_provider_staff_import_with_parties_of_their_own() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let bytes = export(&app, &w.a.apprentice.token, &w.a.apprenticeship).await;
    let before = footprint(&app).await;
    for (who, token) in [
        ("admin", &w.admin.token),
        ("mentor B", &w.b.mentor.token),
        ("apprentice B", &w.b.apprentice.token),
        ("apprentice A", &w.a.apprentice.token),
    ] {
        let (status, _) = import(&app, token, bytes.clone(), b_parties(&w)).await;
        assert_eq!(status, 403, "{who}");
    }
    // A tutor of another provider, a mentor of another employer.
    let (status, problem) = import(
        &app,
        &w.b.tutor.token,
        bytes.clone(),
        [&w.b.employer_org, &w.b.mentor.id, &w.a.tutor.id],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "tutor_id");
    let (status, problem) = import(
        &app,
        &w.b.tutor.token,
        bytes.clone(),
        [&w.b.employer_org, &w.a.mentor.id, &w.b.tutor.id],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "mentor_id");
    // The apprentice is already enrolled with provider A: A cannot import them again.
    let (status, problem) = import(
        &app,
        &w.a.tutor.token,
        bytes,
        [&w.a.employer_org, &w.a.mentor.id, &w.a.tutor.id],
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "already_enrolled");
    assert_eq!(footprint(&app).await, before);
}

#[tokio::test]
async fn an_apprentice_new_to_this_deployment_gets_an_account_to_set_a_password_for() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let bytes = export(&app, &w.a.apprentice.token, &w.a.apprenticeship).await;
    let email = format!("moved-{}@elsewhere.test", uuid::Uuid::new_v4().simple());
    let moved = with_manifest(&bytes, |v| {
        v["apprenticeship"]["apprentice"]["email"] = json!(email);
        v["apprenticeship"]["apprentice"]["name"] = json!("Morgan Moved");
    });
    let (status, created) = import(&app, &w.b.tutor.token, moved, b_parties(&w)).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["apprentice"]["email"], json!(email));
    assert_eq!(created["apprentice"]["name"], "Morgan Moved");
    // Nobody knows the password: signing in fails until the link is used.
    let login = app
        .post(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": crate::helpers::world::PASSWORD }),
        )
        .await;
    assert_eq!(login.status().as_u16(), 401);
    // The enrolment at A is untouched: another person.
    let old: Value = app
        .get_as(
            &w.a.tutor.token,
            &format!("/api/v1/apprenticeships/{}", w.a.apprenticeship),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(old["status"], "active");
}
