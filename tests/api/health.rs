use crate::helpers::app::{assert_problem, spawn_app_on};
use crate::helpers::database::TestDatabase;
use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_answers_ok_with_a_request_id() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_is_ok_on_a_migrated_database() {
    let app = spawn_app().await;
    assert_eq!(app.get("/readyz").await.status().as_u16(), 200);
}

#[tokio::test]
async fn readyz_answers_503_when_the_database_is_unreachable() {
    let db = TestDatabase::new().await;
    let app = spawn_app_on(db, |_| {}).await;
    // Same app, but a pool pointing at a port where nothing listens.
    let mut settings = crate::helpers::app::test_settings(app.data_dir.path());
    settings.db_pool_size = 1;
    let broken =
        ksbfolio::startup::Application::build(&settings, "postgres://postgres@127.0.0.1:1/none")
            .expect("builds");
    let address = format!("http://{}", broken.address());
    tokio::spawn(broken.run_until_stopped());
    let response = app
        .client
        .get(format!("{address}/readyz"))
        .send()
        .await
        .expect("sent");
    let body = assert_problem(response, 503).await;
    assert_eq!(body["code"], "unavailable");
}

#[tokio::test]
async fn readyz_answers_503_while_migrations_are_pending() {
    let app = spawn_app_on(TestDatabase::empty().await, |_| {}).await;
    let body = assert_problem(app.get("/readyz").await, 503).await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("migrat")
    );
}

#[tokio::test]
async fn a_client_request_id_is_kept_and_a_forged_one_replaced() {
    let app = spawn_app().await;
    let kept = app
        .request(reqwest::Method::GET, "/healthz")
        .header("x-request-id", "trace-42.a_b")
        .send()
        .await
        .expect("sent");
    assert_eq!(kept.headers()["x-request-id"], "trace-42.a_b");
    let forged = app
        .request(reqwest::Method::GET, "/healthz")
        .header("x-request-id", "bad id\twith spaces")
        .send()
        .await
        .expect("sent");
    let id = forged.headers()["x-request-id"].to_str().expect("ascii");
    assert!(
        uuid::Uuid::parse_str(id).is_ok(),
        "replaced by a UUID, got {id}"
    );
}
