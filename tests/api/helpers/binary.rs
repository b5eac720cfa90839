//! The real `ksbfolio serve` binary as a child process on its own database and data folder, for
//! tests that measure the process (its memory) or give it an environment of its own (an S3
//! endpoint), which the in-process app cannot have.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::TestApp;
use super::database::TestDatabase;
use super::smtp::free_port;

pub struct ServedBinary {
    pub app: TestApp,
    child: Child,
}

impl ServedBinary {
    /// Starts the binary with these extra environment variables and waits until it is ready.
    pub async fn start(envs: &[(&str, String)]) -> Self {
        let db = TestDatabase::new().await;
        let data_dir = tempfile::tempdir().expect("dir");
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_ksbfolio"))
            .arg("serve")
            .env("DATABASE_URL", &db.url)
            .env("KSBFOLIO_DATA_DIR", data_dir.path())
            .env("KSBFOLIO_BIND", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        // Owned from here on, so a failed start still stops the process (`Drop`).
        let server = Self {
            app: TestApp {
                address: format!("http://127.0.0.1:{port}"),
                client: reqwest::Client::new(),
                db,
                data_dir,
            },
            child,
        };
        for _ in 0..150 {
            let response = server
                .app
                .request(reqwest::Method::GET, "/readyz")
                .send()
                .await;
            if response.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("the server did not become ready");
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops it as an operator would (SIGTERM) and waits for it.
    pub fn stop(mut self) {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(i32::try_from(self.child.id()).expect("pid")),
            nix::sys::signal::Signal::SIGTERM,
        )
        .expect("signal");
        self.child.wait().expect("exits");
    }
}

impl Drop for ServedBinary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A field of /proc/PID/status, in KiB.
pub fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("field")
}
