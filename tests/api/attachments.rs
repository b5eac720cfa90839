//! Attachments: real files, types judged from bytes, size limits, access, and no orphans.

use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::helpers::app::{assert_problem, spawn_app_on};
use crate::helpers::database::TestDatabase;
use crate::helpers::portfolio::{id, log, submit};
use crate::helpers::spawn_app;
use crate::helpers::world::World;

pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82";

pub async fn upload(
    app: &TestApp,
    token: &str,
    evidence: &str,
    name: &str,
    bytes: Vec<u8>,
    claimed: &str,
) -> reqwest::Response {
    let part = Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(claimed)
        .expect("mime");
    app.as_user(
        token,
        reqwest::Method::POST,
        &format!("/api/v1/evidence/{evidence}/attachments"),
    )
    .multipart(Form::new().part("file", part))
    .send()
    .await
    .expect("sent")
}

/// Every file under the app's attachment folder.
pub fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out)
                } else {
                    out.push(path)
                }
            }
        }
    }
    let mut files = Vec::new();
    walk(&app.data_dir.path().join("attachments"), &mut files);
    files
}

#[tokio::test]
async fn an_upload_is_stored_typed_from_its_bytes_hashed_and_downloadable_by_those_who_see_it() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Photo",
        &["S7"],
    )
    .await);
    let response = upload(
        &app,
        &w.a.apprentice.token,
        &e,
        "../secret/../bench.png",
        PNG.to_vec(),
        "text/plain",
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body["content_type"], "image/png",
        "from the bytes, not the claim"
    );
    assert_eq!(body["filename"], "bench.png");
    assert_eq!(body["size"], PNG.len());
    use sha2::Digest;
    assert_eq!(body["sha256"], hex::encode(sha2::Sha256::digest(PNG)));
    assert_eq!(stored_files(&app).len(), 1);

    let path = format!("/api/v1/evidence/{e}/attachments/{}", id(&body));
    for token in [
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.mentor.token,
        &w.admin.token,
    ] {
        let download = app.get_as(token, &path).await;
        assert_eq!(download.status().as_u16(), 200);
        assert_eq!(download.headers()["content-type"], "image/png");
        assert!(
            download.headers()["content-disposition"]
                .to_str()
                .expect("cd")
                .contains("bench.png")
        );
        assert_eq!(download.bytes().await.expect("bytes").as_ref(), PNG);
    }
    for token in [&w.b.apprentice.token, &w.b.tutor.token, &w.b.mentor.token] {
        assert_problem(app.get_as(token, &path).await, 404).await;
    }
    let list: Value = app
        .get_as(
            &w.a.tutor.token,
            &format!("/api/v1/evidence/{e}/attachments"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"].as_array().expect("items").len(), 1);
}

#[tokio::test]
async fn a_type_that_is_not_accepted_is_refused_and_leaves_nothing() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Tool",
        &["S7"],
    )
    .await);
    let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
    let body = assert_problem(
        upload(
            &app,
            &w.a.apprentice.token,
            &e,
            "report.pdf",
            exe,
            "application/pdf",
        )
        .await,
        415,
    )
    .await;
    assert!(
        body["detail"]
            .as_str()
            .expect("detail")
            .contains("not accepted")
    );
    assert!(stored_files(&app).is_empty());
    let list: Value = app
        .get_as(
            &w.a.apprentice.token,
            &format!("/api/v1/evidence/{e}/attachments"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(list["items"].as_array().expect("items").is_empty());
}

#[tokio::test]
async fn an_upload_over_the_limit_is_413_and_leaves_nothing() {
    let app = spawn_app_on(TestDatabase::new().await, |s| {
        s.attachment_limit = 64 * 1024
    })
    .await;
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Big",
        &["S7"],
    )
    .await);
    let big = "Notes line.\n".repeat(10_000).into_bytes();
    let body = assert_problem(
        upload(
            &app,
            &w.a.apprentice.token,
            &e,
            "notes.txt",
            big,
            "text/plain",
        )
        .await,
        413,
    )
    .await;
    assert_eq!(body["code"], "payload_too_large");
    assert!(stored_files(&app).is_empty());
    let small = "Notes line.\n".repeat(100).into_bytes();
    assert_eq!(
        upload(
            &app,
            &w.a.apprentice.token,
            &e,
            "notes.txt",
            small,
            "text/plain"
        )
        .await
        .status()
        .as_u16(),
        201
    );
}

#[tokio::test]
async fn the_default_limit_is_25_mib() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Huge",
        &["S7"],
    )
    .await);
    let mut huge = PNG.to_vec();
    huge.resize(25 * 1024 * 1024 + 1, 0);
    assert_problem(
        upload(
            &app,
            &w.a.apprentice.token,
            &e,
            "huge.png",
            huge,
            "image/png",
        )
        .await,
        413,
    )
    .await;
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn a_failed_database_write_leaves_no_orphan_file() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Photo",
        &["S7"],
    )
    .await);
    // Make the row's insert fail after the file is written.
    let mut conn = app.db.connect().await;
    use diesel_async::SimpleAsyncConnection;
    conn.batch_execute("ALTER TABLE attachments ADD CONSTRAINT never CHECK (size_bytes < 0)")
        .await
        .expect("alter");
    assert_problem(
        upload(
            &app,
            &w.a.apprentice.token,
            &e,
            "a.png",
            PNG.to_vec(),
            "image/png",
        )
        .await,
        500,
    )
    .await;
    assert!(stored_files(&app).is_empty(), "the file was removed again");
}

#[tokio::test]
async fn text_attachments_with_an_nhs_number_are_refused() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Notes",
        &["S7"],
    )
    .await);
    let body = assert_problem(
        upload(
            &app,
            &w.a.apprentice.token,
            &e,
            "n.txt",
            b"Patient 943 476 5919".to_vec(),
            "text/plain",
        )
        .await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "file");
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn only_the_apprentice_attaches_and_only_while_the_evidence_is_editable() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Photo",
        &["S7"],
    )
    .await);
    assert_problem(
        upload(
            &app,
            &w.a.tutor.token,
            &e,
            "a.png",
            PNG.to_vec(),
            "image/png",
        )
        .await,
        403,
    )
    .await;
    submit(&app, &w.a.apprentice.token, &e).await;
    assert_problem(
        upload(
            &app,
            &w.a.apprentice.token,
            &e,
            "a.png",
            PNG.to_vec(),
            "image/png",
        )
        .await,
        409,
    )
    .await;
}
