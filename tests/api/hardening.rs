//! Input that must never reach the database (control characters, unbounded numbers) and the
//! browser hardening headers.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::app::{assert_problem, spawn_app_on};
use crate::helpers::database::TestDatabase;
use crate::helpers::portfolio::{id, log};
use crate::helpers::spawn_app;
use crate::helpers::world::{PASSWORD, World};

/// Puts `bad` into `field` of `body` (a dotted path with `[i]` for arrays).
fn with_bad(mut body: Value, field: &str, bad: &str) -> Value {
    let mut slot = &mut body;
    for part in field.split('.') {
        slot = match part.split_once('[') {
            Some((name, index)) => {
                let i: usize = index.trim_end_matches(']').parse().expect("index");
                &mut slot[name][i]
            }
            None => &mut slot[part],
        };
    }
    *slot = Value::String(bad.to_string());
    body
}

/// One request with text fields to spoil.
struct TextCase<'a> {
    token: Option<&'a str>,
    method: Method,
    path: String,
    body: Value,
    fields: &'a [&'a str],
}

#[tokio::test]
async fn a_control_character_in_any_text_field_is_422_naming_it() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let draft = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Draft",
        &["S1"],
    )
    .await);
    let admin = w.admin.token.as_str();
    let apprentice = w.a.apprentice.token.as_str();
    let tutor = w.a.tutor.token.as_str();
    let mentor = w.a.mentor.token.as_str();
    let user = json!({
        "email": "new@ksbfolio.test", "name": "New", "role": "apprentice",
        "organisation_id": w.a.employer_org, "password": PASSWORD,
    });
    let evidence = json!({
        "title": "T", "description": "D", "kind": "observation",
        "occurred_on": "2026-01-15", "ksbs": ["S1"],
    });
    let cases: Vec<TextCase> = vec![
        TextCase {
            token: None,
            method: Method::POST,
            path: "/api/v1/auth/login".into(),
            body: json!({"email": "a@b.uk", "password": "long enough password"}),
            fields: &["email", "password"],
        },
        TextCase {
            token: None,
            method: Method::POST,
            path: "/api/v1/auth/refresh".into(),
            body: json!({"refresh_token": "x"}),
            fields: &["refresh_token"],
        },
        TextCase {
            token: Some(admin),
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            body: json!({"name": "Org", "kind": "employer"}),
            fields: &["name"],
        },
        TextCase {
            token: Some(admin),
            method: Method::POST,
            path: "/api/v1/users".into(),
            body: user,
            fields: &["email", "name", "password"],
        },
        TextCase {
            token: Some(admin),
            method: Method::PATCH,
            path: format!("/api/v1/users/{}", w.a.apprentice.id),
            body: json!({"name": "N"}),
            fields: &["name"],
        },
        TextCase {
            token: Some(apprentice),
            method: Method::POST,
            path: format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship),
            body: evidence,
            fields: &["title", "description", "ksbs[0]"],
        },
        TextCase {
            token: Some(apprentice),
            method: Method::POST,
            path: format!("/api/v1/evidence/{draft}/comments"),
            body: json!({"body": "B"}),
            fields: &["body"],
        },
        TextCase {
            token: Some(tutor),
            method: Method::POST,
            path: format!("/api/v1/evidence/{draft}/review"),
            body: json!({"decision": "changes_requested", "feedback": "F"}),
            fields: &["feedback"],
        },
        TextCase {
            token: Some(apprentice),
            method: Method::POST,
            path: format!("/api/v1/evidence/{draft}/withdraw"),
            body: json!({"reason": "R"}),
            fields: &["reason"],
        },
        TextCase {
            token: Some(mentor),
            method: Method::POST,
            path: format!("/api/v1/apprenticeships/{}/signoffs", w.a.apprenticeship),
            body: json!({"ksb": "S1", "comment": "C"}),
            fields: &["ksb", "comment"],
        },
    ];
    let mut failures = Vec::new();
    for TextCase {
        token,
        method,
        path,
        body,
        fields,
    } in &cases
    {
        for field in *fields {
            for bad in ["nul \u{0} inside", "bell \u{7}", "escape \u{1b}[31m"] {
                let mut request = app.request(method.clone(), path);
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let response = request
                    .json(&with_bad(body.clone(), field, bad))
                    .send()
                    .await
                    .expect("sent");
                let status = response.status().as_u16();
                let problem: Value = response.json().await.unwrap_or(Value::Null);
                let named = problem["errors"][0]["field"].as_str().unwrap_or_default();
                if status != 422 || named != *field {
                    failures.push(format!(
                        "{method} {path} {field}: {status} naming {named:?}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn an_unescaped_control_character_is_422_naming_its_field() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "application/json")
        .body("{\"email\": \"a\u{1}b@x.uk\", \"password\": \"long enough password\"}")
        .send()
        .await
        .expect("sent");
    let body = assert_problem(response, 422).await;
    assert_eq!(body["errors"][0]["field"], "email");
}

#[tokio::test]
async fn control_characters_in_paths_and_query_strings_are_422_not_500() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let body = assert_problem(app.get("/api/v1/standards/ST%000220").await, 422).await;
    assert_eq!(body["errors"][0]["field"], "reference");
    let body = assert_problem(
        app.get_as(&w.admin.token, "/api/v1/audit?entity_type=user%00")
            .await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "entity_type");
    let body = assert_problem(
        app.get_as(&w.a.tutor.token, "/api/v1/caseload?sort=%07progress")
            .await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "sort");
}

#[tokio::test]
async fn numeric_query_parameters_are_bounded() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let tutor = &w.a.tutor.token;
    for (query, field) in [
        ("inactive_days=0", "inactive_days"),
        ("inactive_days=3651", "inactive_days"),
        ("inactive_days=2147483647", "inactive_days"),
        ("offset=1000001", "offset"),
        ("limit=201", "limit"),
    ] {
        let body = assert_problem(
            app.get_as(tutor, &format!("/api/v1/caseload?{query}"))
                .await,
            422,
        )
        .await;
        assert_eq!(body["errors"][0]["field"], field, "{query}");
    }
    for query in ["inactive_days=1", "inactive_days=3650", "offset=1000000"] {
        let response = app
            .get_as(tutor, &format!("/api/v1/caseload?{query}"))
            .await;
        assert_eq!(response.status().as_u16(), 200, "{query}");
    }
}

#[tokio::test]
async fn the_app_and_the_api_docs_carry_their_content_security_policies() {
    let app = spawn_app_on(TestDatabase::new().await, |s| {
        let dir = s.data_dir.join("dist");
        std::fs::create_dir_all(dir.join("assets")).expect("dir");
        std::fs::write(
            dir.join("index.html"),
            "<!doctype html><title>ksbfolio</title>",
        )
        .expect("index");
        std::fs::write(dir.join("assets/app-1234.js"), "console.log(1)").expect("asset");
        std::fs::write(dir.join("assets/app-1234.js.map"), "{}").expect("map");
        s.static_dir = dir;
    })
    .await;
    let app_policy = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
                      base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    for path in ["/", "/progress", "/api/v1/standards", "/api/v1/nothing"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["content-security-policy"], app_policy, "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.get("strict-transport-security").is_none(), "{path}");
    }
    let docs = app.get("/api/docs/").await;
    assert_eq!(docs.status().as_u16(), 200);
    let policy = docs.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(
        policy.contains("script-src 'self' 'unsafe-inline'"),
        "{policy}"
    );
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    // Source maps are never served, even when a build left one behind.
    assert_problem(app.get("/assets/app-1234.js.map").await, 404).await;
    assert_eq!(app.get("/assets/app-1234.js").await.status().as_u16(), 200);
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_deployment_asks_for_it() {
    let app = spawn_app_on(TestDatabase::new().await, |s| s.hsts = true).await;
    let response = app.get("/api/v1/standards").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}
