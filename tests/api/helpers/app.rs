//! The application under test, started exactly as `ksbfolio serve` starts it, on port 0.

use ksbfolio::config::Settings;
use ksbfolio::startup::Application;
use reqwest::{Method, RequestBuilder, Response};

use super::database::TestDatabase;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDatabase,
    pub data_dir: tempfile::TempDir,
}

pub fn test_settings(data_dir: &std::path::Path) -> Settings {
    Settings {
        bind: ([127, 0, 0, 1], 0).into(),
        data_dir: data_dir.to_path_buf(),
        static_dir: data_dir.join("no-frontend"),
        json_limit: 1024 * 1024,
        db_pool_size: 4,
        workers: Some(1),
    }
}

/// Starts the app on its own database and returns a handle to talk to it.
pub async fn spawn_app() -> TestApp {
    spawn_app_on(TestDatabase::new().await, |_| {}).await
}

/// Starts the app on `db`, letting the test adjust the settings first.
pub async fn spawn_app_on(db: TestDatabase, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(data_dir.path());
    adjust(&mut settings);
    let pool = ksbfolio::db::build_pool(&db.url, settings.db_pool_size).expect("pool");
    let app = Application::build(&settings, pool).expect("app builds");
    let address = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        db,
        data_dir,
    }
}

impl TestApp {
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("request sent")
    }
}

/// Asserts the response is problem+json with `status`, and returns its body.
pub async fn assert_problem(response: Response, status: u16) -> serde_json::Value {
    assert_eq!(
        response.status().as_u16(),
        status,
        "status of {}",
        response.url()
    );
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(content_type, "application/problem+json");
    let body: serde_json::Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["status"], status);
    assert!(body["type"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
    body
}
