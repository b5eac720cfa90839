//! Memory under load, measured on the real binary: 40 concurrent 24 MiB uploads must not raise
//! the server's peak resident memory by more than 100 MiB (they would need 960 MiB if any
//! upload were held whole). The binary runs on its own database and data folder; its peak
//! (VmHWM) is reset after set-up, so sign-ins and start-up do not count.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::attachments::PNG;
use crate::helpers::TestApp;
use crate::helpers::database::TestDatabase;
use crate::helpers::portfolio::{id, log};
use crate::helpers::world::World;

/// A field of /proc/PID/status, in KiB.
fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("field")
}

#[tokio::test]
async fn forty_concurrent_24_mib_uploads_raise_the_servers_memory_by_less_than_100_mib() {
    let db = TestDatabase::new().await;
    let data_dir = tempfile::tempdir().expect("dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_ksbfolio"))
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("KSBFOLIO_DATA_DIR", data_dir.path())
        .env("KSBFOLIO_BIND", format!("127.0.0.1:{port}"))
        .env("KSBFOLIO_UPLOADS_PER_USER", "40")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let pid = server.id();
    let app = TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::new(),
        db,
        data_dir,
    };
    let mut ready = false;
    for _ in 0..150 {
        let response = app.request(reqwest::Method::GET, "/readyz").send().await;
        if response.is_ok_and(|r| r.status().is_success()) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(ready, "the server became ready");
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Scans",
        &["S7"],
    )
    .await);

    let mut file = PNG.to_vec();
    file.resize(24 * 1024 * 1024, 7);
    let file: &'static [u8] = Box::leak(file.into_boxed_slice());
    // Peak memory from here on only.
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").expect("reset the peak");
    let before = status_kib(pid, "VmRSS:");

    let uploads = (0..40).map(|i| {
        let part = reqwest::multipart::Part::bytes(file)
            .file_name(format!("scan-{i}.png"))
            .mime_str("image/png")
            .expect("mime");
        app.as_user(
            &w.a.apprentice.token,
            reqwest::Method::POST,
            &format!("/api/v1/evidence/{e}/attachments"),
        )
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
    });
    let responses = futures_util::future::join_all(uploads).await;
    let peak = status_kib(pid, "VmHWM:");
    for response in responses {
        assert_eq!(response.expect("sent").status().as_u16(), 201);
    }

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(pid).expect("pid")),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("signal");
    server.wait().expect("exits");
    let grown_mib = peak.saturating_sub(before) / 1024;
    eprintln!(
        "server resident memory: {} MiB before, {} MiB at peak",
        before / 1024,
        peak / 1024
    );
    assert!(
        grown_mib < 100,
        "peak resident memory grew by {grown_mib} MiB (from {} MiB to {} MiB)",
        before / 1024,
        peak / 1024
    );
}
