//! The authorization matrix: every endpoint, called as every role, inside and outside scope,
//! with the exact status expected. Outside scope is 404 (ids leak nothing); inside scope but not
//! allowed is 403; no token is 401.

use diesel_async::AsyncConnection;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::world::{PASSWORD, World};
use crate::helpers::{TestApp, spawn_app};

/// Expected statuses, in the order of `World::people()`:
/// admin, tutor A, mentor A, apprentice A, tutor B, mentor B, apprentice B; then anonymous.
struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    expect: [u16; 8],
}

fn case(method: Method, path: String, body: Option<Value>, expect: [u16; 8]) -> Case {
    Case {
        method,
        path,
        body,
        expect,
    }
}

#[tokio::test]
async fn every_endpoint_answers_every_role_with_the_exact_status() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    let new_user = |n: &str| {
        json!({
            "email": format!("new-{n}-{}@ksbfolio.test", uuid::Uuid::new_v4().simple()),
            "name": "New Person", "role": "apprentice",
            "organisation_id": a.employer_org, "password": PASSWORD,
        })
    };
    let enrol = json!({
        "apprentice_id": a.apprentice.id, "standard": "ST0220",
        "employer_id": a.employer_org, "provider_id": a.provider_org,
        "mentor_id": a.mentor.id, "tutor_id": a.tutor.id,
        "start_date": "2026-01-05", "expected_end_date": "2028-01-05",
    });
    let apprentice_a = format!("/api/v1/users/{}", a.apprentice.id);
    let cases = vec![
        case(
            Method::GET,
            "/api/v1/me".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::GET,
            "/api/v1/standards/ST0220".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        case(
            Method::GET,
            "/api/v1/standards/ST0220/versions/1.1".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        case(
            Method::GET,
            "/api/v1/organisations".into(),
            None,
            [200, 200, 403, 403, 200, 403, 403, 401],
        ),
        case(
            Method::POST,
            "/api/v1/organisations".into(),
            Some(json!({"name": "Org X", "kind": "employer"})),
            [201, 403, 403, 403, 403, 403, 403, 401],
        ),
        case(
            Method::GET,
            "/api/v1/users".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::POST,
            "/api/v1/users".into(),
            Some(new_user("x")),
            [201, 201, 403, 403, 201, 403, 403, 401],
        ),
        case(
            Method::GET,
            apprentice_a.clone(),
            None,
            [200, 200, 200, 200, 404, 404, 404, 401],
        ),
        case(
            Method::PATCH,
            apprentice_a.clone(),
            Some(json!({"name": "Renamed"})),
            [200, 200, 403, 403, 404, 404, 404, 401],
        ),
        case(
            Method::POST,
            "/api/v1/users".into(),
            Some(json!({
                "email": "mentor@ksbfolio.test", "name": "New Mentor", "role": "employer",
                "organisation_id": a.employer_org, "password": PASSWORD,
            })),
            [201, 403, 403, 403, 403, 403, 403, 401],
        ),
        case(
            Method::PATCH,
            format!("/api/v1/users/{}", a.mentor.id),
            Some(json!({"name": "Mentor A"})),
            [200, 403, 403, 404, 404, 404, 404, 401],
        ),
        case(
            Method::GET,
            format!("/api/v1/users/{}", a.tutor.id),
            None,
            [200, 200, 404, 404, 404, 404, 404, 401],
        ),
        case(
            Method::PATCH,
            format!("/api/v1/users/{}", a.tutor.id),
            Some(json!({"name": "Tutor"})),
            [200, 403, 404, 404, 404, 404, 404, 401],
        ),
        case(
            Method::GET,
            "/api/v1/apprenticeships".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::POST,
            "/api/v1/apprenticeships".into(),
            Some(enrol),
            [201, 201, 403, 403, 403, 403, 403, 401],
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{}", a.apprenticeship),
            None,
            [200, 200, 200, 200, 404, 404, 404, 401],
        ),
        case(
            Method::GET,
            "/api/v1/audit".into(),
            None,
            [200, 200, 403, 403, 200, 403, 403, 401],
        ),
    ];

    let people = w.people();
    let mut failures = Vec::new();
    for c in &cases {
        for (i, expected) in c.expect.iter().enumerate() {
            let mut request = app.request(c.method.clone(), &c.path);
            let who = if i < people.len() {
                request = request.bearer_auth(&people[i].1.token);
                people[i].0
            } else {
                "anonymous"
            };
            if let Some(body) = &c.body {
                // A fresh e-mail each time, so a 201 for one caller does not make a 409 for the next.
                let mut body = body.clone();
                if body.get("password").is_some() {
                    body["email"] = new_user(&i.to_string())["email"].clone();
                }
                if body.get("kind").is_some() {
                    body["name"] = format!("Org {i}").into();
                }
                // A fresh apprentice each time: one enrolment per standard per apprentice.
                if body.get("apprentice_id").is_some() {
                    let fresh = crate::helpers::world::user(
                        &app,
                        &w.admin.token,
                        "apprentice",
                        &a.employer_org,
                        "Fresh Apprentice",
                    )
                    .await;
                    body["apprentice_id"] = fresh.id.into();
                }
                request = request.json(&body);
            }
            let status = request.send().await.expect("sent").status().as_u16();
            if status != *expected {
                failures.push(format!(
                    "{} {} as {who}: expected {expected}, got {status}",
                    c.method, c.path
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

async fn ids(response: reqwest::Response) -> Vec<String> {
    let body: Value = response.json().await.expect("json");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect()
}

#[tokio::test]
async fn lists_hold_only_what_is_in_scope() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    for (who, token, expected) in [
        (
            "apprentice A",
            &w.a.apprentice.token,
            vec![w.a.apprenticeship.clone()],
        ),
        (
            "mentor A",
            &w.a.mentor.token,
            vec![w.a.apprenticeship.clone()],
        ),
        (
            "tutor B",
            &w.b.tutor.token,
            vec![w.b.apprenticeship.clone()],
        ),
    ] {
        assert_eq!(
            ids(app.get_as(token, "/api/v1/apprenticeships").await).await,
            expected,
            "{who}"
        );
    }
    let mut all = ids(app.get_as(&w.admin.token, "/api/v1/apprenticeships").await).await;
    all.sort();
    let mut both = vec![w.a.apprenticeship.clone(), w.b.apprenticeship.clone()];
    both.sort();
    assert_eq!(all, both);

    let users_of_tutor_a = ids(app.get_as(&w.a.tutor.token, "/api/v1/users").await).await;
    assert!(users_of_tutor_a.contains(&w.a.apprentice.id));
    assert!(users_of_tutor_a.contains(&w.a.mentor.id));
    assert!(!users_of_tutor_a.contains(&w.b.apprentice.id));
    assert!(!users_of_tutor_a.contains(&w.admin.id));
    assert_eq!(
        ids(app.get_as(&w.a.apprentice.token, "/api/v1/users").await).await,
        vec![w.a.apprentice.id.clone()]
    );
}

#[tokio::test]
async fn every_portfolio_endpoint_answers_every_role_with_the_exact_status() {
    use crate::helpers::portfolio::{accepted, id, log, sign_off, submit};
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    let draft = |title: &'static str| log(&app, me, a, title, &["S7"]);
    let to_edit = id(&draft("edit").await);
    let to_delete = id(&draft("delete").await);
    let to_submit = id(&draft("submit").await);
    let to_attach = id(&draft("attach").await);
    let to_review = id(&draft("review").await);
    submit(&app, me, &to_review).await;
    let to_withdraw = id(&draft("withdraw").await);
    submit(&app, me, &to_withdraw).await;
    accepted(&app, me, tutor, a, &["S7", "S8", "K2"]).await;
    let signoff = id(&sign_off(&app, &w.a.mentor.token, a, "S8").await.1);
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let attachment = {
        let part = reqwest::multipart::Part::bytes(png.clone()).file_name("a.png");
        let r = app
            .as_user(
                me,
                Method::POST,
                &format!("/api/v1/evidence/{to_attach}/attachments"),
            )
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status().as_u16(), 201);
        crate::helpers::world::id(&r.json().await.expect("json"))
    };
    let evidence_body = json!({ "title": "New", "kind": "observation", "occurred_on": "2026-01-02", "ksbs": ["K1"] });
    let seen_by_a = [200, 200, 200, 200, 404, 404, 404, 401];
    let cases = vec![
        case(
            Method::POST,
            format!("/api/v1/apprenticeships/{a}/evidence"),
            Some(evidence_body),
            [403, 403, 403, 201, 404, 404, 404, 401],
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{a}/evidence"),
            None,
            seen_by_a,
        ),
        case(
            Method::GET,
            format!("/api/v1/evidence/{to_edit}"),
            None,
            seen_by_a,
        ),
        case(
            Method::PATCH,
            format!("/api/v1/evidence/{to_edit}"),
            Some(json!({ "title": "Edited" })),
            [403, 403, 403, 200, 404, 404, 404, 401],
        ),
        case(
            Method::DELETE,
            format!("/api/v1/evidence/{to_delete}"),
            None,
            [403, 403, 403, 204, 404, 404, 404, 401],
        ),
        case(
            Method::POST,
            format!("/api/v1/evidence/{to_submit}/submit"),
            None,
            [403, 403, 403, 200, 404, 404, 404, 401],
        ),
        case(
            Method::POST,
            format!("/api/v1/evidence/{to_review}/review"),
            Some(json!({ "decision": "accepted", "feedback": "" })),
            [403, 200, 403, 403, 404, 404, 404, 401],
        ),
        case(
            Method::POST,
            format!("/api/v1/evidence/{to_withdraw}/withdraw"),
            Some(json!({ "reason": "Not mine" })),
            [403, 403, 403, 200, 404, 404, 404, 401],
        ),
        case(
            Method::GET,
            format!("/api/v1/evidence/{to_edit}/revisions"),
            None,
            seen_by_a,
        ),
        case(
            Method::POST,
            format!("/api/v1/evidence/{to_edit}/comments"),
            Some(json!({ "body": "A comment" })),
            [201, 201, 201, 201, 404, 404, 404, 401],
        ),
        case(
            Method::GET,
            format!("/api/v1/evidence/{to_edit}/comments"),
            None,
            seen_by_a,
        ),
        case(
            Method::POST,
            format!("/api/v1/evidence/{to_attach}/attachments"),
            Some(json!("file")),
            [403, 403, 403, 201, 404, 404, 404, 401],
        ),
        case(
            Method::GET,
            format!("/api/v1/evidence/{to_attach}/attachments"),
            None,
            seen_by_a,
        ),
        case(
            Method::GET,
            format!("/api/v1/evidence/{to_attach}/attachments/{attachment}"),
            None,
            seen_by_a,
        ),
        case(
            Method::DELETE,
            format!("/api/v1/evidence/{to_attach}/attachments/{attachment}"),
            None,
            [403, 403, 403, 204, 404, 404, 404, 401],
        ),
        case(
            Method::POST,
            format!("/api/v1/apprenticeships/{a}/signoffs"),
            Some(json!({ "ksb": "S7", "comment": "" })),
            [403, 403, 201, 403, 404, 404, 404, 401],
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{a}/signoffs"),
            None,
            seen_by_a,
        ),
        case(
            Method::POST,
            format!("/api/v1/apprenticeships/{a}/signoffs/bulk"),
            Some(json!({ "ksbs": ["K2"], "comment": "" })),
            [403, 403, 201, 403, 404, 404, 404, 401],
        ),
        case(
            Method::POST,
            format!("/api/v1/apprenticeships/{a}/signoffs/{signoff}/revoke"),
            Some(json!({ "reason": "Early" })),
            [403, 403, 200, 403, 404, 404, 404, 401],
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{a}/coverage"),
            None,
            seen_by_a,
        ),
        case(
            Method::GET,
            "/api/v1/review-queue".into(),
            None,
            [200, 200, 403, 403, 200, 403, 403, 401],
        ),
        case(
            Method::GET,
            "/api/v1/signoff-queue".into(),
            None,
            [200, 403, 200, 403, 403, 200, 403, 401],
        ),
        case(
            Method::GET,
            "/api/v1/caseload".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::GET,
            "/api/v1/inbox".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401],
        ),
    ];
    let people = w.people();
    let mut failures = Vec::new();
    for c in &cases {
        for (i, expected) in c.expect.iter().enumerate() {
            let mut request = app
                .request(c.method.clone(), &c.path)
                .header("if-match", "\"1\"");
            let who = match people.get(i) {
                Some((name, person)) => {
                    request = request.bearer_auth(&person.token);
                    *name
                }
                None => "anonymous",
            };
            request = match &c.body {
                Some(Value::String(s)) if s == "file" => {
                    let part = reqwest::multipart::Part::bytes(png.clone()).file_name("b.png");
                    request.multipart(reqwest::multipart::Form::new().part("file", part))
                }
                Some(body) => request.json(body),
                None => request,
            };
            let status = request.send().await.expect("sent").status().as_u16();
            if status != *expected {
                failures.push(format!(
                    "{} {} as {who}: expected {expected}, got {status}",
                    c.method, c.path
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

async fn status_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn patch_user(app: &TestApp, token: &str, id: &str, body: Value) -> (u16, Value) {
    status_of(
        app.as_user(token, Method::PATCH, &format!("/api/v1/users/{id}"))
            .json(&body)
            .send()
            .await
            .expect("sent"),
    )
    .await
}

/// The attacks a hostile tutor tried on a release build, each refused (403 inside scope, 404
/// outside it).
#[tokio::test]
async fn a_tutor_cannot_mint_mentors_or_pull_in_another_providers_people() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let tutor = &w.a.tutor.token;

    // A mentor with a password the tutor picks, in any employer: refused.
    for employer in [&w.a.employer_org, &w.b.employer_org] {
        let (status, body) = status_of(
            app.post_as(
                tutor,
                "/api/v1/users",
                &json!({
                    "email": format!("planted-{}@ksbfolio.test", uuid::Uuid::new_v4().simple()),
                    "name": "Planted Mentor", "role": "employer",
                    "organisation_id": employer, "password": PASSWORD,
                }),
            )
            .await,
        )
        .await;
        assert_eq!(status, 403, "{body}");
        assert!(
            body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("administrator"))
        );
    }

    // Enrolling provider B's apprentice, or B's mentor, by id: refused.
    let enrol = |apprentice: &str, employer: &str, mentor: &str| {
        json!({
            "apprentice_id": apprentice, "standard": "ST0220",
            "employer_id": employer, "provider_id": w.a.provider_org,
            "mentor_id": mentor, "tutor_id": w.a.tutor.id,
            "start_date": "2026-01-05", "expected_end_date": "2028-01-05",
        })
    };
    let b = &w.b;
    let (status, body) = status_of(
        app.post_as(
            tutor,
            "/api/v1/apprenticeships",
            &enrol(&b.apprentice.id, &b.employer_org, &b.mentor.id),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let fresh = crate::helpers::world::user(
        &app,
        &w.admin.token,
        "apprentice",
        &b.employer_org,
        "Fresh Apprentice",
    )
    .await;
    let (status, body) = status_of(
        app.post_as(
            tutor,
            "/api/v1/apprenticeships",
            &enrol(&fresh.id, &b.employer_org, &b.mentor.id),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403, "another provider's mentor: {body}");

    // Provider B's apprentice stays out of reach: rename, deactivate, reactivate are 404.
    for change in [
        json!({"name": "Renamed"}),
        json!({"active": false}),
        json!({"active": true}),
    ] {
        let (status, _) = patch_user(&app, tutor, &b.apprentice.id, change).await;
        assert_eq!(status, 404);
    }
    // And their own provider's mentor is not theirs to change.
    let (status, _) = patch_user(&app, tutor, &w.a.mentor.id, json!({"active": false})).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn only_an_admin_reactivates_a_user_an_admin_deactivated() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let apprentice = &w.a.apprentice.id;
    let (status, _) = patch_user(&app, &w.admin.token, apprentice, json!({"active": false})).await;
    assert_eq!(status, 200);
    let (status, body) =
        patch_user(&app, &w.a.tutor.token, apprentice, json!({"active": true})).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) =
        patch_user(&app, &w.admin.token, apprentice, json!({"active": true})).await;
    assert_eq!((status, body["active"].as_bool()), (200, Some(true)));

    // A tutor's own deactivation the tutor may undo.
    let (status, _) =
        patch_user(&app, &w.a.tutor.token, apprentice, json!({"active": false})).await;
    assert_eq!(status, 200);
    let (status, _) = patch_user(&app, &w.a.tutor.token, apprentice, json!({"active": true})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_user_a_provider_created_never_signs_off_that_providers_evidence() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    // An employer user created by provider A's staff before the rule existed (a factory row:
    // the API no longer lets a provider create one).
    let email = format!(
        "legacy-mentor-{}@ksbfolio.test",
        uuid::Uuid::new_v4().simple()
    );
    let hash =
        ksbfolio::auth::password::hash(PASSWORD, crate::helpers::app::TEST_HASHING).expect("hash");
    let mut conn = diesel_async::AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("connect");
    let employer = uuid::Uuid::parse_str(&w.a.employer_org).expect("uuid");
    let provider = uuid::Uuid::parse_str(&w.a.provider_org).expect("uuid");
    ksbfolio::db::users::insert(
        &mut conn,
        &ksbfolio::db::users::NewUser {
            email: &email,
            name: "Legacy Mentor",
            role: ksbfolio::domain::identity::Role::Employer,
            organisation_id: Some(employer),
            created_by_organisation_id: Some(provider),
            password_hash: &hash,
        },
    )
    .await
    .expect("row");
    let planted = app.token(&email, PASSWORD).await;
    crate::helpers::portfolio::accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S1"],
    )
    .await;
    let (status, body) =
        crate::helpers::portfolio::sign_off(&app, &planted, &w.a.apprenticeship, "S1").await;
    assert_eq!(status, 403, "{body}");
    let (status, body) =
        crate::helpers::portfolio::sign_off(&app, &w.a.mentor.token, &w.a.apprenticeship, "S1")
            .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn every_otj_review_and_break_endpoint_answers_every_role_with_the_exact_status() {
    use crate::helpers::reviews::{create_review, log_otj, sign};
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    let entry = |day: &'static str| log_otj(&app, me, a, day, 30);
    let to_read = crate::helpers::world::id(&entry("2026-01-05").await.1);
    let to_edit = crate::helpers::world::id(&entry("2026-01-06").await.1);
    let to_delete = crate::helpers::world::id(&entry("2026-01-07").await.1);
    let to_review = crate::helpers::world::id(&entry("2026-01-08").await.1);
    let review = |held_on: &'static str| create_review(&app, tutor, a, held_on);
    let to_read_review = crate::helpers::world::id(&review("2026-02-02").await);
    let to_edit_review = crate::helpers::world::id(&review("2026-02-03").await);
    let to_sign = crate::helpers::world::id(&review("2026-02-04").await);
    let to_reopen = crate::helpers::world::id(&review("2026-02-05").await);
    assert_eq!(sign(&app, tutor, &to_reopen).await.0, 201);
    let (status, opened) = crate::helpers::portfolio::act(
        &app,
        tutor,
        &format!("/api/v1/apprenticeships/{a}/breaks"),
        Some(json!({ "starts_on": "2026-03-02", "reason": "Illness" })),
    )
    .await;
    assert_eq!(status, 201, "{opened}");
    let open_break = crate::helpers::world::id(&opened);
    let seen_by_a = [200, 200, 200, 200, 404, 404, 404, 401];
    let apprentice_only = |ok: u16| [403, 403, 403, ok, 404, 404, 404, 401];
    let provider_only = |ok: u16| [403, ok, 403, 403, 404, 404, 404, 401];
    let cases = vec![
        case(
            Method::PATCH,
            format!("/api/v1/apprenticeships/{a}"),
            Some(json!({ "rpl_reduction_hours": 0 })),
            [200, 200, 403, 403, 404, 404, 404, 401],
        ),
        case(
            Method::PATCH,
            "/api/v1/standards/ST0220/versions/1.1".into(),
            Some(json!({ "minimum_otj_hours": null })),
            [200, 403, 403, 403, 403, 403, 403, 401],
        ),
        case(
            Method::POST,
            format!("/api/v1/apprenticeships/{a}/otj"),
            Some(
                json!({ "occurred_on": "2026-01-09", "minutes": 30, "activity": "assignment", "description": "Essay" }),
            ),
            apprentice_only(201),
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{a}/otj"),
            None,
            seen_by_a,
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{a}/otj/summary"),
            None,
            seen_by_a,
        ),
        case(
            Method::GET,
            format!("/api/v1/otj/{to_read}"),
            None,
            seen_by_a,
        ),
        case(
            Method::PATCH,
            format!("/api/v1/otj/{to_edit}"),
            Some(json!({ "minutes": 45 })),
            apprentice_only(200),
        ),
        case(
            Method::DELETE,
            format!("/api/v1/otj/{to_delete}"),
            None,
            apprentice_only(204),
        ),
        case(
            Method::POST,
            format!("/api/v1/otj/{to_review}/review"),
            Some(json!({ "decision": "approved" })),
            provider_only(200),
        ),
        case(
            Method::GET,
            "/api/v1/otj-queue".into(),
            None,
            [200, 200, 403, 403, 200, 403, 403, 401],
        ),
        case(
            Method::POST,
            format!("/api/v1/apprenticeships/{a}/reviews"),
            Some(json!({ "held_on": "2026-02-06" })),
            provider_only(201),
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{a}/reviews"),
            None,
            seen_by_a,
        ),
        case(
            Method::GET,
            format!("/api/v1/reviews/{to_read_review}"),
            None,
            seen_by_a,
        ),
        case(
            Method::PATCH,
            format!("/api/v1/reviews/{to_edit_review}"),
            Some(json!({ "held_on": "2026-02-03", "progress_notes": "Edited" })),
            provider_only(200),
        ),
        case(
            Method::POST,
            format!("/api/v1/reviews/{to_sign}/sign"),
            None,
            [403, 201, 201, 201, 404, 404, 404, 401],
        ),
        case(
            Method::POST,
            format!("/api/v1/reviews/{to_reopen}/reopen"),
            Some(json!({ "reason": "Corrections" })),
            provider_only(200),
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{a}/gateway"),
            None,
            seen_by_a,
        ),
        // Provider staff get past the policy and are told the form is not multipart.
        case(
            Method::POST,
            "/api/v1/apprenticeships/import".into(),
            None,
            [403, 400, 403, 403, 400, 403, 403, 401],
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{a}/portfolio.zip"),
            None,
            seen_by_a,
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{a}/portfolio.pdf"),
            None,
            seen_by_a,
        ),
        case(
            Method::GET,
            "/api/v1/schemas/portfolio.json".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        case(
            Method::PUT,
            format!("/api/v1/apprenticeships/{a}/english-maths"),
            Some(json!({ "english": "achieved", "maths": "pending" })),
            provider_only(200),
        ),
        // Not ready: the three parties are refused (409) for that reason, admins never declare.
        case(
            Method::POST,
            format!("/api/v1/apprenticeships/{a}/gateway/declarations"),
            None,
            [403, 409, 409, 409, 404, 404, 404, 401],
        ),
        // Nobody has declared: provider staff are told there is nothing to withdraw.
        case(
            Method::POST,
            format!("/api/v1/apprenticeships/{a}/gateway/withdraw"),
            Some(json!({ "reason": "Further work" })),
            provider_only(409),
        ),
        case(
            Method::GET,
            format!("/api/v1/apprenticeships/{a}/breaks"),
            None,
            seen_by_a,
        ),
        case(
            Method::POST,
            format!("/api/v1/apprenticeships/{a}/breaks/{open_break}/end"),
            Some(json!({ "ends_on": "2026-03-06" })),
            provider_only(200),
        ),
        case(
            Method::POST,
            format!("/api/v1/apprenticeships/{a}/breaks"),
            Some(json!({ "starts_on": "2026-04-01", "reason": "Parental leave" })),
            provider_only(201),
        ),
        case(
            Method::GET,
            "/api/v1/me/notifications".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::PUT,
            "/api/v1/me/notifications".into(),
            Some(json!({ "delivery": "immediate" })),
            [200, 200, 200, 200, 200, 200, 200, 401],
        ),
        case(
            Method::GET,
            "/api/v1/admin/outbox".into(),
            None,
            [200, 403, 403, 403, 403, 403, 403, 401],
        ),
        case(
            Method::POST,
            "/api/v1/auth/sign-in-link/redeem".into(),
            Some(json!({ "token": "not-a-link" })),
            [401, 401, 401, 401, 401, 401, 401, 401],
        ),
    ];
    let people = w.people();
    let mut failures = Vec::new();
    for c in &cases {
        for (i, expected) in c.expect.iter().enumerate() {
            let mut request = app
                .request(c.method.clone(), &c.path)
                .header("if-match", "\"1\"");
            let who = match people.get(i) {
                Some((name, person)) => {
                    request = request.bearer_auth(&person.token);
                    *name
                }
                None => "anonymous",
            };
            if let Some(body) = &c.body {
                request = request.json(body);
            }
            let status = request.send().await.expect("sent").status().as_u16();
            if status != *expected {
                failures.push(format!(
                    "{} {} as {who}: expected {expected}, got {status}",
                    c.method, c.path
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn anyone_may_ask_for_a_sign_in_link_with_or_without_a_token() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let mut tokens: Vec<Option<&str>> = w
        .people()
        .iter()
        .map(|(_, p)| Some(p.token.as_str()))
        .collect();
    tokens.push(None);
    for (n, token) in tokens.into_iter().enumerate() {
        let mut request = app
            .request(Method::POST, "/api/v1/auth/sign-in-link")
            .json(&json!({ "email": format!("asker-{n}@ksbfolio.test") }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        assert_eq!(request.send().await.expect("sent").status().as_u16(), 202);
    }
}
