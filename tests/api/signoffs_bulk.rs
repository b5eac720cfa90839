//! Bulk sign-off (several KSBs of one apprentice, all or nothing) and the `content_sha256` every
//! sign-off keeps: the accepted evidence revisions behind it, also for sign-offs made before the
//! hash existed (the backfill).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use ksbfolio::domain::signoff::{EvidenceRevision, content_sha256};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::helpers::portfolio::{accepted, act, coverage, sign_off};
use crate::helpers::spawn_app;
use crate::helpers::world::World;

async fn bulk(app: &TestApp, token: &str, a: &str, ksbs: &[&str]) -> (u16, Value) {
    act(
        app,
        token,
        &format!("/api/v1/apprenticeships/{a}/signoffs/bulk"),
        Some(json!({ "ksbs": ksbs, "comment": "Seen at work on the ward." })),
    )
    .await
}

async fn listed(app: &TestApp, token: &str, a: &str) -> Vec<Value> {
    let response = app
        .get_as(token, &format!("/api/v1/apprenticeships/{a}/signoffs"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    body["items"].as_array().expect("items").clone()
}

/// The hash a sign-off of `ksb` should carry, computed here from the evidence's revisions as
/// the API shows them (the latest revision of each, which is accepted and names the KSB).
async fn expected_hash(
    app: &TestApp,
    token: &str,
    a: &str,
    ksb: &str,
    evidence: &[&str],
) -> String {
    let mut revisions = Vec::new();
    for e in evidence {
        let response = app
            .get_as(token, &format!("/api/v1/evidence/{e}/revisions"))
            .await;
        let body: Value = response.json().await.expect("json");
        let latest = body["items"]
            .as_array()
            .expect("items")
            .iter()
            .max_by_key(|r| r["version"].as_i64())
            .expect("a revision")
            .clone();
        assert_eq!(latest["status"], "accepted");
        revisions.push(EvidenceRevision {
            evidence_id: e.parse().expect("uuid"),
            version: i32::try_from(latest["version"].as_i64().expect("v")).expect("i32"),
            title: latest["title"].as_str().expect("t").into(),
            description: latest["description"].as_str().expect("d").into(),
            kind: latest["kind"].as_str().expect("k").into(),
            occurred_on: NaiveDate::parse_from_str(
                latest["occurred_on"].as_str().expect("o"),
                "%Y-%m-%d",
            )
            .expect("date"),
            ksbs: latest["ksbs"]
                .as_array()
                .expect("ksbs")
                .iter()
                .map(|k| k.as_str().expect("code").to_string())
                .collect(),
        });
    }
    content_sha256(a.parse().expect("uuid"), ksb, &revisions)
}

#[tokio::test]
async fn a_mentor_signs_off_several_ksbs_of_one_apprentice_with_one_request() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (mentor, a) = (&w.a.mentor.token, &w.a.apprenticeship);
    accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        a,
        &["S7", "K1", "B2"],
    )
    .await;
    let (status, body) = bulk(&app, mentor, a, &["s7", "B2", "K1"]).await;
    assert_eq!(status, 201, "{body}");
    let items = body["items"].as_array().expect("items");
    let codes: Vec<&str> = items
        .iter()
        .map(|i| i["ksb"].as_str().expect("ksb"))
        .collect();
    assert_eq!(codes, vec!["S7", "B2", "K1"], "in the order asked");
    for item in items {
        assert_eq!(item["signed_off_by"]["id"], w.a.mentor.id.as_str());
        assert_eq!(item["comment"], "Seen at work on the ward.");
    }
    let listed = listed(&app, mentor, a).await;
    assert_eq!(listed.len(), 3);
    let covered = coverage(&app, mentor, a).await;
    let signed = covered["ksbs"]
        .as_array()
        .expect("ksbs")
        .iter()
        .filter(|k| k["status"] == "signed_off")
        .count();
    assert_eq!(signed, 3);
    assert_eq!(covered["totals"]["signed_off"], 3, "kept figures moved too");
}

#[tokio::test]
async fn a_ksb_without_accepted_evidence_refuses_the_whole_bulk_sign_off_and_is_named() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (mentor, a) = (&w.a.mentor.token, &w.a.apprenticeship);
    accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        a,
        &["S7", "K1"],
    )
    .await;
    let (status, body) = bulk(&app, mentor, a, &["S7", "K2", "K1"]).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "no_accepted_evidence");
    let detail = body["detail"].as_str().expect("detail");
    assert!(
        detail.starts_with("K2 has no accepted evidence"),
        "{detail}"
    );
    assert!(detail.contains("Nothing was signed off"), "{detail}");
    assert!(listed(&app, mentor, a).await.is_empty(), "nothing written");
    assert_eq!(coverage(&app, mentor, a).await["totals"]["signed_off"], 0);
}

#[tokio::test]
async fn a_ksb_already_signed_off_refuses_the_whole_bulk_sign_off_and_is_named() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (mentor, a) = (&w.a.mentor.token, &w.a.apprenticeship);
    accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        a,
        &["S7", "K1", "K3"],
    )
    .await;
    assert_eq!(sign_off(&app, mentor, a, "K1").await.0, 201);
    let (status, body) = bulk(&app, mentor, a, &["S7", "K1", "K3"]).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "already_signed_off");
    assert!(
        body["detail"]
            .as_str()
            .expect("d")
            .starts_with("K1 is already signed off"),
        "{body}"
    );
    assert_eq!(
        listed(&app, mentor, a).await.len(),
        1,
        "only the earlier one"
    );
    // The audit trail holds no bulk row either.
    let response = app
        .get_as(&w.admin.token, "/api/v1/audit?entity_type=signoff")
        .await;
    let audit: Value = response.json().await.expect("json");
    assert_eq!(audit["total"], 1, "{audit}");
}

#[tokio::test]
async fn a_bulk_request_names_no_ksb_twice_and_only_ksbs_of_the_standard() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (mentor, a) = (&w.a.mentor.token, &w.a.apprenticeship);
    for (ksbs, says) in [
        (vec![], "at least one"),
        (vec!["S7", "s7"], "S7 is listed twice"),
        (vec!["S7", "Z9"], "Z9 is not a KSB"),
    ] {
        let (status, body) = bulk(&app, mentor, a, &ksbs).await;
        assert_eq!(status, 422, "{ksbs:?}: {body}");
        assert_eq!(body["errors"][0]["field"], "ksbs");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .expect("m")
                .contains(says),
            "{body}"
        );
    }
}

#[tokio::test]
async fn only_the_apprenticeships_own_mentor_signs_off_in_bulk() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a.apprenticeship;
    accepted(&app, &w.a.apprentice.token, &w.a.tutor.token, a, &["S7"]).await;
    let colleague = crate::helpers::world::user(
        &app,
        &w.admin.token,
        "employer",
        &w.a.employer_org,
        "Colleague A",
    )
    .await;
    let (status, body) = bulk(&app, &colleague.token, a, &["S7"]).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["detail"].as_str().expect("d").contains("Mentor A"),
        "the refusal names the mentor: {body}"
    );
    for token in [&w.a.tutor.token, &w.a.apprentice.token, &w.admin.token] {
        assert_eq!(bulk(&app, token, a, &["S7"]).await.0, 403);
    }
    assert_eq!(bulk(&app, &w.b.mentor.token, a, &["S7"]).await.0, 404);
    assert!(listed(&app, &w.a.mentor.token, a).await.is_empty());
}

#[tokio::test]
async fn every_sign_off_keeps_the_sha256_of_the_accepted_evidence_revisions_behind_it() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, mentor, a) = (
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.mentor.token,
        &w.a.apprenticeship,
    );
    let first = accepted(&app, me, tutor, a, &["S7", "K1"]).await;
    let second = accepted(&app, me, tutor, a, &["S7"]).await;
    let (status, single) = sign_off(&app, mentor, a, "K1").await;
    assert_eq!(status, 201, "{single}");
    assert_eq!(
        single["content_sha256"],
        expected_hash(&app, mentor, a, "K1", &[&first]).await
    );
    let (status, body) = bulk(&app, mentor, a, &["S7"]).await;
    assert_eq!(status, 201, "{body}");
    let s7 = body["items"][0]["content_sha256"].as_str().expect("hash");
    assert_eq!(
        s7,
        expected_hash(&app, mentor, a, "S7", &[&first, &second]).await
    );
    assert_ne!(s7, single["content_sha256"].as_str().expect("hash"));
    let listed = listed(&app, mentor, a).await;
    assert!(
        listed
            .iter()
            .all(|s| s["content_sha256"].as_str().is_some_and(|h| h.len() == 64))
    );
}

#[tokio::test]
async fn a_backfilled_hash_is_the_one_the_sign_off_had_when_it_was_made() {
    use ksbfolio::db::schema::signoffs;
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, mentor, a) = (
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.mentor.token,
        &w.a.apprenticeship,
    );
    accepted(&app, me, tutor, a, &["S7"]).await;
    let (_, made) = sign_off(&app, mentor, a, "S7").await;
    let hash = made["content_sha256"].as_str().expect("hash").to_string();
    // Later accepted evidence for S7 is not what the mentor confirmed.
    accepted(&app, me, tutor, a, &["S7"]).await;
    let id: Uuid = made["id"].as_str().expect("id").parse().expect("uuid");
    let mut conn = AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("connect");
    // As a sign-off made before the column existed.
    diesel::update(signoffs::table.find(id))
        .set(signoffs::content_sha256.eq(None::<String>))
        .execute(&mut conn)
        .await
        .expect("cleared");
    assert_eq!(
        listed(&app, mentor, a).await[0]["content_sha256"],
        Value::Null
    );
    let hashed = ksbfolio::db::signoff_hash::backfill(&mut conn)
        .await
        .expect("backfill");
    assert_eq!(hashed, 1);
    assert_eq!(
        listed(&app, mentor, a).await[0]["content_sha256"],
        hash.as_str()
    );
    assert_eq!(
        ksbfolio::db::signoff_hash::backfill(&mut conn)
            .await
            .expect("again"),
        0,
        "nothing left to do"
    );
}
