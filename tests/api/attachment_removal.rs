//! Removing an attachment: only the apprentice, only while the evidence is editable; the row,
//! a revision noting it and the audit row in one go, and the file gone from storage.

use reqwest::Method;
use serde_json::Value;

use crate::attachments::{PNG, stored_files, upload};
use crate::helpers::TestApp;
use crate::helpers::app::assert_problem;
use crate::helpers::portfolio::{accepted, id, log, review, submit};
use crate::helpers::spawn_app;
use crate::helpers::world::World;

async fn remove(app: &TestApp, token: &str, evidence: &str, attachment: &str) -> reqwest::Response {
    app.as_user(
        token,
        Method::DELETE,
        &format!("/api/v1/evidence/{evidence}/attachments/{attachment}"),
    )
    .send()
    .await
    .expect("sent")
}

/// A draft of apprentice A with one PNG attached: (evidence id, attachment id).
async fn draft_with_file(app: &TestApp, w: &World, name: &str) -> (String, String) {
    let e = id(&log(
        app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Photo",
        &["S7"],
    )
    .await);
    let response = upload(
        app,
        &w.a.apprentice.token,
        &e,
        name,
        PNG.to_vec(),
        "image/png",
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    let attachment = id(&response.json().await.expect("json"));
    (e, attachment)
}

async fn json(response: reqwest::Response) -> Value {
    response.json().await.expect("json")
}

#[tokio::test]
async fn the_apprentice_removes_an_attachment_from_a_draft_and_its_file_leaves_storage() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (e, attachment) = draft_with_file(&app, &w, "qc-record.png").await;
    assert_eq!(stored_files(&app).len(), 1);

    let response = remove(&app, &w.a.apprentice.token, &e, &attachment).await;
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.headers()["etag"], "\"2\"");
    assert!(stored_files(&app).is_empty(), "{:?}", stored_files(&app));

    let list = json(
        app.get_as(
            &w.a.apprentice.token,
            &format!("/api/v1/evidence/{e}/attachments"),
        )
        .await,
    )
    .await;
    assert_eq!(list["items"], serde_json::json!([]));
    let download = app
        .get_as(
            &w.a.apprentice.token,
            &format!("/api/v1/evidence/{e}/attachments/{attachment}"),
        )
        .await;
    assert_eq!(download.status().as_u16(), 404);
    let evidence = json(
        app.get_as(&w.a.apprentice.token, &format!("/api/v1/evidence/{e}"))
            .await,
    )
    .await;
    assert_eq!(evidence["version"], 2);
    assert_eq!(evidence["status"], "draft");
}

#[tokio::test]
async fn a_removal_is_noted_in_a_revision_and_audited() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (e, attachment) = draft_with_file(&app, &w, "qc-record.png").await;
    let response = remove(&app, &w.a.apprentice.token, &e, &attachment).await;
    assert_eq!(response.status().as_u16(), 204);

    let revisions = json(
        app.get_as(&w.a.tutor.token, &format!("/api/v1/evidence/{e}/revisions"))
            .await,
    )
    .await;
    let items = revisions["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{revisions}");
    assert_eq!(items[0]["note"], Value::Null);
    assert_eq!(items[1]["version"], 2);
    assert_eq!(items[1]["note"], "Removed the file “qc-record.png”.");
    assert_eq!(items[1]["status"], "draft");
    assert_eq!(items[1]["ksbs"], serde_json::json!(["S7"]));
    assert_eq!(items[1]["author"]["id"], w.a.apprentice.id.as_str());

    let audit = json(
        app.get_as(
            &w.admin.token,
            &format!("/api/v1/audit?entity_type=evidence&entity_id={e}"),
        )
        .await,
    )
    .await;
    let row = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["action"] == "evidence.attachment_removed")
        .unwrap_or_else(|| panic!("no removal audited: {audit}"));
    assert_eq!(row["actor_id"], w.a.apprentice.id.as_str());
    assert_eq!(row["summary"]["attachment_id"], attachment.as_str());
    assert_eq!(row["summary"]["filename"], "qc-record.png");
    assert_eq!(row["summary"]["version"], 2);
}

#[tokio::test]
async fn evidence_sent_back_for_changes_can_lose_an_attachment() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (e, attachment) = draft_with_file(&app, &w, "a.png").await;
    assert_eq!(submit(&app, &w.a.apprentice.token, &e).await.0, 200);
    let (status, _) = review(
        &app,
        &w.a.tutor.token,
        &e,
        "changes_requested",
        "Wrong photo.",
    )
    .await;
    assert_eq!(status, 200);
    let response = remove(&app, &w.a.apprentice.token, &e, &attachment).await;
    assert_eq!(response.status().as_u16(), 204);
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn submitted_or_accepted_evidence_keeps_its_attachments_with_409() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (e, attachment) = draft_with_file(&app, &w, "a.png").await;
    assert_eq!(submit(&app, &w.a.apprentice.token, &e).await.0, 200);
    let body = assert_problem(
        remove(&app, &w.a.apprentice.token, &e, &attachment).await,
        409,
    )
    .await;
    assert_eq!(body["code"], "evidence_not_editable");

    let (status, _) = review(&app, &w.a.tutor.token, &e, "accepted", "").await;
    assert_eq!(status, 200);
    let body = assert_problem(
        remove(&app, &w.a.apprentice.token, &e, &attachment).await,
        409,
    )
    .await;
    assert_eq!(body["code"], "evidence_not_editable");
    assert_eq!(stored_files(&app).len(), 1);

    let other = accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S8"],
    )
    .await;
    assert_problem(
        remove(&app, &w.a.apprentice.token, &other, &attachment).await,
        409,
    )
    .await;
}

#[tokio::test]
async fn only_the_apprentice_of_the_evidence_removes_its_attachments() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (e, attachment) = draft_with_file(&app, &w, "a.png").await;
    let body = assert_problem(
        remove(&app, &w.b.apprentice.token, &e, &attachment).await,
        404,
    )
    .await;
    assert_eq!(body["code"], "not_found");
    assert_problem(remove(&app, &w.a.tutor.token, &e, &attachment).await, 403).await;
    assert_problem(remove(&app, &w.a.mentor.token, &e, &attachment).await, 403).await;
    let anonymous = app
        .request(
            Method::DELETE,
            &format!("/api/v1/evidence/{e}/attachments/{attachment}"),
        )
        .send()
        .await
        .expect("sent");
    assert_problem(anonymous, 401).await;
    assert_eq!(stored_files(&app).len(), 1);
}

#[tokio::test]
async fn an_attachment_of_other_evidence_or_none_at_all_is_404_and_nothing_changes() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (e, attachment) = draft_with_file(&app, &w, "a.png").await;
    let other = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Other",
        &["S8"],
    )
    .await);
    assert_problem(
        remove(&app, &w.a.apprentice.token, &other, &attachment).await,
        404,
    )
    .await;
    let unknown = uuid::Uuid::new_v4();
    assert_problem(
        remove(&app, &w.a.apprentice.token, &e, &unknown.to_string()).await,
        404,
    )
    .await;
    assert_eq!(stored_files(&app).len(), 1);
    let evidence = json(
        app.get_as(&w.a.apprentice.token, &format!("/api/v1/evidence/{other}"))
            .await,
    )
    .await;
    assert_eq!(
        evidence["version"], 1,
        "a refused removal makes no new version"
    );
}
