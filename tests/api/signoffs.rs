//! Employer sign-off: preconditions, one active per KSB, revocation, and who may do it.

use serde_json::{Value, json};

use crate::helpers::portfolio::{accepted, act, coverage, id, log, sign_off, submit};
use crate::helpers::spawn_app;
use crate::helpers::world::World;

#[tokio::test]
async fn a_ksb_needs_accepted_evidence_before_sign_off() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, mentor, a) = (
        &w.a.apprentice.token,
        &w.a.mentor.token,
        &w.a.apprenticeship,
    );
    let (status, body) = sign_off(&app, mentor, a, "S7").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("no_accepted_evidence"))
    );
    let e = id(&log(&app, me, a, "S7", &["S7"]).await);
    submit(&app, me, &e).await;
    assert_eq!(
        sign_off(&app, mentor, a, "S7").await.0,
        409,
        "submitted is not accepted"
    );
    accepted(&app, me, &w.a.tutor.token, a, &["S7"]).await;
    let (status, body) = sign_off(&app, mentor, a, "s7").await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["ksb"], "S7");
    assert_eq!(body["signed_off_by"]["id"], w.a.mentor.id.as_str());
    let (status, body) = sign_off(&app, mentor, a, "S7").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("already_signed_off"))
    );
    let (status, body) = sign_off(&app, mentor, a, "Z1").await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("ksb"))
    );
}

#[tokio::test]
async fn a_revoked_sign_off_stays_listed_and_the_ksb_can_be_signed_off_again() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (mentor, a) = (&w.a.mentor.token, &w.a.apprenticeship);
    accepted(&app, &w.a.apprentice.token, &w.a.tutor.token, a, &["S7"]).await;
    let first = id(&sign_off(&app, mentor, a, "S7").await.1);
    let revoke = format!("/api/v1/apprenticeships/{a}/signoffs/{first}/revoke");
    assert_eq!(
        act(&app, mentor, &revoke, Some(json!({ "reason": "" })))
            .await
            .0,
        422
    );
    let (status, body) = act(
        &app,
        mentor,
        &revoke,
        Some(json!({ "reason": "Too early" })),
    )
    .await;
    assert_eq!(
        (status, body["revoked_reason"].as_str()),
        (200, Some("Too early"))
    );
    assert_eq!(body["revoked_by"]["id"], w.a.mentor.id.as_str());
    assert_eq!(
        act(&app, mentor, &revoke, Some(json!({ "reason": "again" })))
            .await
            .0,
        409
    );
    assert_eq!(
        coverage(&app, mentor, a).await["ksbs"]
            .as_array()
            .expect("k")
            .iter()
            .find(|k| k["code"] == "S7")
            .expect("s7")["status"],
        "evidenced"
    );
    assert_eq!(sign_off(&app, mentor, a, "S7").await.0, 201);
    let list: Value = app
        .get_as(
            &w.a.tutor.token,
            &format!("/api/v1/apprenticeships/{a}/signoffs"),
        )
        .await
        .json()
        .await
        .expect("json");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert!(items[0]["revoked_at"].is_null(), "newest (active) first");
    assert!(!items[1]["revoked_at"].is_null());
}

#[tokio::test]
async fn only_employer_users_of_the_employer_sign_off() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a.apprenticeship;
    accepted(&app, &w.a.apprentice.token, &w.a.tutor.token, a, &["S7"]).await;
    assert_eq!(sign_off(&app, &w.a.tutor.token, a, "S7").await.0, 403);
    assert_eq!(sign_off(&app, &w.a.apprentice.token, a, "S7").await.0, 403);
    assert_eq!(sign_off(&app, &w.admin.token, a, "S7").await.0, 403);
    assert_eq!(sign_off(&app, &w.b.mentor.token, a, "S7").await.0, 404);
    let signoff = id(&sign_off(&app, &w.a.mentor.token, a, "S7").await.1);
    let revoke = format!("/api/v1/apprenticeships/{a}/signoffs/{signoff}/revoke");
    assert_eq!(
        act(
            &app,
            &w.a.tutor.token,
            &revoke,
            Some(json!({ "reason": "no" }))
        )
        .await
        .0,
        403
    );
    assert_eq!(
        act(
            &app,
            &w.b.mentor.token,
            &revoke,
            Some(json!({ "reason": "no" }))
        )
        .await
        .0,
        404
    );
}
