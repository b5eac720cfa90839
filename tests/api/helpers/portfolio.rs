//! Acting on a portfolio through the API: log, submit, review, sign off.

use reqwest::Method;
use serde_json::{Value, json};

use super::TestApp;

/// Logs a draft for `ksbs` as the apprentice and returns its body.
pub async fn log(
    app: &TestApp,
    token: &str,
    apprenticeship: &str,
    title: &str,
    ksbs: &[&str],
) -> Value {
    let response = app
        .post_as(
            token,
            &format!("/api/v1/apprenticeships/{apprenticeship}/evidence"),
            &json!({
                "title": title, "description": "What I did and what I learnt.",
                "kind": "observation", "occurred_on": "2026-01-15", "ksbs": ksbs,
            }),
        )
        .await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, 201, "{body}");
    body
}

pub fn id(body: &Value) -> String {
    body["id"].as_str().expect("id").to_string()
}

/// POSTs with an empty body (the workflow verbs) and returns the status and body.
pub async fn act(app: &TestApp, token: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.as_user(token, Method::POST, path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

pub async fn submit(app: &TestApp, token: &str, evidence: &str) -> (u16, Value) {
    act(
        app,
        token,
        &format!("/api/v1/evidence/{evidence}/submit"),
        None,
    )
    .await
}

pub async fn review(
    app: &TestApp,
    token: &str,
    evidence: &str,
    decision: &str,
    feedback: &str,
) -> (u16, Value) {
    act(
        app,
        token,
        &format!("/api/v1/evidence/{evidence}/review"),
        Some(json!({ "decision": decision, "feedback": feedback })),
    )
    .await
}

pub async fn withdraw(app: &TestApp, token: &str, evidence: &str, reason: &str) -> (u16, Value) {
    act(
        app,
        token,
        &format!("/api/v1/evidence/{evidence}/withdraw"),
        Some(json!({ "reason": reason })),
    )
    .await
}

pub async fn sign_off(app: &TestApp, token: &str, apprenticeship: &str, ksb: &str) -> (u16, Value) {
    act(
        app,
        token,
        &format!("/api/v1/apprenticeships/{apprenticeship}/signoffs"),
        Some(json!({ "ksb": ksb, "comment": "Seen it done well." })),
    )
    .await
}

/// Logs, submits and accepts evidence for `ksbs`; returns the evidence id.
pub async fn accepted(
    app: &TestApp,
    apprentice: &str,
    tutor: &str,
    apprenticeship: &str,
    ksbs: &[&str],
) -> String {
    let evidence = id(&log(app, apprentice, apprenticeship, "Accepted work", ksbs).await);
    assert_eq!(submit(app, apprentice, &evidence).await.0, 200);
    assert_eq!(review(app, tutor, &evidence, "accepted", "").await.0, 200);
    evidence
}

pub async fn coverage(app: &TestApp, token: &str, apprenticeship: &str) -> Value {
    let response = app
        .get_as(
            token,
            &format!("/api/v1/apprenticeships/{apprenticeship}/coverage"),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}
