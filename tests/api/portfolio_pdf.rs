//! The end-point assessment pack (`portfolio.pdf`), read back with Debian's poppler-utils
//! (`pdftotext`, `pdfinfo`, `pdffonts`, installed by `.ci/run`): its text holds every KSB code
//! of the standard and every accepted evidence title (never a draft's), the hashes of the files
//! and the signed review; it is tagged, titled, in British English with its fonts embedded; its
//! contents point at the pages the sections are on; who may export it and the audit row.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::attachments::{PNG, upload};
use crate::helpers::portfolio::{accepted, id, log, review, sign_off, submit};
use crate::helpers::reviews::{create_review, log_otj, review_otj, sign};
use crate::helpers::world::World;
use crate::helpers::{TestApp, spawn_app};

const TITLES: [&str; 2] = [
    "Calibration log for the blood gas analyser",
    "Witness statement from the laboratory manager",
];
const DRAFT: &str = "Draft reflection not yet submitted";

/// Runs a poppler tool; its standard output.
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} must be installed (Debian: apt-get install poppler-utils): {e}")
    });
    assert!(
        output.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

async fn pdf(app: &TestApp, token: &str, apprenticeship: &str) -> (u16, String, Vec<u8>) {
    let response = app
        .get_as(
            token,
            &format!("/api/v1/apprenticeships/{apprenticeship}/portfolio.pdf"),
        )
        .await;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (
        status,
        content_type,
        response.bytes().await.expect("body").to_vec(),
    )
}

/// Two accepted items (one with a file), a draft, a sign-off, approved time and a review signed
/// by all three parties; the accepted items' ids.
async fn portfolio(app: &TestApp, w: &World) -> Vec<String> {
    let a = &w.a;
    let first = id(&log(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        TITLES[0],
        &["S7", "K1"],
    )
    .await);
    let response = upload(
        app,
        &a.apprentice.token,
        &first,
        "calibration.png",
        PNG.to_vec(),
        "image/png",
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(submit(app, &a.apprentice.token, &first).await.0, 200);
    assert_eq!(
        review(app, &a.tutor.token, &first, "accepted", "").await.0,
        200
    );
    let second = id(&log(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        TITLES[1],
        &["B1", "S2"],
    )
    .await);
    assert_eq!(submit(app, &a.apprentice.token, &second).await.0, 200);
    assert_eq!(
        review(app, &a.tutor.token, &second, "accepted", "").await.0,
        200
    );
    log(app, &a.apprentice.token, &a.apprenticeship, DRAFT, &["K3"]).await;
    assert_eq!(
        sign_off(app, &a.mentor.token, &a.apprenticeship, "S7")
            .await
            .0,
        201
    );
    let (_, entry) = log_otj(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        "2026-02-02",
        90,
    )
    .await;
    review_otj(app, &a.tutor.token, &id(&entry), "approved", None).await;
    let held = create_review(app, &a.tutor.token, &a.apprenticeship, "2026-03-02").await;
    for token in [&a.tutor.token, &a.apprentice.token, &a.mentor.token] {
        assert_eq!(sign(app, token, &id(&held)).await.0, 201);
    }
    vec![first, second]
}

fn standard_codes() -> BTreeSet<String> {
    let standard: Value =
        serde_json::from_str(include_str!("../../data/standards/ST0220.json")).expect("standard");
    standard["ksbs"]
        .as_array()
        .expect("ksbs")
        .iter()
        .map(|k| k["code"].as_str().expect("code").to_string())
        .collect()
}

#[tokio::test]
async fn the_pack_reads_back_with_every_ksb_code_and_every_accepted_evidence_title() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    portfolio(&app, &w).await;
    let (status, content_type, bytes) = pdf(&app, &w.a.apprentice.token, &w.a.apprenticeship).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("portfolio.pdf");
    std::fs::write(&file, &bytes).expect("written");
    let text = poppler("pdftotext", &["-layout", file.to_str().expect("path"), "-"]);

    let words: BTreeSet<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let codes = standard_codes();
    assert_eq!(codes.len(), 94);
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !words.contains(c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "KSB codes missing from the PDF: {missing:?}"
    );
    for title in TITLES {
        assert!(text.contains(title), "{title} missing from:\n{text}");
    }
    assert!(!text.contains(DRAFT), "a draft is not part of the pack");
    for expected in [
        "Apprentice A",
        "ST0220",
        "Provisional",
        "Coverage by duty",
        "Mapping of evidence to KSBs",
        "calibration.png",
        &hex::encode(Sha256::digest(PNG)),
        "Review held on 2 March 2026",
        "Good progress on duty 3.",
        "Off-the-job training",
        "1 hour 30 minutes",
        "Page 1 of",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
}

fn info(file: &Path) -> String {
    poppler("pdfinfo", &[file.to_str().expect("path")])
}

#[tokio::test]
async fn the_pack_is_tagged_titled_in_british_english_with_embedded_fonts_and_a_contents_that_points_at_its_pages()
 {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    portfolio(&app, &w).await;
    let (_, _, bytes) = pdf(&app, &w.a.tutor.token, &w.a.apprenticeship).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("portfolio.pdf");
    std::fs::write(&file, &bytes).expect("written");
    let path = file.to_str().expect("path");

    let info = info(&file);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {name} in:\n{info}"))
            .to_string()
    };
    assert_eq!(field("Tagged"), "yes");
    assert_eq!(
        field("Title"),
        "End-point assessment portfolio: Apprentice A, ST0220 Healthcare science associate"
    );
    let pages: usize = field("Pages").parse().expect("pages");
    assert!(
        pages >= 8,
        "cover, contents and a page per section: {pages}"
    );
    let lang = bytes.windows(13).any(|w| w == b"/Lang (en-GB)");
    assert!(lang, "the document's language is en-GB");

    let fonts = poppler("pdffonts", &[path]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        assert!(row.contains("NotoSans"), "{row}");
        // Columns: name, type, encoding, emb, sub, uni, object ID.
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(columns[columns.len() - 5], "yes", "embedded: {row}");
    }

    // The contents line of each evidence item ends with the page its heading is on.
    let text = poppler("pdftotext", &["-layout", path, "-"]);
    for title in TITLES {
        let page: usize = text
            .lines()
            .find_map(|l| {
                let rest = l.trim().strip_prefix(title)?;
                rest.trim().parse().ok()
            })
            .unwrap_or_else(|| panic!("no contents entry for {title}:\n{text}"));
        let n = page.to_string();
        let on_page = poppler("pdftotext", &["-f", &n, "-l", &n, "-layout", path, "-"]);
        assert!(
            on_page.lines().any(|l| l.trim() == title) && on_page.contains("Account"),
            "page {page} holds {title}:\n{on_page}"
        );
    }
}

#[tokio::test]
async fn the_pack_is_for_those_who_can_see_the_apprenticeship_and_every_export_is_audited() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    accepted(
        &app,
        &a.apprentice.token,
        &a.tutor.token,
        &a.apprenticeship,
        &["K1"],
    )
    .await;
    for token in [
        &a.apprentice.token,
        &a.mentor.token,
        &a.tutor.token,
        &w.admin.token,
    ] {
        let (status, _, bytes) = pdf(&app, token, &a.apprenticeship).await;
        assert_eq!(status, 200);
        assert!(bytes.starts_with(b"%PDF-"));
    }
    for token in [&w.b.apprentice.token, &w.b.mentor.token, &w.b.tutor.token] {
        let (status, content_type, _) = pdf(&app, token, &a.apprenticeship).await;
        assert_eq!(status, 404);
        assert_eq!(content_type, "application/problem+json");
    }
    let response = app
        .get(&format!(
            "/api/v1/apprenticeships/{}/portfolio.pdf",
            a.apprenticeship
        ))
        .await;
    assert_eq!(response.status().as_u16(), 401);
    let audit: Value = app
        .get_as(
            &w.admin.token,
            &format!(
                "/api/v1/audit?entity_type=apprenticeship&entity_id={}",
                a.apprenticeship
            ),
        )
        .await
        .json()
        .await
        .expect("json");
    let exports: Vec<&Value> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|r| r["action"] == "portfolio.exported")
        .collect();
    assert_eq!(
        exports.len(),
        4,
        "one audit row per export, none for the refused"
    );
    assert!(
        exports.iter().all(|r| r["summary"]["format"] == "pdf"),
        "{exports:?}"
    );
}
