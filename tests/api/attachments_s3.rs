//! Attachments in S3-compatible object storage, against a real S3-protocol server process
//! (moto): files go up and come back byte for byte, a large one goes up in 8 MiB parts with the
//! server's memory bounded, and a store that is down answers a 503 problem and saves nothing.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use sha2::Digest;

use crate::attachments::PNG;
use crate::helpers::TestApp;
use crate::helpers::binary::{ServedBinary, status_kib};
use crate::helpers::portfolio::{id, log};
use crate::helpers::s3::S3Server;
use crate::helpers::world::World;

async fn upload(
    app: &TestApp,
    token: &str,
    evidence: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str("image/png")
        .expect("mime");
    app.as_user(
        token,
        reqwest::Method::POST,
        &format!("/api/v1/evidence/{evidence}/attachments"),
    )
    .multipart(reqwest::multipart::Form::new().part("file", part))
    .send()
    .await
    .expect("sent")
}

async fn attachment_rows(app: &TestApp, evidence: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.db.connect().await;
    diesel::sql_query("SELECT count(*) AS n FROM attachments WHERE evidence_id = $1::uuid")
        .bind::<diesel::sql_types::Text, _>(evidence)
        .get_result::<Count>(&mut conn)
        .await
        .expect("count")
        .n
}

#[tokio::test]
async fn attachments_live_in_s3_and_a_large_one_goes_up_in_parts_with_memory_bounded() {
    let s3 = S3Server::start().await;
    let mut settings = s3.settings();
    settings.push(("KSBFOLIO_ATTACHMENT_LIMIT", (80 * 1024 * 1024).to_string()));
    let server = ServedBinary::start(&settings).await;
    let app = &server.app;
    let w = World::build(app).await;
    let token = &w.a.apprentice.token;
    let e = id(&log(app, token, &w.a.apprenticeship, "Scans", &["S7"]).await);

    let small = upload(app, token, &e, "scan.png", PNG.to_vec()).await;
    assert_eq!(small.status().as_u16(), 201);
    let small: serde_json::Value = small.json().await.expect("json");
    let key = format!("evidence/{e}/{}", small["id"].as_str().expect("id"));
    let objects = s3.objects().await;
    assert!(
        objects.iter().any(|(k, _)| *k == key),
        "{key} in {objects:?}"
    );
    let back = app
        .get_as(
            token,
            &format!(
                "/api/v1/evidence/{e}/attachments/{}",
                small["id"].as_str().expect("id")
            ),
        )
        .await;
    assert_eq!(back.status().as_u16(), 200);
    assert_eq!(back.bytes().await.expect("bytes").as_ref(), PNG);
    // Nothing of it on the local disk.
    assert!(!app.data_dir.path().join("attachments/evidence").exists());

    let mut large = PNG.to_vec();
    large.resize(64 * 1024 * 1024, 7);
    let digest = hex::encode(sha2::Sha256::digest(&large));
    let pid = server.pid();
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").expect("reset the peak");
    let before = status_kib(pid, "VmRSS:");
    let response = upload(app, token, &e, "large.png", large).await;
    let peak = status_kib(pid, "VmHWM:");
    assert_eq!(response.status().as_u16(), 201);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["sha256"], digest);
    let grown_mib = peak.saturating_sub(before) / 1024;
    assert!(
        grown_mib < 48,
        "a 64 MiB upload to S3 raised the peak resident memory by {grown_mib} MiB"
    );
    let key = format!("evidence/{e}/{}", body["id"].as_str().expect("id"));
    let (_, etag) = s3
        .objects()
        .await
        .into_iter()
        .find(|(k, _)| *k == key)
        .expect("the large file in the bucket");
    assert!(etag.ends_with("-8"), "64 MiB in 8 MiB parts, ETag {etag}");
    let back = app
        .get_as(
            token,
            &format!(
                "/api/v1/evidence/{e}/attachments/{}",
                body["id"].as_str().expect("id")
            ),
        )
        .await;
    assert_eq!(back.status().as_u16(), 200);
    let bytes = back.bytes().await.expect("bytes");
    assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), digest);
    server.stop();
}

#[tokio::test]
async fn while_the_store_is_down_uploads_and_downloads_answer_503_and_nothing_is_saved() {
    let mut s3 = S3Server::start().await;
    let server = ServedBinary::start(&s3.settings()).await;
    let app = &server.app;
    let w = World::build(app).await;
    let token = &w.a.apprentice.token;
    let e = id(&log(app, token, &w.a.apprenticeship, "Scans", &["S7"]).await);
    let stored = upload(app, token, &e, "first.png", PNG.to_vec()).await;
    assert_eq!(stored.status().as_u16(), 201);
    let stored: serde_json::Value = stored.json().await.expect("json");

    s3.stop();
    let refused = upload(app, token, &e, "second.png", PNG.to_vec()).await;
    assert_eq!(refused.status().as_u16(), 503);
    assert_eq!(
        refused.headers()["content-type"].to_str().expect("type"),
        "application/problem+json"
    );
    assert!(refused.headers().contains_key("retry-after"));
    let problem: serde_json::Value = refused.json().await.expect("json");
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("nothing was saved"),
        "{problem}"
    );
    assert_eq!(
        attachment_rows(app, &e).await,
        1,
        "no row for the refused file"
    );

    let download = app
        .get_as(
            token,
            &format!(
                "/api/v1/evidence/{e}/attachments/{}",
                stored["id"].as_str().expect("id")
            ),
        )
        .await;
    assert_eq!(download.status().as_u16(), 503);
    server.stop();
}
