//! Off-the-job training, progress reviews and breaks through the API, and the kept OTJ figures
//! read back beside a recomputation from the entries.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use super::TestApp;
use super::portfolio::act;

/// Sends `method path` with a JSON body and `If-Match`; returns the status and body.
pub async fn send(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    if_match: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app.as_user(token, method, path);
    if let Some(tag) = if_match {
        request = request.header("if-match", tag);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Logs an entry as the apprentice; returns the status and body.
pub async fn log_otj(
    app: &TestApp,
    token: &str,
    apprenticeship: &str,
    day: &str,
    minutes: i32,
) -> (u16, Value) {
    act(
        app,
        token,
        &format!("/api/v1/apprenticeships/{apprenticeship}/otj"),
        Some(json!({
            "occurred_on": day, "minutes": minutes, "activity": "taught_session",
            "description": "Blood sciences lecture on quality control.", "ksbs": ["K1"],
        })),
    )
    .await
}

pub async fn review_otj(
    app: &TestApp,
    token: &str,
    entry: &str,
    decision: &str,
    reason: Option<&str>,
) -> (u16, Value) {
    act(
        app,
        token,
        &format!("/api/v1/otj/{entry}/review"),
        Some(json!({ "decision": decision, "reason": reason })),
    )
    .await
}

pub async fn summary(app: &TestApp, token: &str, apprenticeship: &str) -> Value {
    let response = app
        .get_as(
            token,
            &format!("/api/v1/apprenticeships/{apprenticeship}/otj/summary"),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}

/// The kept (approved, pending) minutes and the same recomputed from the entries.
pub async fn kept_and_recomputed(app: &TestApp, apprenticeship: &str) -> ((i64, i64), (i64, i64)) {
    let id: Uuid = apprenticeship.parse().expect("uuid");
    let mut conn = AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("connect");
    let kept = ksbfolio::db::apprenticeships::find(&conn, id)
        .await
        .expect("read")
        .expect("row");
    let recomputed = ksbfolio::db::otj::recompute(&mut conn, id)
        .await
        .expect("recompute");
    (
        (kept.otj_approved_minutes, kept.otj_pending_minutes),
        (recomputed.approved, recomputed.pending),
    )
}

/// Records a review held on `held_on` as provider staff; returns its body.
pub async fn create_review(
    app: &TestApp,
    tutor: &str,
    apprenticeship: &str,
    held_on: &str,
) -> Value {
    let (status, body) = act(
        app,
        tutor,
        &format!("/api/v1/apprenticeships/{apprenticeship}/reviews"),
        Some(json!({
            "held_on": held_on,
            "previous_actions": "Finish the audit module.",
            "progress_notes": "Good progress on duty 3.",
            "concerns": "",
            "next_actions": [{ "action": "Log two observations", "owner": "apprentice", "due_on": held_on }],
        })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body
}

pub async fn sign(app: &TestApp, token: &str, review: &str) -> (u16, Value) {
    act(app, token, &format!("/api/v1/reviews/{review}/sign"), None).await
}

pub async fn get_review(app: &TestApp, token: &str, review: &str) -> Value {
    let response = app
        .get_as(token, &format!("/api/v1/reviews/{review}"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}

pub async fn apprenticeship(app: &TestApp, token: &str, apprenticeship: &str) -> Value {
    let response = app
        .get_as(token, &format!("/api/v1/apprenticeships/{apprenticeship}"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}

/// Sets the OTJ plan of an apprenticeship through `PATCH` (reading its ETag first).
pub async fn set_plan(app: &TestApp, token: &str, id: &str, body: Value) -> (u16, Value) {
    let version = apprenticeship(app, token, id).await["version"].clone();
    send(
        app,
        token,
        Method::PATCH,
        &format!("/api/v1/apprenticeships/{id}"),
        Some(&format!("\"{version}\"")),
        Some(body),
    )
    .await
}
