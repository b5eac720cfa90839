//! Organisations, users and apprenticeships: validation, conflicts and the audit trail.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::app::assert_problem;
use crate::helpers::spawn_app;
use crate::helpers::world::{PASSWORD, World, admin, created, id, organisation};

fn fields(body: &Value) -> Vec<String> {
    let mut fields: Vec<String> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field").to_string())
        .collect();
    fields.sort();
    fields
}

#[tokio::test]
async fn a_new_user_is_validated_field_by_field() {
    let app = spawn_app().await;
    let token = app.token(&admin(&app).await, PASSWORD).await;
    let provider = organisation(&app, &token, "College", "provider").await;
    let body = assert_problem(
        app.post_as(
            &token,
            "/api/v1/users",
            &json!({ "email": "not-an-email", "name": " ", "role": "apprentice",
                     "organisation_id": provider, "password": "short" }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        fields(&body),
        vec!["email", "name", "organisation_id", "password"]
    );
    let body = assert_problem(
        app.post_as(
            &token,
            "/api/v1/users",
            &json!({ "email": "a@b.uk", "name": "A", "role": "admin",
                     "organisation_id": provider, "password": PASSWORD }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&body), vec!["organisation_id"]);
}

#[tokio::test]
async fn emails_are_unique_whatever_their_case() {
    let app = spawn_app().await;
    let token = app.token(&admin(&app).await, PASSWORD).await;
    let org = organisation(&app, &token, "Trust", "employer").await;
    let user = |email: &str| {
        json!({ "email": email, "name": "Mentor", "role": "employer",
                "organisation_id": org, "password": PASSWORD })
    };
    created(
        app.post_as(&token, "/api/v1/users", &user("Mentor@Trust.nhs.uk"))
            .await,
    )
    .await;
    let body = assert_problem(
        app.post_as(&token, "/api/v1/users", &user("mentor@trust.NHS.uk"))
            .await,
        409,
    )
    .await;
    assert_eq!(body["code"], "email_taken");
}

#[tokio::test]
async fn an_apprenticeship_names_every_wrong_party() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    // B's apprentice, mentor and tutor do not belong to A's organisations; dates reversed.
    let body = assert_problem(
        app.post_as(
            &w.admin.token,
            "/api/v1/apprenticeships",
            &json!({
                "apprentice_id": w.b.apprentice.id, "standard": "ST0220",
                "employer_id": w.a.employer_org, "provider_id": w.a.provider_org,
                "mentor_id": w.b.mentor.id, "tutor_id": w.b.tutor.id,
                "start_date": "2026-06-01", "expected_end_date": "2026-01-01",
            }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        fields(&body),
        vec![
            "apprentice_id",
            "expected_end_date",
            "mentor_id",
            "tutor_id"
        ]
    );
    let body = assert_problem(
        app.post_as(
            &w.admin.token,
            "/api/v1/apprenticeships",
            &json!({
                "apprentice_id": w.a.apprentice.id, "standard": "ST9999",
                "employer_id": w.a.provider_org, "provider_id": w.a.employer_org,
                "mentor_id": w.a.mentor.id, "tutor_id": w.a.tutor.id,
                "start_date": "2026-01-01", "expected_end_date": "2027-01-01",
            }),
        )
        .await,
        422,
    )
    .await;
    for field in ["standard", "employer_id", "provider_id"] {
        assert!(fields(&body).contains(&field.to_string()), "{field}");
    }
}

#[tokio::test]
async fn an_apprenticeship_shows_its_parties() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let body: Value = app
        .get_as(
            &w.a.apprentice.token,
            &format!("/api/v1/apprenticeships/{}", w.a.apprenticeship),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["standard"], "ST0220");
    assert_eq!(body["standard_version"], "1.1");
    assert_eq!(body["apprentice"]["id"], w.a.apprentice.id);
    assert_eq!(body["tutor"]["name"], "Tutor A");
    assert_eq!(body["employer"]["name"], "Employer A");
    assert_eq!(body["start_date"], "2025-09-01");
}

async fn audit(app: &crate::helpers::TestApp, token: &str, query: &str) -> Vec<Value> {
    let body: Value = app
        .get_as(token, &format!("/api/v1/audit?{query}"))
        .await
        .json()
        .await
        .expect("json");
    body["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn every_change_writes_an_audit_row_with_actor_and_request_id() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    for (entity_type, entity_id, action) in [
        (
            "organisation",
            w.a.provider_org.as_str(),
            "organisation.created",
        ),
        ("user", w.a.apprentice.id.as_str(), "user.created"),
        (
            "apprenticeship",
            w.a.apprenticeship.as_str(),
            "apprenticeship.created",
        ),
    ] {
        let rows = audit(
            &app,
            &w.admin.token,
            &format!("entity_type={entity_type}&entity_id={entity_id}"),
        )
        .await;
        assert_eq!(rows.len(), 1, "{entity_type}");
        assert_eq!(rows[0]["action"], action);
        assert_eq!(rows[0]["actor_id"], w.admin.id);
        assert!(
            rows[0]["request_id"]
                .as_str()
                .is_some_and(|r| !r.is_empty())
        );
    }
    let response = app
        .as_user(
            &w.admin.token,
            Method::PATCH,
            &format!("/api/v1/users/{}", w.a.mentor.id),
        )
        .header("x-request-id", "deactivate-1")
        .json(&json!({ "active": false }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let rows = audit(
        &app,
        &w.admin.token,
        &format!("entity_type=user&entity_id={}", w.a.mentor.id),
    )
    .await;
    assert_eq!(rows[0]["action"], "user.deactivated");
    assert_eq!(rows[0]["request_id"], "deactivate-1");
    assert_eq!(rows[0]["summary"]["active"]["to"], false);
    let logins = audit(&app, &w.admin.token, "entity_type=session").await;
    assert!(logins.iter().any(|r| r["action"] == "auth.login"));
}

#[tokio::test]
async fn a_failed_change_writes_no_audit_row() {
    let app = spawn_app().await;
    let token = app.token(&admin(&app).await, PASSWORD).await;
    let before = audit(&app, &token, "limit=200").await.len();
    organisation(&app, &token, "Trust", "employer").await;
    assert_problem(
        app.post_as(
            &token,
            "/api/v1/organisations",
            &json!({ "name": "TRUST", "kind": "employer" }),
        )
        .await,
        409,
    )
    .await;
    assert_problem(
        app.post_as(
            &token,
            "/api/v1/organisations",
            &json!({ "name": "", "kind": "employer" }),
        )
        .await,
        422,
    )
    .await;
    let rows = audit(&app, &token, "entity_type=organisation").await;
    assert_eq!(rows.len(), 1, "only the successful creation");
    assert_eq!(audit(&app, &token, "limit=200").await.len(), before + 1);
}

#[tokio::test]
async fn provider_staff_see_the_audit_rows_of_their_organisation_only() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let rows = audit(&app, &w.a.tutor.token, "limit=200").await;
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .any(|r| r["entity_id"] == w.a.apprenticeship.as_str())
    );
    assert!(
        !rows
            .iter()
            .any(|r| r["entity_id"] == w.b.apprenticeship.as_str())
    );
    assert!(
        !rows
            .iter()
            .any(|r| r["entity_id"] == w.b.provider_org.as_str())
    );
}

#[tokio::test]
async fn the_audit_trail_cannot_be_rewritten() {
    let app = spawn_app().await;
    let _ = admin(&app).await;
    let mut conn = app.db.connect().await;
    use diesel_async::SimpleAsyncConnection;
    conn.batch_execute(
        "INSERT INTO audit_log (action, entity_type, entity_id) VALUES ('x.y', 'x', '1')",
    )
    .await
    .expect("insert works");
    assert!(
        conn.batch_execute("UPDATE audit_log SET action = 'changed'")
            .await
            .is_err()
    );
    assert!(conn.batch_execute("DELETE FROM audit_log").await.is_err());
}

#[tokio::test]
async fn create_admin_reads_the_password_from_stdin_and_the_admin_can_sign_in() {
    use std::io::Write;
    let app = spawn_app().await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ksbfolio"))
        .args([
            "users",
            "create-admin",
            "--email",
            "root@trust.nhs.uk",
            "--name",
            "Root Admin",
        ])
        .env("DATABASE_URL", &app.db.url)
        .env_remove("KSBFOLIO_ADMIN_PASSWORD")
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("finishes");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let login = app.login("root@trust.nhs.uk", PASSWORD).await;
    assert_eq!(login["user"]["role"], "admin");
    assert_eq!(
        id(&login["user"]),
        login["user"]["id"].as_str().expect("id")
    );
}

#[tokio::test]
async fn an_apprentice_is_enrolled_once_per_standard_and_the_conflict_names_the_enrolment() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let again = json!({
        "apprentice_id": w.a.apprentice.id, "standard": "st0220",
        "employer_id": w.a.employer_org, "provider_id": w.a.provider_org,
        "mentor_id": w.a.mentor.id, "tutor_id": w.a.tutor.id,
        "start_date": "2026-09-01", "expected_end_date": "2028-08-31",
    });
    for token in [&w.admin.token, &w.a.tutor.token] {
        let body = assert_problem(
            app.post_as(token, "/api/v1/apprenticeships", &again).await,
            409,
        )
        .await;
        assert_eq!(body["code"], "already_enrolled");
        assert!(
            body["detail"]
                .as_str()
                .is_some_and(|d| d.contains(&w.a.apprenticeship)),
            "{body}"
        );
    }
    let listed: Value = app
        .get_as(&w.admin.token, "/api/v1/apprenticeships")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["total"], 2, "nothing was written");
}

#[tokio::test]
async fn the_user_list_searches_names_and_emails_within_the_callers_scope() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let names = |body: Value| -> Vec<String> {
        let mut names: Vec<String> = body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|u| u["name"].as_str().expect("name").to_string())
            .collect();
        names.sort();
        names
    };
    let search = |token: String, q: &'static str| {
        let app = &app;
        async move {
            let response = app.get_as(&token, &format!("/api/v1/users?q={q}")).await;
            assert_eq!(response.status().as_u16(), 200);
            response.json::<Value>().await.expect("json")
        }
    };
    assert_eq!(
        names(search(w.admin.token.clone(), "apprentice%20a").await),
        vec!["Apprentice A"]
    );
    assert_eq!(
        names(search(w.admin.token.clone(), "MENTOR").await),
        vec!["Mentor A", "Mentor B"]
    );
    let by_email =
        w.a.tutor
            .email
            .split('@')
            .next()
            .expect("local part")
            .to_uppercase();
    let response = app
        .get_as(&w.admin.token, &format!("/api/v1/users?q={by_email}"))
        .await;
    let body: Value = response.json().await.expect("json");
    assert_eq!(names(body), vec!["Tutor A"]);
    // LIKE wildcards are literal, and the scope still holds.
    assert_eq!(
        names(search(w.admin.token.clone(), "%25").await),
        Vec::<String>::new()
    );
    assert_eq!(
        names(search(w.b.tutor.token.clone(), "Apprentice").await),
        vec!["Apprentice B"]
    );
    let long = "x".repeat(201);
    let body = assert_problem(
        app.get_as(&w.admin.token, &format!("/api/v1/users?q={long}"))
            .await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "q");
}
