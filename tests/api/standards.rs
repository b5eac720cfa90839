use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::app::assert_problem;
use crate::helpers::spawn_app;

const DATA_FILE: &str = include_str!("../../data/standards/ST0220.json");

async fn st0220(app: &crate::helpers::TestApp) -> Value {
    let response = app.get("/api/v1/standards/ST0220").await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn st0220_has_44_knowledge_44_skill_6_behaviour_statements_and_10_duties() {
    let app = spawn_app().await;
    let body = st0220(&app).await;
    let kinds: Vec<&str> = body["ksbs"]
        .as_array()
        .expect("ksbs")
        .iter()
        .map(|k| k["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "knowledge").count(), 44);
    assert_eq!(kinds.iter().filter(|k| **k == "skill").count(), 44);
    assert_eq!(kinds.iter().filter(|k| **k == "behaviour").count(), 6);
    assert_eq!(body["duties"].as_array().expect("duties").len(), 10);
    assert_eq!(body["title"], "Healthcare science associate");
    assert_eq!(body["level"], 4);
    assert_eq!(body["version"], "1.1");
}

#[tokio::test]
async fn the_served_mapping_equals_the_data_file() {
    let app = spawn_app().await;
    let body = st0220(&app).await;
    let file: Value = serde_json::from_str(DATA_FILE).expect("data file");
    let links = |duties: &Value| -> BTreeSet<(String, String)> {
        duties
            .as_array()
            .expect("duties")
            .iter()
            .flat_map(|d| {
                let code = d["code"].as_str().expect("code").to_string();
                d["ksbs"]
                    .as_array()
                    .expect("ksbs")
                    .iter()
                    .map(move |k| (code.clone(), k.as_str().expect("code").to_string()))
            })
            .collect()
    };
    assert_eq!(links(&body["duties"]), links(&file["duties"]));
    let texts = |ksbs: &Value| -> Vec<(String, String)> {
        ksbs.as_array()
            .expect("ksbs")
            .iter()
            .map(|k| {
                (
                    k["code"].as_str().expect("c").into(),
                    k["text"].as_str().expect("t").into(),
                )
            })
            .collect()
    };
    assert_eq!(texts(&body["ksbs"]), texts(&file["ksbs"]));
}

#[tokio::test]
async fn every_ksb_is_in_at_least_one_duty_and_says_which() {
    let app = spawn_app().await;
    let body = st0220(&app).await;
    for ksb in body["ksbs"].as_array().expect("ksbs") {
        let duties = ksb["duties"].as_array().expect("duties");
        assert!(!duties.is_empty(), "{} is in no duty", ksb["code"]);
    }
}

#[tokio::test]
async fn duties_are_served_with_their_provisional_provenance() {
    let app = spawn_app().await;
    let body = st0220(&app).await;
    assert_eq!(body["mapping"]["status"], "provisional");
    assert!(
        body["mapping"]["note"]
            .as_str()
            .expect("note")
            .contains("provisional")
    );
    let list: Value = app
        .get("/api/v1/standards")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"][0]["reference"], "ST0220");
    assert_eq!(list["items"][0]["mapping_status"], "provisional");
}

#[tokio::test]
async fn an_unknown_standard_answers_404_problem() {
    let app = spawn_app().await;
    let body = assert_problem(app.get("/api/v1/standards/ST9999").await, 404).await;
    assert_eq!(body["code"], "not_found");
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_covers_the_catalogue() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("json");
    assert!(doc["openapi"].as_str().expect("version").starts_with("3.1"));
    for path in [
        "/healthz",
        "/readyz",
        "/api/v1/standards",
        "/api/v1/standards/{reference}",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is documented"
        );
    }
    let docs = app.get("/api/docs/").await;
    assert_eq!(docs.status().as_u16(), 200);
    let html = docs.text().await.expect("html");
    assert!(
        !html.contains("cdn."),
        "the API page loads nothing from a CDN"
    );
}

#[test]
fn the_frontend_types_come_from_the_current_openapi_document() {
    // frontend/src/api/schema.d.ts is generated from frontend/openapi.json (a vitest test checks
    // that step); this checks frontend/openapi.json is the server's document of today.
    let current = ksbfolio::api::openapi_json().expect("document");
    let committed =
        std::fs::read_to_string("frontend/openapi.json").expect("frontend/openapi.json");
    assert!(
        current.trim() == committed.trim(),
        "frontend/openapi.json is stale: run `make openapi` and commit the result"
    );
}

#[tokio::test]
async fn each_version_is_served_by_its_own_address_not_only_the_newest() {
    let app = spawn_app().await;
    let mut doc: Value = serde_json::from_str(DATA_FILE).expect("json");
    doc["version"] = "9.0".into();
    let ksbs = doc["ksbs"].as_array_mut().expect("ksbs");
    let k1 = ksbs.iter_mut().find(|k| k["code"] == "K1").expect("K1");
    k1["text"] = "The newer wording of K1.".into();
    let document = ksbfolio::domain::standard::StandardDocument::from_json(&doc.to_string(), "v9")
        .expect("valid document");
    let mut conn = app.db.connect().await;
    ksbfolio::db::catalogue::import(&mut conn, &document)
        .await
        .expect("imported");

    let newest: Value = app
        .get("/api/v1/standards/ST0220")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(newest["version"], "9.0");
    let response = app.get("/api/v1/standards/st0220/versions/1.1").await;
    assert_eq!(response.status().as_u16(), 200);
    let older: Value = response.json().await.expect("json");
    assert_eq!(older["version"], "1.1");
    let text_of = |body: &Value| {
        body["ksbs"]
            .as_array()
            .expect("ksbs")
            .iter()
            .find(|k| k["code"] == "K1")
            .map(|k| k["text"].clone())
    };
    assert_eq!(text_of(&newest), Some("The newer wording of K1.".into()));
    assert_ne!(text_of(&older), text_of(&newest));
    assert_eq!(older["duties"].as_array().map(Vec::len), Some(10));

    let missing = app.get("/api/v1/standards/ST0220/versions/7.7").await;
    let problem = assert_problem(missing, 404).await;
    assert_eq!(
        problem["detail"],
        "There is no version 7.7 of standard ST0220."
    );
}
