//! A database that stops answering, its processes frozen with SIGSTOP (the host stays up, so TCP
//! and the socket stay alive), makes requests answer 503 within the deadline instead of hanging;
//! the application recovers by itself when the database resumes. And the deadline counts only
//! database time: a slow upload is not cut by it.

use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use reqwest::Method;
use serde_json::json;

use crate::helpers::app::{assert_problem, spawn_app_on, test_settings};
use crate::helpers::database::TestDatabase;
use crate::helpers::portfolio::{id, log};
use crate::helpers::world::{PASSWORD, World};
use ksbfolio::embedded_pg::EmbeddedPostgres;

const DEADLINE: Duration = Duration::from_secs(2);
/// What an answer may take beyond the deadline on a busy two-core machine.
const MARGIN: Duration = Duration::from_secs(3);

/// A private cluster in a temporary folder that is thawed and stopped however the test ends.
struct FreezableCluster {
    embedded: Option<EmbeddedPostgres>,
    pgdata: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl FreezableCluster {
    async fn start() -> Self {
        // Under /tmp so that, when run as root, the postgres user can reach it.
        let dir = tempfile::Builder::new()
            .prefix("ksbfolio-stall-")
            .tempdir_in("/tmp")
            .expect("temp dir");
        let path = dir.path().to_path_buf();
        let embedded = tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&path))
            .await
            .expect("join")
            .expect("private cluster starts");
        ksbfolio::db::create_database_if_missing(&embedded.admin_url(), "ksbfolio")
            .await
            .expect("database");
        ksbfolio::startup::prepare_database(&embedded.database_url())
            .await
            .expect("migrated");
        Self {
            embedded: Some(embedded),
            pgdata: dir.path().join("postgres/pgdata"),
            _dir: dir,
        }
    }

    fn url(&self) -> String {
        self.embedded.as_ref().expect("running").database_url()
    }

    /// The postmaster (first line of postmaster.pid) and every process it started.
    fn processes(&self) -> Vec<Pid> {
        let pid_file =
            std::fs::read_to_string(self.pgdata.join("postmaster.pid")).expect("postmaster.pid");
        let postmaster: i32 = pid_file
            .lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
            .expect("pid");
        let mut pids = vec![Pid::from_raw(postmaster)];
        for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<i32>().ok())
            else {
                continue;
            };
            // `pid (comm) state ppid …`; comm may hold spaces, so read after its last ')'.
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            let parent = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<i32>().ok());
            if parent == Some(postmaster) {
                pids.push(Pid::from_raw(pid));
            }
        }
        pids
    }

    /// Freezes the postmaster first, so that it starts no process while the others freeze.
    fn freeze(&self) {
        let pids = self.processes();
        assert!(pids.len() > 1, "the postmaster and its backends: {pids:?}");
        for pid in pids {
            kill(pid, Signal::SIGSTOP).expect("SIGSTOP");
        }
    }

    fn thaw(&self) {
        for pid in self.processes() {
            let _ = kill(pid, Signal::SIGCONT);
        }
    }
}

impl Drop for FreezableCluster {
    fn drop(&mut self) {
        if self.pgdata.join("postmaster.pid").exists() {
            self.thaw();
        }
        if let Some(embedded) = self.embedded.take() {
            let _ = embedded.stop();
        }
    }
}

/// Sends `request` and asserts a 503 problem with Retry-After arrives within the deadline.
async fn unavailable_in_time(request: reqwest::RequestBuilder, what: &str) {
    let started = Instant::now();
    let response = request
        .timeout(DEADLINE + MARGIN * 3)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{what} hung instead of answering: {e}"));
    let elapsed = started.elapsed();
    assert!(
        elapsed <= DEADLINE + MARGIN,
        "{what} answered after {elapsed:?}"
    );
    assert_eq!(response.headers()["retry-after"], "5", "{what}");
    let body = assert_problem(response, 503).await;
    assert_eq!(body["code"], "unavailable", "{what}");
}

async fn wait_for(what: &str, mut ok: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if ok().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{what} did not recover after the database resumed");
}

#[tokio::test]
async fn a_stalled_database_answers_503_within_the_deadline_and_the_app_recovers_without_restart() {
    let cluster = FreezableCluster::start().await;
    let url = cluster.url();
    let data_dir = tempfile::tempdir().expect("dir");
    let mut settings = test_settings(data_dir.path());
    settings.db_deadline = DEADLINE;
    settings.db_pool_size = 4;
    let app = ksbfolio::startup::Application::build(&settings, &url).expect("app builds");
    let address = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();

    let email = "stall-admin@ksbfolio.test";
    let hash =
        ksbfolio::auth::password::hash(PASSWORD, crate::helpers::app::TEST_HASHING).expect("hash");
    let mut conn =
        <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&url)
            .await
            .expect("connect");
    ksbfolio::db::users::insert(
        &mut conn,
        &ksbfolio::db::users::NewUser {
            email,
            name: "Stall Admin",
            role: ksbfolio::domain::identity::Role::Admin,
            organisation_id: None,
            created_by_organisation_id: None,
            password_hash: &hash,
        },
    )
    .await
    .expect("admin row");
    drop(conn);
    let login: serde_json::Value = client
        .post(format!("{address}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let token = login["access_token"].as_str().expect("token").to_string();
    let me = || {
        client
            .get(format!("{address}/api/v1/me"))
            .bearer_auth(&token)
    };
    let ready = || client.get(format!("{address}/readyz"));
    assert_eq!(me().send().await.expect("sent").status().as_u16(), 200);
    assert_eq!(ready().send().await.expect("sent").status().as_u16(), 200);

    cluster.freeze();
    unavailable_in_time(me(), "an authenticated read").await;
    unavailable_in_time(ready(), "/readyz").await;
    unavailable_in_time(
        client
            .post(format!("{address}/api/v1/organisations"))
            .bearer_auth(&token)
            .json(&json!({ "name": "Written while frozen", "kind": "provider" })),
        "a write",
    )
    .await;
    unavailable_in_time(me(), "a second read, on another connection").await;

    cluster.thaw();
    wait_for("/readyz", async || {
        ready()
            .send()
            .await
            .is_ok_and(|r| r.status().as_u16() == 200)
    })
    .await;
    wait_for("an authenticated read", async || {
        me().send().await.is_ok_and(|r| r.status().as_u16() == 200)
    })
    .await;
    // Every connection that timed out was thrown away: a burst of reads all succeed.
    for _ in 0..8 {
        assert_eq!(me().send().await.expect("sent").status().as_u16(), 200);
    }
}

/// Sends a multipart upload by hand, the body in slow pieces, and returns the status code.
async fn slow_upload(address: &str, token: &str, evidence: &str, pieces: usize) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let boundary = "ksbfolio-slow-upload";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n\
         Content-Type: text/plain\r\n\r\n"
    );
    let piece = "Reflection on the week's calibration work.\n";
    let tail = format!("\r\n--{boundary}--\r\n");
    let length = head.len() + piece.len() * pieces + tail.len();
    let host = address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let request = format!(
        "POST /api/v1/evidence/{evidence}/attachments HTTP/1.1\r\nHost: {host}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n{head}"
    );
    stream.write_all(request.as_bytes()).await.expect("head");
    // A server that cuts the upload short answers and closes; its answer is read below.
    let mut sent = true;
    for _ in 0..pieces {
        tokio::time::sleep(Duration::from_millis(500)).await;
        sent = sent && stream.write_all(piece.as_bytes()).await.is_ok();
    }
    if sent {
        stream.write_all(tail.as_bytes()).await.expect("tail");
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response).await;
    response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response}"))
}

#[tokio::test]
async fn an_upload_that_streams_for_longer_than_the_database_deadline_is_not_cut() {
    let app = spawn_app_on(TestDatabase::new().await, |s| {
        s.db_deadline = Duration::from_secs(1);
    })
    .await;
    let w = World::build(&app).await;
    let token = &w.a.apprentice.token;
    let evidence = id(&log(&app, token, &w.a.apprenticeship, "Slow upload", &["K1"]).await);
    let started = Instant::now();
    let status = slow_upload(&app.address, token, &evidence, 6).await;
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "the upload was slow"
    );
    assert_eq!(status, 201);
    let listed = app
        .as_user(
            token,
            Method::GET,
            &format!("/api/v1/evidence/{evidence}/attachments"),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(listed.status().as_u16(), 200);
}
