//! `PATCH /api/v1/apprenticeships/{id}`: If-Match, who may change what, the new mentor and
//! tutor checked as at enrolment, and every change audited with its old and new values.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::reviews::{apprenticeship, send};
use crate::helpers::spawn_app;
use crate::helpers::world::{World, user};

fn path(id: &str) -> String {
    format!("/api/v1/apprenticeships/{id}")
}

#[tokio::test]
async fn changing_an_apprenticeship_needs_the_current_etag() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor, a) = (&w.a.tutor.token, &w.a.apprenticeship);
    let response = app.get_as(tutor, &path(a)).await;
    assert_eq!(response.headers()["etag"], "\"1\"");
    let body = Some(json!({ "expected_end_date": "2027-12-31" }));
    assert_eq!(
        send(&app, tutor, Method::PATCH, &path(a), None, body.clone())
            .await
            .0,
        428
    );
    assert_eq!(
        send(
            &app,
            tutor,
            Method::PATCH,
            &path(a),
            Some("\"7\""),
            body.clone()
        )
        .await
        .0,
        412
    );
    let (status, changed) = send(
        &app,
        tutor,
        Method::PATCH,
        &path(a),
        Some("\"1\""),
        body.clone(),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (
            changed["expected_end_date"].as_str(),
            changed["version"].as_i64()
        ),
        (Some("2027-12-31"), Some(2))
    );
    assert_eq!(
        send(&app, tutor, Method::PATCH, &path(a), Some("\"1\""), body)
            .await
            .0,
        412,
        "the old ETag is stale now"
    );
}

#[tokio::test]
async fn every_change_is_audited_with_its_old_and_new_values() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor, a) = (&w.a.tutor.token, &w.a.apprenticeship);
    let second_tutor = user(
        &app,
        &w.admin.token,
        "provider",
        &w.a.provider_org,
        "Tutor A2",
    )
    .await;
    let (status, body) = send(
        &app,
        tutor,
        Method::PATCH,
        &path(a),
        Some("\"1\""),
        Some(json!({
            "tutor_id": second_tutor.id, "planned_otj_hours": 400, "rpl_reduction_hours": 20,
        })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let audit: Value = app
        .get_as(
            tutor,
            &format!("/api/v1/audit?entity_type=apprenticeship&entity_id={a}"),
        )
        .await
        .json()
        .await
        .expect("json");
    let row = &audit["items"][0];
    assert_eq!(row["action"], "apprenticeship.updated");
    let changes = &row["summary"]["changes"];
    assert_eq!(
        changes["tutor_id"],
        json!({ "old": w.a.tutor.id, "new": second_tutor.id })
    );
    assert_eq!(
        changes["planned_otj_hours"],
        json!({ "old": null, "new": 400 })
    );
    assert_eq!(
        changes["rpl_reduction_hours"],
        json!({ "old": 0, "new": 20 })
    );
    assert!(
        changes.get("mentor_id").is_none(),
        "unchanged fields are not listed"
    );
}

#[tokio::test]
async fn a_new_mentor_or_tutor_must_belong_to_the_apprenticeships_own_organisations() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor, a) = (&w.a.tutor.token, &w.a.apprenticeship);
    let (status, body) = send(
        &app,
        tutor,
        Method::PATCH,
        &path(a),
        Some("\"1\""),
        Some(json!({
            "mentor_id": w.b.mentor.id, "tutor_id": w.b.tutor.id, "expected_end_date": "2025-08-01",
        })),
    )
    .await;
    assert_eq!(status, 403, "mentor B works with another provider: {body}");
    let fresh_mentor = user(
        &app,
        &w.admin.token,
        "employer",
        &w.b.employer_org,
        "Mentor B2",
    )
    .await;
    let (status, body) = send(&app, tutor, Method::PATCH, &path(a), Some("\"1\""), Some(json!({
        "mentor_id": fresh_mentor.id, "tutor_id": w.b.tutor.id, "expected_end_date": "2025-08-01",
    }))).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("e")
        .iter()
        .map(|e| e["field"].as_str().expect("f"))
        .collect();
    assert_eq!(fields, ["mentor_id", "tutor_id", "expected_end_date"]);
    let (status, body) = send(
        &app,
        tutor,
        Method::PATCH,
        &path(a),
        Some("\"1\""),
        Some(json!({ "planned_otj_hours": 100 })),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("planned_otj_hours"))
    );
    assert_eq!(
        apprenticeship(&app, tutor, a).await["version"],
        1,
        "nothing was written"
    );
}

#[tokio::test]
async fn only_an_admin_or_the_apprenticeships_provider_changes_it() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a.apprenticeship;
    let body = Some(json!({ "planned_otj_hours": 200 }));
    assert_eq!(
        send(
            &app,
            &w.a.mentor.token,
            Method::PATCH,
            &path(a),
            Some("\"1\""),
            body.clone()
        )
        .await
        .0,
        403
    );
    assert_eq!(
        send(
            &app,
            &w.a.apprentice.token,
            Method::PATCH,
            &path(a),
            Some("\"1\""),
            body.clone()
        )
        .await
        .0,
        403
    );
    assert_eq!(
        send(
            &app,
            &w.b.tutor.token,
            Method::PATCH,
            &path(a),
            Some("\"1\""),
            body.clone()
        )
        .await
        .0,
        404
    );
    assert_eq!(
        send(
            &app,
            &w.admin.token,
            Method::PATCH,
            &path(a),
            Some("\"1\""),
            body
        )
        .await
        .0,
        200
    );
}
