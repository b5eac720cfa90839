//! Uploads as streams: a slow body is cut off, a user's uploads in progress are capped, what an
//! interrupted upload leaves is swept, and concurrent large uploads do not grow the server's
//! memory with their size.

use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::attachments::{PNG, stored_files, upload};
use crate::helpers::TestApp;
use crate::helpers::app::{assert_problem, spawn_app_on, test_settings};
use crate::helpers::database::TestDatabase;
use crate::helpers::portfolio::{id, log};
use crate::helpers::world::World;

const BOUNDARY: &str = "ksbfolio-test-boundary";

/// Starts a multipart upload by hand, announcing `total` file bytes, and sends `first` of them.
async fn start_upload(
    app: &TestApp,
    token: &str,
    evidence: &str,
    first: &[u8],
    total: usize,
) -> TcpStream {
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.txt\"\r\n\
         Content-Type: text/plain\r\n\r\n"
    );
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let length = head.len() + total + tail.len();
    let address = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let request = format!(
        "POST /api/v1/evidence/{evidence}/attachments HTTP/1.1\r\nHost: {address}\r\n\
         Authorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n\r\n{head}"
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request head");
    stream.write_all(first).await.expect("first bytes");
    stream
}

/// The status and body of the response on `stream`.
async fn response(stream: &mut TcpStream, within: Duration) -> (u16, String) {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 4096];
    let read = async {
        loop {
            let n = stream.read(&mut buffer).await.unwrap_or(0);
            bytes.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&bytes);
            if n == 0 || text.contains("\r\n\r\n") && text.trim_end().ends_with('}') {
                break;
            }
        }
    };
    tokio::time::timeout(within, read)
        .await
        .expect("a response in time");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

async fn setting_up(
    adjust: impl FnOnce(&mut ksbfolio::config::Settings),
) -> (TestApp, World, String) {
    let app = spawn_app_on(TestDatabase::new().await, adjust).await;
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Notes",
        &["S7"],
    )
    .await);
    (app, w, e)
}

#[tokio::test]
async fn an_upload_that_pauses_too_long_is_cut_off_with_408() {
    let (app, w, e) = setting_up(|s| s.upload_idle_secs = 1).await;
    let mut stream = start_upload(&app, &w.a.apprentice.token, &e, b"Notes that stop", 1000).await;
    let (status, body) = response(&mut stream, Duration::from_secs(10)).await;
    assert_eq!(status, 408, "{body}");
    assert!(body.contains("application/problem+json"), "{body}");
    assert!(body.contains("too slowly"), "{body}");
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn an_upload_that_trickles_past_the_deadline_is_cut_off_with_408() {
    let (app, w, e) = setting_up(|s| s.upload_deadline_secs = 2).await;
    let mut stream = start_upload(&app, &w.a.apprentice.token, &e, b"a", 100).await;
    let started = std::time::Instant::now();
    // A byte every 200 ms: never idle, but far too slow.
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if stream.write_all(b"b").await.is_err() {
            break;
        }
    }
    let (status, body) = response(&mut stream, Duration::from_secs(10)).await;
    assert_eq!(status, 408, "{body}");
    assert!(started.elapsed() < Duration::from_secs(7));
}

#[tokio::test]
async fn a_user_may_have_three_uploads_in_progress_and_a_fourth_is_429() {
    let (app, w, e) = setting_up(|_| {}).await;
    let token = &w.a.apprentice.token;
    let mut stalled = Vec::new();
    for _ in 0..3 {
        stalled.push(start_upload(&app, token, &e, b"half", 1000).await);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let refused = upload(&app, token, &e, "a.png", PNG.to_vec(), "image/png").await;
    assert_eq!(refused.status().as_u16(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let body = assert_problem(refused, 429).await;
    assert!(
        body["detail"]
            .as_str()
            .expect("detail")
            .contains("3 uploads in progress")
    );
    // Another user is not held up.
    let theirs = id(&log(
        &app,
        &w.b.apprentice.token,
        &w.b.apprenticeship,
        "Photo",
        &["S7"],
    )
    .await);
    let other = upload(
        &app,
        &w.b.apprentice.token,
        &theirs,
        "a.png",
        PNG.to_vec(),
        "image/png",
    )
    .await;
    assert_eq!(other.status().as_u16(), 201);

    drop(stalled); // the clients give up: their places come back
    let mut status = 0;
    for _ in 0..50 {
        status = upload(&app, token, &e, "a.png", PNG.to_vec(), "image/png")
            .await
            .status()
            .as_u16();
        if status != 429 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 201);
}

fn age(path: &std::path::Path, by: Duration) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    file.set_modified(SystemTime::now() - by).expect("mtime");
}

fn write(path: &std::path::Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
    std::fs::write(path, bytes).expect("write");
}

#[tokio::test]
async fn leftovers_of_interrupted_uploads_are_swept_at_start_up_once_an_hour_old() {
    let (app, w, e) = setting_up(|_| {}).await;
    let kept = upload(
        &app,
        &w.a.apprentice.token,
        &e,
        "a.png",
        PNG.to_vec(),
        "image/png",
    )
    .await;
    assert_eq!(kept.status().as_u16(), 201);
    let with_row = stored_files(&app).pop().expect("stored");
    let two_hours = Duration::from_secs(2 * 60 * 60);
    age(&with_row, two_hours);
    let root = app.data_dir.path();
    let old_orphan = root.join(format!("attachments/evidence/{e}/{}", uuid::Uuid::new_v4()));
    let new_orphan = root.join(format!("attachments/evidence/{e}/{}", uuid::Uuid::new_v4()));
    let old_spool = root.join("spool/crashed.part");
    let new_spool = root.join("spool/in-progress.part");
    for path in [&old_orphan, &new_orphan, &old_spool, &new_spool] {
        write(path, b"left over");
    }
    age(&old_orphan, two_hours);
    age(&old_spool, two_hours);

    // A second server process on the same data folder and database starts and sweeps.
    let mut settings = test_settings(root);
    settings.db_pool_size = 2;
    let second = ksbfolio::startup::Application::build(&settings, &app.db.url).expect("builds");
    tokio::spawn(second.run_until_stopped());
    for _ in 0..100 {
        if !old_orphan.exists() && !old_spool.exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        !old_orphan.exists(),
        "an hour-old file without a row is removed"
    );
    assert!(!old_spool.exists(), "an hour-old spool file is removed");
    assert!(with_row.exists(), "a file with its row stays");
    assert!(
        new_orphan.exists(),
        "a recent file may still be getting its row"
    );
    assert!(
        new_spool.exists(),
        "a recent spool file may be an upload in progress"
    );
}
