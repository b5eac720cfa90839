//! `ksbfolio standards import FILE`, run as the binary a user runs.

use std::process::Output;

use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use serde_json::Value;

use crate::helpers::database::TestDatabase;
use crate::helpers::spawn_app;

const NATIVE: &str = include_str!("../../data/standards/ST0220.json");
const SKILLS_ENGLAND: &str = include_str!("../fixtures/ST0220-skills-england-format.json");

fn import(db: &TestDatabase, json: &str) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("standard.json");
    std::fs::write(&file, json).expect("write");
    std::process::Command::new(env!("CARGO_BIN_EXE_ksbfolio"))
        .args(["standards", "import"])
        .arg(&file)
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("ksbfolio runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    value: String,
}

async fn count(db: &TestDatabase, sql: &str) -> i64 {
    let mut conn = db.connect().await;
    diesel::sql_query(sql)
        .get_result::<Count>(&mut conn)
        .await
        .expect("count")
        .n
}

/// A fingerprint of the whole catalogue, to prove a refused import changed nothing.
async fn catalogue_fingerprint(db: &TestDatabase) -> Vec<String> {
    let mut conn = db.connect().await;
    diesel::sql_query(
        "SELECT concat_ws('|', s.reference, s.version, s.mapping_status, d.code, k.code, k.id::text) AS value \
         FROM standards s JOIN duties d ON d.standard_id = s.id JOIN duty_ksbs dk ON dk.duty_id = d.id \
         JOIN ksbs k ON k.id = dk.ksb_id ORDER BY 1",
    )
    .load::<Row>(&mut conn)
    .await
    .expect("fingerprint")
    .into_iter()
    .map(|r| r.value)
    .collect()
}

fn native() -> Value {
    serde_json::from_str(NATIVE).expect("json")
}

#[tokio::test]
async fn the_skills_england_record_replaces_the_links_and_keeps_every_ksb_row() {
    let app = spawn_app().await;
    let ids_before = count(&app.db, "SELECT count(*) AS n FROM ksbs").await;
    let mut conn = app.db.connect().await;
    let ksb_ids = |rows: Vec<Row>| rows.into_iter().map(|r| r.value).collect::<Vec<_>>();
    let before = ksb_ids(
        diesel::sql_query("SELECT id::text AS value FROM ksbs ORDER BY position")
            .load(&mut conn)
            .await
            .expect("ids"),
    );

    let output = import(&app.db, SKILLS_ENGLAND);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("duty links replaced"));

    let after = ksb_ids(
        diesel::sql_query("SELECT id::text AS value FROM ksbs ORDER BY position")
            .load(&mut conn)
            .await
            .expect("ids"),
    );
    assert_eq!(
        before, after,
        "KSB rows, which evidence points at, are kept"
    );
    assert_eq!(
        count(&app.db, "SELECT count(*) AS n FROM ksbs").await,
        ids_before
    );
    let body: Value = app
        .get("/api/v1/standards/ST0220")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["mapping"]["status"], "official");
    assert_eq!(body["ksbs"].as_array().expect("ksbs").len(), 94);
}

#[tokio::test]
async fn new_links_for_an_existing_version_replace_the_old_ones() {
    let db = TestDatabase::new().await;
    let mut file = native();
    // Move S7 from D2 to D3 only.
    let d2 = file["duties"][1]["ksbs"].as_array_mut().expect("d2");
    d2.retain(|k| k != "S7");
    file["duties"][2]["ksbs"]
        .as_array_mut()
        .expect("d3")
        .push("S7".into());
    let output = import(&db, &file.to_string());
    assert!(output.status.success(), "{}", stderr(&output));
    let s7_duties = count(
        &db,
        "SELECT count(*) AS n FROM duty_ksbs dk JOIN duties d ON d.id = dk.duty_id \
         JOIN ksbs k ON k.id = dk.ksb_id WHERE k.code = 'S7' AND d.code = 'D3'",
    )
    .await;
    assert_eq!(s7_duties, 1);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM duty_ksbs dk JOIN ksbs k ON k.id = dk.ksb_id WHERE k.code = 'S7'").await,
        1
    );
}

#[tokio::test]
async fn reimporting_the_same_file_changes_nothing() {
    let db = TestDatabase::new().await;
    let before = catalogue_fingerprint(&db).await;
    let output = import(&db, NATIVE);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("unchanged"));
    assert_eq!(catalogue_fingerprint(&db).await, before);
}

#[tokio::test]
async fn a_duty_naming_an_unknown_ksb_is_refused_whole() {
    let db = TestDatabase::new().await;
    let before = catalogue_fingerprint(&db).await;
    let mut file = native();
    file["version"] = "1.2".into();
    file["duties"][0]["ksbs"]
        .as_array_mut()
        .expect("d1")
        .push("K77".into());
    let output = import(&db, &file.to_string());
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("duty D1 lists unknown KSB `K77`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(catalogue_fingerprint(&db).await, before);
}

#[tokio::test]
async fn duplicate_ksbs_are_refused() {
    let db = TestDatabase::new().await;
    let mut file = native();
    file["version"] = "1.2".into();
    let first = file["ksbs"][0].clone();
    file["ksbs"].as_array_mut().expect("ksbs").push(first);
    let output = import(&db, &file.to_string());
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("KSB K1 appears more than once"),
        "{}",
        stderr(&output)
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM standards").await, 1);
}

#[tokio::test]
async fn a_ksb_in_no_duty_is_refused() {
    let db = TestDatabase::new().await;
    let mut file = native();
    file["version"] = "1.2".into();
    for duty in file["duties"].as_array_mut().expect("duties") {
        duty["ksbs"]
            .as_array_mut()
            .expect("ksbs")
            .retain(|k| k != "K19");
    }
    let output = import(&db, &file.to_string());
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("KSB K19 is in no duty"),
        "{}",
        stderr(&output)
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM standards").await, 1);
}

#[tokio::test]
async fn changed_ksb_text_under_an_existing_version_is_refused() {
    let db = TestDatabase::new().await;
    let before = catalogue_fingerprint(&db).await;
    let mut file = native();
    file["ksbs"][4]["text"] = "Something else entirely.".into();
    let output = import(&db, &file.to_string());
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("K5 differs"), "{message}");
    assert!(message.contains("new version"), "{message}");
    assert_eq!(catalogue_fingerprint(&db).await, before);
}

#[tokio::test]
async fn a_new_version_is_added_and_served_as_the_latest() {
    let app = spawn_app().await;
    let mut file = native();
    file["version"] = "1.10".into();
    file["ksbs"][4]["text"] = "A reworded statement.".into();
    let output = import(&app.db, &file.to_string());
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        count(&app.db, "SELECT count(*) AS n FROM standards").await,
        2
    );
    let body: Value = app
        .get("/api/v1/standards/ST0220")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["version"], "1.10");
    assert_eq!(body["ksbs"][4]["text"], "A reworded statement.");
}

#[tokio::test]
async fn a_file_that_is_not_json_is_refused_with_a_clear_message() {
    let db = TestDatabase::new().await;
    let output = import(&db, "{ not json");
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not valid JSON"),
        "{}",
        stderr(&output)
    );
}
