//! Memory under load, measured on the real binary: 40 concurrent 24 MiB uploads must not raise
//! the server's peak resident memory by more than 100 MiB (they would need 960 MiB if any
//! upload were held whole). The binary runs on its own database and data folder; its peak
//! (VmHWM) is reset after set-up, so sign-ins and start-up do not count.

use crate::attachments::PNG;
use crate::helpers::binary::{ServedBinary, status_kib};
use crate::helpers::portfolio::{id, log};
use crate::helpers::world::World;

#[tokio::test]
async fn forty_concurrent_24_mib_uploads_raise_the_servers_memory_by_less_than_100_mib() {
    let server = ServedBinary::start(&[("KSBFOLIO_UPLOADS_PER_USER", "40".into())]).await;
    let pid = server.pid();
    let app = &server.app;
    let w = World::build(app).await;
    let e = id(&log(
        app,
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

    server.stop();
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
