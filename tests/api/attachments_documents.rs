//! Attachments that are real documents: Word, Excel, PowerPoint, OpenDocument and PDF files made
//! by an office suite (tests/fixtures/documents), checked for NHS numbers in their text, and
//! files made to break the check (a zip bomb, a password).

use std::io::Write;

use serde_json::Value;

use crate::attachments::{stored_files, upload};
use crate::helpers::TestApp;
use crate::helpers::app::assert_problem;
use crate::helpers::portfolio::{id, log};
use crate::helpers::spawn_app;
use crate::helpers::world::World;

const KINDS: [(&str, &str); 7] = [
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("odp", "application/vnd.oasis.opendocument.presentation"),
    ("pdf", "application/pdf"),
];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/documents/{name}")).expect("fixture")
}

async fn evidence(app: &TestApp, w: &World) -> String {
    id(&log(
        app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Reflective account",
        &["S7"],
    )
    .await)
}

#[tokio::test]
async fn real_office_and_pdf_documents_upload_with_the_type_their_contents_show() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = evidence(&app, &w).await;
    for (extension, content_type) in KINDS {
        let name = format!("clean.{extension}");
        // The client's claim is ignored either way.
        let response = upload(
            &app,
            &w.a.apprentice.token,
            &e,
            &name,
            fixture(&name),
            "application/octet-stream",
        )
        .await;
        assert_eq!(response.status().as_u16(), 201, "{name}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["content_type"], content_type, "{name}");
    }
    assert_eq!(stored_files(&app).len(), KINDS.len());
}

#[tokio::test]
async fn documents_holding_an_nhs_number_in_their_text_are_refused_naming_the_file() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = evidence(&app, &w).await;
    for (extension, content_type) in KINDS {
        let name = format!("with-nhs-number.{extension}");
        let body = assert_problem(
            upload(
                &app,
                &w.a.apprentice.token,
                &e,
                &name,
                fixture(&name),
                content_type,
            )
            .await,
            422,
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "file", "{name}");
        assert!(
            body["detail"]
                .as_str()
                .expect("detail")
                .contains("NHS number"),
            "{name}: {body}"
        );
    }
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn a_password_protected_pdf_is_refused_because_it_cannot_be_checked() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = evidence(&app, &w).await;
    let body = assert_problem(
        upload(
            &app,
            &w.a.apprentice.token,
            &e,
            "locked.pdf",
            fixture("password-protected.pdf"),
            "application/pdf",
        )
        .await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "file");
    let detail = body["detail"].as_str().expect("detail");
    assert!(
        detail.contains("could not be checked for patient data"),
        "{detail}"
    );
    assert!(detail.contains("password"), "{detail}");
    assert!(stored_files(&app).is_empty());
}

/// A .docx whose document.xml inflates to 2 GiB of zeros (about 2 MiB compressed).
fn zip_bomb() -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().large_file(true);
    writer
        .start_file("[Content_Types].xml", options)
        .expect("entry");
    writer.write_all(b"<Types/>").expect("write");
    writer
        .start_file("word/document.xml", options)
        .expect("entry");
    writer
        .write_all(b"<w:document><w:body><w:p><w:r><w:t>")
        .expect("write");
    let zeros = vec![b'0'; 1024 * 1024];
    for _ in 0..2048 {
        writer.write_all(&zeros).expect("write");
    }
    writer
        .write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .expect("write");
    writer.finish().expect("finish").into_inner()
}

#[tokio::test]
async fn a_zip_bomb_posing_as_a_word_document_is_refused_at_once() {
    let bomb = tokio::task::spawn_blocking(zip_bomb).await.expect("bomb");
    assert!(bomb.len() < 4 * 1024 * 1024);
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = evidence(&app, &w).await;
    let started = std::time::Instant::now();
    let body = assert_problem(
        upload(
            &app,
            &w.a.apprentice.token,
            &e,
            "report.docx",
            bomb,
            "application/msword",
        )
        .await,
        422,
    )
    .await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(body["errors"][0]["field"], "file");
    assert!(
        body["detail"]
            .as_str()
            .expect("detail")
            .contains("larger than"),
        "{body}"
    );
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn a_zip_that_is_not_an_office_document_is_refused_as_a_zip() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = evidence(&app, &w).await;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .expect("entry");
    writer.write_all(b"hello").expect("write");
    let archive = writer.finish().expect("finish").into_inner();
    let body = assert_problem(
        upload(
            &app,
            &w.a.apprentice.token,
            &e,
            "notes.docx",
            archive,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        .await,
        415,
    )
    .await;
    assert!(
        body["detail"]
            .as_str()
            .expect("detail")
            .contains("application/zip")
    );
}
