//! The one error model: every failure is problem+json with the right status.

use reqwest::Method;
use serde_json::json;

use crate::helpers::app::{assert_problem, spawn_app_on};
use crate::helpers::database::TestDatabase;
use crate::helpers::spawn_app;

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .expect("sent");
    let body = assert_problem(response, 400).await;
    assert_eq!(body["code"], "bad_request");
}

#[tokio::test]
async fn a_missing_or_mistyped_field_is_422_naming_it() {
    let app = spawn_app().await;
    let body = assert_problem(
        app.post("/api/v1/auth/login", &json!({ "email": "a@b.uk" }))
            .await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "password");
    let body = assert_problem(
        app.post(
            "/api/v1/auth/login",
            &json!({ "email": 42, "password": "x" }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "email");
}

#[tokio::test]
async fn an_unknown_route_is_404() {
    let app = spawn_app().await;
    let body = assert_problem(app.get("/api/v1/no-such-thing").await, 404).await;
    assert_eq!(body["code"], "not_found");
    assert_problem(app.get("/api/elsewhere").await, 404).await;
}

#[tokio::test]
async fn a_wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    let response = app
        .request(Method::DELETE, "/api/v1/standards")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.headers()["allow"], "GET");
    let body = assert_problem(response, 405).await;
    assert_eq!(body["code"], "method_not_allowed");
}

#[tokio::test]
async fn a_json_body_over_the_limit_is_413() {
    let app = spawn_app_on(TestDatabase::new().await, |s| s.json_limit = 1024).await;
    let big = json!({ "email": "a@b.uk", "password": "x".repeat(4096) });
    let body = assert_problem(app.post("/api/v1/auth/login", &big).await, 413).await;
    assert_eq!(body["code"], "payload_too_large");
}

#[tokio::test]
async fn the_default_json_limit_is_one_mebibyte() {
    let app = spawn_app().await;
    let big = json!({ "email": "a@b.uk", "password": "x".repeat(1024 * 1024 + 1) });
    assert_problem(app.post("/api/v1/auth/login", &big).await, 413).await;
}

#[tokio::test]
async fn a_wrong_content_type_is_415() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "text/plain")
        .body("email=a@b.uk")
        .send()
        .await
        .expect("sent");
    let body = assert_problem(response, 415).await;
    assert_eq!(body["code"], "unsupported_media_type");
}

#[tokio::test]
async fn a_bad_query_parameter_is_422_naming_it() {
    let app = spawn_app().await;
    let email = crate::helpers::world::admin(&app).await;
    let token = app.token(&email, crate::helpers::world::PASSWORD).await;
    let body = assert_problem(app.get_as(&token, "/api/v1/users?limit=lots").await, 422).await;
    assert_eq!(body["errors"][0]["field"], "limit");
    let body = assert_problem(app.get_as(&token, "/api/v1/users?limit=5000").await, 422).await;
    assert_eq!(body["errors"][0]["field"], "limit");
}

#[tokio::test]
async fn errors_never_carry_sql_or_internal_causes() {
    // The database vanishes under a running app: the client gets a plain problem, no SQL text.
    let db = TestDatabase::new().await;
    let app = spawn_app_on(db, |_| {}).await;
    let email = crate::helpers::world::admin(&app).await;
    let token = app.token(&email, crate::helpers::world::PASSWORD).await;
    let mut conn = app.db.connect().await;
    use diesel_async::SimpleAsyncConnection;
    conn.batch_execute("DROP TABLE audit_log CASCADE")
        .await
        .expect("drop");
    let response = app
        .post_as(
            &token,
            "/api/v1/organisations",
            &json!({ "name": "Trust", "kind": "employer" }),
        )
        .await;
    let body = assert_problem(response, 500).await;
    let text = body.to_string().to_lowercase();
    for leak in [
        "audit_log",
        "relation",
        "select",
        "insert",
        "diesel",
        "panicked",
        ".rs",
    ] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }
}

#[tokio::test]
async fn the_frontend_is_served_with_a_fallback_for_pages_but_not_for_files() {
    let app = spawn_app_on(TestDatabase::new().await, |s| {
        let dir = s.data_dir.join("dist");
        std::fs::create_dir_all(dir.join("assets")).expect("dir");
        std::fs::write(
            dir.join("index.html"),
            "<!doctype html><title>ksbfolio</title>",
        )
        .expect("index");
        std::fs::write(dir.join("assets/app-1234.js"), "console.log(1)").expect("asset");
        s.static_dir = dir;
    })
    .await;
    let page = app.get("/progress/ksb/S7").await;
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(page.headers()["cache-control"], "no-cache");
    assert!(page.text().await.expect("html").contains("<title>ksbfolio"));
    let asset = app.get("/assets/app-1234.js").await;
    assert_eq!(asset.status().as_u16(), 200);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_problem(app.get("/assets/app-0000.js").await, 404).await;
    assert_problem(app.get("/api/v1/nothing-here").await, 404).await;
    let api = app.get("/api/v1/standards").await;
    assert_eq!(api.headers()["cache-control"], "no-store");
}
