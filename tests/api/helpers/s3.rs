//! A real S3-protocol server for the tests: moto in server mode (from PyPI, installed into a
//! virtual environment under Cargo's target folder by `scripts/ensure-s3-test-server.sh`), run as
//! a child process on a free port. It keeps its buckets in memory, so each test starts its own.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::smtp::free_port;

fn venv() -> PathBuf {
    static READY: OnceLock<PathBuf> = OnceLock::new();
    READY
        .get_or_init(|| {
            let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("s3-venv");
            let script =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/ensure-s3-test-server.sh");
            let status = Command::new(&script)
                .arg(&venv)
                .status()
                .expect("run scripts/ensure-s3-test-server.sh");
            assert!(status.success(), "installing moto failed");
            venv
        })
        .clone()
}

pub struct S3Server {
    pub port: u16,
    child: Option<Child>,
}

pub const BUCKET: &str = "ksbfolio-attachments";

impl S3Server {
    /// Starts a server on a free port, waits until it answers, and creates [`BUCKET`].
    pub async fn start() -> Self {
        let port = free_port();
        let child = Command::new(venv().join("bin/moto_server"))
            .args(["-H", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let server = Self {
            port,
            child: Some(child),
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let created = client
                .put(format!("{}/{BUCKET}", server.endpoint()))
                .send()
                .await;
            if created.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            assert!(Instant::now() < deadline, "moto_server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What a `ksbfolio serve` process needs to keep its attachments in [`BUCKET`] here.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("KSBFOLIO_STORAGE", format!("s3://{BUCKET}")),
            ("AWS_ENDPOINT", self.endpoint()),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_ACCESS_KEY_ID", "test".into()),
            ("AWS_SECRET_ACCESS_KEY", "test".into()),
            ("AWS_DEFAULT_REGION", "us-east-1".into()),
        ]
    }

    /// The keys in the bucket with their ETags (a multipart upload's ETag ends `-<parts>`).
    pub async fn objects(&self) -> Vec<(String, String)> {
        let listing = reqwest::Client::new()
            .get(format!("{}/{BUCKET}?list-type=2", self.endpoint()))
            .send()
            .await
            .expect("list the bucket")
            .text()
            .await
            .expect("listing");
        listing
            .split("<Contents>")
            .skip(1)
            .map(|entry| {
                let field = |name: &str| {
                    entry
                        .split(&format!("<{name}>"))
                        .nth(1)
                        .and_then(|rest| rest.split(&format!("</{name}>")).next())
                        .unwrap_or_default()
                        .replace("&#34;", "")
                        .replace("&quot;", "")
                        .replace('"', "")
                };
                (field("Key"), field("ETag"))
            })
            .collect()
    }

    /// Stops the server (its buckets are gone with it).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}
