//! The application under test, started exactly as `ksbfolio serve` starts it, on port 0.

use ksbfolio::auth::password::HashingParams;
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

/// Cheap Argon2 parameters: tests only, never production.
pub const TEST_HASHING: HashingParams = HashingParams {
    memory_kib: 64,
    iterations: 1,
    parallelism: 1,
};

pub fn test_settings(data_dir: &std::path::Path) -> Settings {
    let mut settings = Settings::with_defaults(data_dir.to_path_buf());
    settings.workers = Some(1);
    settings.password_hashing = TEST_HASHING;
    settings.expose_query_count = true;
    // Only the notification tests run the delivery worker, against their own SMTP server.
    settings.mail.worker = false;
    settings.mail.schedule_every = None;
    settings
}

/// Settings of an app whose delivery worker sends to `smtp_url` and retries quickly; the
/// scheduled jobs are run by the tests themselves (`notifications::schedule::run_once`).
pub fn mail_settings(settings: &mut Settings, smtp_url: &str) {
    settings.mail.worker = true;
    settings.mail.smtp_url = Some(smtp_url.to_string());
    settings.mail.poll = std::time::Duration::from_millis(20);
    settings.mail.concurrency = 2;
    settings.mail.retry_base = std::time::Duration::from_millis(100);
    settings.mail.schedule_every = None;
}

/// Starts the app with its delivery worker sending to `smtp_url`.
pub async fn spawn_mail_app(smtp_url: &str) -> TestApp {
    spawn_app_on(TestDatabase::new().await, |s| mail_settings(s, smtp_url)).await
}

/// Starts the app on its own database and returns a handle to talk to it.
pub async fn spawn_app() -> TestApp {
    spawn_app_on(TestDatabase::new().await, |_| {}).await
}

/// With `TEST_LOG=1`, the application's logs are printed (captured per test by the test
/// runner, so only a failing test's are shown); `RUST_LOG` picks what (default `info`). Without
/// it, tests stay quiet.
fn init_test_log() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var("TEST_LOG").is_ok_and(|v| !v.is_empty() && v != "0") {
            let filter = tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
    });
}

/// Starts the app on `db`, letting the test adjust the settings first.
pub async fn spawn_app_on(db: TestDatabase, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let url = db.url.clone();
    spawn_app_through(db, &url, adjust).await
}

/// Starts the app on `db` reached at `url` (a pooler in front of it, say); the test's own
/// connections (`app.db`) still go straight to `db`.
pub async fn spawn_app_through(
    db: TestDatabase,
    url: &str,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    init_test_log();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(data_dir.path());
    adjust(&mut settings);
    let app = Application::build(&settings, url).expect("app builds");
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

    /// A request with `Authorization: Bearer token`.
    pub fn as_user(&self, token: &str, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(token)
    }

    pub async fn get_as(&self, token: &str, path: &str) -> Response {
        self.as_user(token, Method::GET, path)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_as(&self, token: &str, path: &str, body: &serde_json::Value) -> Response {
        self.as_user(token, Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post(&self, path: &str, body: &serde_json::Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// Signs in and returns the whole token response.
    pub async fn login(&self, email: &str, password: &str) -> serde_json::Value {
        let response = self
            .post(
                "/api/v1/auth/login",
                &serde_json::json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(response.status().as_u16(), 200, "login of {email}");
        response.json().await.expect("json")
    }

    /// Signs in and returns the access token.
    pub async fn token(&self, email: &str, password: &str) -> String {
        self.login(email, password).await["access_token"]
            .as_str()
            .expect("access token")
            .to_string()
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
