//! The portfolio export: the ZIP's listing (with the PDF pack), `mapping.csv`, `portfolio.json` validated against the
//! published JSON Schema, attachments byte for byte with their SHA-256, the audit row, who may
//! export, and a fixed number of statements whatever the portfolio holds.

use std::io::{Cursor, Read};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::attachments::{PNG, upload};
use crate::helpers::portfolio::{id, log, review, sign_off, submit};
use crate::helpers::reviews::{log_otj, review_otj};
use crate::helpers::world::World;
use crate::helpers::{TestApp, spawn_app};

struct Export {
    status: u16,
    content_type: String,
    queries: usize,
    bytes: Vec<u8>,
}

async fn export(app: &TestApp, token: &str, apprenticeship: &str) -> Export {
    let response = app
        .get_as(
            token,
            &format!("/api/v1/apprenticeships/{apprenticeship}/portfolio.zip"),
        )
        .await;
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let content_type = header("content-type");
    let queries = header("x-db-queries").parse().unwrap_or(usize::MAX);
    let bytes = response.bytes().await.expect("body").to_vec();
    Export {
        status,
        content_type,
        queries,
        bytes,
    }
}

fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a valid ZIP archive");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut content = Vec::new();
            file.read_to_end(&mut content).expect("read");
            (file.name().expect("name").to_string(), content)
        })
        .collect()
}

/// Accepted evidence with a file, a draft, a sign-off and an approved OTJ entry.
async fn portfolio(app: &TestApp, w: &World) -> (String, String) {
    let a = &w.a;
    let accepted = id(&log(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Calibration log",
        &["S7", "K1"],
    )
    .await);
    let response = upload(
        app,
        &a.apprentice.token,
        &accepted,
        "calibration.png",
        PNG.to_vec(),
        "image/png",
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(submit(app, &a.apprentice.token, &accepted).await.0, 200);
    assert_eq!(
        review(app, &a.tutor.token, &accepted, "accepted", "")
            .await
            .0,
        200
    );
    assert_eq!(
        sign_off(app, &a.mentor.token, &a.apprenticeship, "S7")
            .await
            .0,
        201
    );
    let draft = id(&log(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Draft reflection",
        &["B1"],
    )
    .await);
    let (_, entry) = log_otj(
        app,
        &a.apprentice.token,
        &a.apprenticeship,
        "2026-02-02",
        90,
    )
    .await;
    review_otj(app, &a.tutor.token, &id(&entry), "approved", None).await;
    (accepted, draft)
}

#[tokio::test]
async fn the_archive_holds_the_data_the_mapping_and_every_file_as_stored() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    // The first export fills the in-process catalogue cache; count from the second.
    assert_eq!(
        export(&app, &a.apprentice.token, &a.apprenticeship)
            .await
            .status,
        200
    );
    let empty = export(&app, &a.apprentice.token, &a.apprenticeship).await;
    let (accepted, draft) = portfolio(&app, &w).await;
    let full = export(&app, &a.apprentice.token, &a.apprenticeship).await;
    assert_eq!(full.status, 200);
    assert_eq!(full.content_type, "application/zip");
    assert_eq!(
        empty.queries, full.queries,
        "a fixed number of statements, whatever the portfolio holds"
    );

    let files = entries(&full.bytes);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let attachment_path = format!("attachments/{accepted}/calibration.png");
    assert_eq!(
        names,
        [
            "portfolio.json",
            "mapping.csv",
            "portfolio.pdf",
            attachment_path.as_str()
        ]
    );
    assert_eq!(files[3].1, PNG, "the file as uploaded");
    let pack = &files[2].1;
    assert!(
        pack.starts_with(b"%PDF-1.7"),
        "the end-point assessment pack"
    );
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("portfolio.pdf");
    std::fs::write(&file, pack).expect("written");
    let text = crate::portfolio_pdf::poppler("pdftotext", &[file.to_str().expect("path"), "-"]);
    assert!(
        text.contains("Calibration log"),
        "the accepted item is in the pack"
    );
    assert!(!text.contains("Draft reflection"), "the draft is not");

    let data: Value = serde_json::from_slice(&files[0].1).expect("portfolio.json");
    assert_eq!(data["format"], "ksbfolio-portfolio/1");
    assert_eq!(data["apprenticeship"]["apprentice"]["name"], "Apprentice A");
    assert_eq!(data["standard"]["reference"], "ST0220");
    let evidence = data["evidence"].as_array().expect("evidence");
    assert_eq!(evidence.len(), 2);
    let item = evidence
        .iter()
        .find(|e| e["id"] == accepted.as_str())
        .expect("accepted item");
    assert_eq!(item["ksbs"], json!(["K1", "S7"]));
    assert_eq!(item["decision"]["decision"], "accepted");
    assert_eq!(item["decision"]["reviewer"]["name"], "Tutor A");
    assert_eq!(item["attachments"][0]["path"], attachment_path.as_str());
    assert_eq!(
        item["attachments"][0]["sha256"],
        hex::encode(Sha256::digest(PNG)).as_str()
    );
    assert_eq!(data["signoffs"][0]["ksb"], "S7");
    assert_eq!(data["otj"]["summary"]["approved_minutes"], 90);
    assert_eq!(data["coverage"]["ksbs"].as_array().map(Vec::len), Some(94));
    assert_eq!(data["gateway"]["state"], "on_programme");

    // portfolio.json follows the published schema.
    let schema: Value = app
        .get("/api/v1/schemas/portfolio.json")
        .await
        .json()
        .await
        .expect("schema");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let problems: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let mut broken = data.clone();
    broken["evidence"][0]["occurred_on"] = json!(17);
    assert!(
        !validator.is_valid(&broken),
        "the schema is strict enough to catch a wrong type"
    );

    // mapping.csv: one row per KSB, duty and evidence item; a KSB with none has empty columns.
    let csv = String::from_utf8(files[1].1.clone()).expect("utf-8");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header,
        [
            "ksb",
            "duty",
            "evidence_id",
            "title",
            "kind",
            "status",
            "occurred_on"
        ]
    );
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("row")).collect();
    let s7: Vec<&csv::StringRecord> = records.iter().filter(|r| &r[0] == "S7").collect();
    assert!(!s7.is_empty());
    assert!(
        s7.iter()
            .all(|r| r[2] == *accepted && &r[3] == "Calibration log" && &r[5] == "accepted")
    );
    let b1: Vec<&csv::StringRecord> = records.iter().filter(|r| &r[0] == "B1").collect();
    assert!(b1.iter().all(|r| r[2] == *draft && &r[5] == "draft"));
    assert!(
        records.iter().any(|r| &r[0] == "K2" && r[2].is_empty()),
        "a KSB with no evidence has a row"
    );
    let ksbs: std::collections::BTreeSet<&str> = records
        .iter()
        .map(|r| r.get(0).unwrap_or_default())
        .collect();
    assert_eq!(ksbs.len(), 94);
}

#[tokio::test]
async fn the_apprentice_and_the_staff_in_scope_export_and_every_export_is_audited() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    for token in [
        &a.apprentice.token,
        &a.mentor.token,
        &a.tutor.token,
        &w.admin.token,
    ] {
        assert_eq!(export(&app, token, &a.apprenticeship).await.status, 200);
    }
    for token in [&w.b.apprentice.token, &w.b.mentor.token, &w.b.tutor.token] {
        assert_eq!(export(&app, token, &a.apprenticeship).await.status, 404);
    }
    let response = app
        .get(&format!(
            "/api/v1/apprenticeships/{}/portfolio.zip",
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
    let exports = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|r| r["action"] == "portfolio.exported")
        .count();
    assert_eq!(exports, 4, "one audit row per export");
}
