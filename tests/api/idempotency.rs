//! Safe retries with `Idempotency-Key`.

use serde_json::{Value, json};

use crate::helpers::app::assert_problem;
use crate::helpers::spawn_app;
use crate::helpers::world::World;

async fn count_evidence(app: &crate::helpers::TestApp, token: &str, apprenticeship: &str) -> i64 {
    let body: Value = app
        .get_as(
            token,
            &format!("/api/v1/apprenticeships/{apprenticeship}/evidence"),
        )
        .await
        .json()
        .await
        .expect("json");
    body["total"].as_i64().expect("total")
}

#[tokio::test]
async fn a_retry_with_the_same_key_and_body_returns_the_first_response_and_creates_nothing() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let path = format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship);
    let body = json!({ "title": "Once", "kind": "observation", "occurred_on": "2026-01-01", "ksbs": ["S7"] });
    let send = || {
        app.as_user(&w.a.apprentice.token, reqwest::Method::POST, &path)
            .header("idempotency-key", "log-once-1")
            .json(&body)
            .send()
    };
    let first = send().await.expect("sent");
    assert_eq!(first.status().as_u16(), 201);
    let first: Value = first.json().await.expect("json");
    let second = send().await.expect("sent");
    assert_eq!(second.status().as_u16(), 201);
    let second: Value = second.json().await.expect("json");
    assert_eq!(first, second);
    assert_eq!(
        count_evidence(&app, &w.a.apprentice.token, &w.a.apprenticeship).await,
        1
    );
}

#[tokio::test]
async fn concurrent_retries_create_once() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let path = format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship);
    let body = json!({ "title": "Race", "kind": "observation", "occurred_on": "2026-01-01", "ksbs": ["S7"] });
    let send = || {
        app.as_user(&w.a.apprentice.token, reqwest::Method::POST, &path)
            .header("idempotency-key", "race-1")
            .json(&body)
            .send()
    };
    let (a, b, c) = tokio::join!(send(), send(), send());
    let ids: Vec<String> =
        futures_util::future::join_all([a, b, c].into_iter().map(|r| async move {
            let r = r.expect("sent");
            assert_eq!(r.status().as_u16(), 201);
            let v: Value = r.json().await.expect("json");
            v["id"].as_str().expect("id").to_string()
        }))
        .await;
    assert!(ids.iter().all(|id| *id == ids[0]));
    assert_eq!(
        count_evidence(&app, &w.a.apprentice.token, &w.a.apprenticeship).await,
        1
    );
}

#[tokio::test]
async fn the_same_key_with_another_body_is_422() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let path = format!("/api/v1/apprenticeships/{}/signoffs", w.a.apprenticeship);
    crate::helpers::portfolio::accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S7", "S8"],
    )
    .await;
    let send = |ksb: &'static str| {
        app.as_user(&w.a.mentor.token, reqwest::Method::POST, &path)
            .header("idempotency-key", "sign-1")
            .json(&json!({ "ksb": ksb, "comment": "" }))
            .send()
    };
    assert_eq!(send("S7").await.expect("sent").status().as_u16(), 201);
    assert_eq!(
        send("S7").await.expect("sent").status().as_u16(),
        201,
        "a replay, not a 409"
    );
    let body = assert_problem(send("S8").await.expect("sent"), 422).await;
    assert_eq!(body["errors"][0]["field"], "Idempotency-Key");
}
