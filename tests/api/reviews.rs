//! Progress reviews: the snapshot, signatures (one per role, voided by reopening, never valid
//! over changed content), the deadline on month ends and across a break, and the review
//! standing on the apprenticeship and the caseload.

use chrono::NaiveDate;
use ksbfolio::domain::review::{ReviewState, review_state};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::portfolio::{accepted, act};
use crate::helpers::reviews::{
    apprenticeship, create_review, get_review, log_otj, review_otj, send, set_plan, sign,
};
use crate::helpers::world::{World, id};
use crate::helpers::{TestApp, spawn_app};

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// The state the domain rule gives for this deadline today, as the API spells it.
fn state_of(due: Option<&str>) -> &'static str {
    review_state(due.map(date), today()).as_str()
}

#[tokio::test]
async fn a_review_keeps_a_snapshot_of_coverage_and_otj_time_as_they_were_when_it_was_created() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    accepted(&app, me, tutor, a, &["S7", "K1"]).await;
    let entry = id(&log_otj(&app, me, a, "2026-02-02", 90).await.1);
    review_otj(&app, tutor, &entry, "approved", None).await;
    set_plan(&app, tutor, a, json!({ "planned_otj_hours": 400 })).await;
    let review = create_review(&app, tutor, a, "2026-06-01").await;
    assert_eq!(review["status"], "draft");
    let snapshot = review["snapshot"].clone();
    assert_eq!(snapshot["totals"]["evidenced"], 2);
    assert_eq!(snapshot["duties"].as_array().map(Vec::len), Some(10));
    assert_eq!(snapshot["otj"]["approved_minutes"], 90);
    assert_eq!(snapshot["otj"]["planned_minutes"], 400 * 60);
    // Later work does not change what the record shows.
    accepted(&app, me, tutor, a, &["S8"]).await;
    log_otj(&app, me, a, "2026-02-03", 60).await;
    let again = get_review(&app, tutor, &id(&review)).await;
    assert_eq!(again["snapshot"], snapshot);
    assert_eq!(again["content_sha256"], review["content_sha256"]);
}

#[tokio::test]
async fn a_review_is_signed_when_all_three_roles_have_signed_the_same_content() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    let review = id(&create_review(&app, &a.tutor.token, &a.apprenticeship, "2026-06-01").await);
    let (status, first) = sign(&app, &a.apprentice.token, &review).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["role"], "apprentice");
    assert_eq!(first["review_status"], "awaiting_signatures");
    let hash = first["content_sha256"].as_str().expect("hash").to_string();
    assert_eq!(hash.len(), 64);
    let (status, body) = sign(&app, &a.apprentice.token, &review).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("review_signature_refused"))
    );
    assert_eq!(
        sign(&app, &w.admin.token, &review).await.0,
        403,
        "admins do not sign"
    );
    assert_eq!(sign(&app, &w.b.mentor.token, &review).await.0, 404);
    let (status, body) = sign(&app, &a.mentor.token, &review).await;
    assert_eq!((status, body["role"].as_str()), (201, Some("employer")));
    let (status, body) = sign(&app, &a.tutor.token, &review).await;
    assert_eq!(
        (status, body["review_status"].as_str()),
        (201, Some("signed"))
    );
    assert_eq!(body["content_sha256"], hash.as_str());
    let got = get_review(&app, &a.mentor.token, &review).await;
    assert_eq!(got["status"], "signed");
    assert_eq!(got["signatures"].as_array().map(Vec::len), Some(3));
    assert!(
        got["signatures"]
            .as_array()
            .expect("s")
            .iter()
            .all(|s| s["valid"] == true)
    );
    let standing = apprenticeship(&app, &a.tutor.token, &a.apprenticeship).await;
    assert_eq!(standing["unsigned_reviews"], 0);
}

#[tokio::test]
async fn after_the_first_signature_the_content_is_frozen_and_says_who_signed() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    let review = id(&create_review(&app, &a.tutor.token, &a.apprenticeship, "2026-06-01").await);
    sign(&app, &a.apprentice.token, &review).await;
    let edit = json!({ "held_on": "2026-06-02", "progress_notes": "Changed." });
    let (status, body) = send(
        &app,
        &a.tutor.token,
        Method::PATCH,
        &format!("/api/v1/reviews/{review}"),
        Some("\"1\""),
        Some(edit),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("review_frozen"))
    );
    assert!(
        body["detail"]
            .as_str()
            .expect("d")
            .contains("Apprentice A (apprentice)"),
        "{body}"
    );
}

#[tokio::test]
async fn reopening_voids_the_signatures_keeps_them_and_returns_the_review_to_draft() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    let review = id(&create_review(&app, &a.tutor.token, &a.apprenticeship, "2026-06-01").await);
    for token in [&a.apprentice.token, &a.mentor.token, &a.tutor.token] {
        assert_eq!(sign(&app, token, &review).await.0, 201);
    }
    let path = format!("/api/v1/reviews/{review}/reopen");
    let (status, body) = act(&app, &a.tutor.token, &path, Some(json!({ "reason": "" }))).await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("reason"))
    );
    assert_eq!(
        act(&app, &a.mentor.token, &path, Some(json!({ "reason": "x" })))
            .await
            .0,
        403
    );
    let (status, body) = act(
        &app,
        &a.tutor.token,
        &path,
        Some(json!({ "reason": "Wrong date recorded" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "draft");
    let signatures = body["signatures"].as_array().expect("kept");
    assert_eq!(signatures.len(), 3);
    for s in signatures {
        assert_eq!(s["valid"], false);
        assert_eq!(s["void_reason"], "Wrong date recorded");
        assert!(s["voided_at"].is_string());
    }
    assert_eq!(
        act(
            &app,
            &a.tutor.token,
            &path,
            Some(json!({ "reason": "Again" }))
        )
        .await
        .0,
        409
    );
    assert_eq!(
        apprenticeship(&app, &a.tutor.token, &a.apprenticeship).await["unsigned_reviews"],
        1
    );
}

#[tokio::test]
async fn a_changed_review_never_carries_an_old_signature_as_valid() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    let created = create_review(&app, &a.tutor.token, &a.apprenticeship, "2026-06-01").await;
    let review = id(&created);
    let (_, first) = sign(&app, &a.apprentice.token, &review).await;
    act(
        &app,
        &a.tutor.token,
        &format!("/api/v1/reviews/{review}/reopen"),
        Some(json!({ "reason": "Add a concern" })),
    )
    .await;
    let edit = json!({ "held_on": "2026-06-01", "progress_notes": "Good progress on duty 3.", "concerns": "Moving house in July." });
    let (status, edited) = send(
        &app,
        &a.tutor.token,
        Method::PATCH,
        &format!("/api/v1/reviews/{review}"),
        Some("\"1\""),
        Some(edit),
    )
    .await;
    assert_eq!(status, 200, "{edited}");
    assert_ne!(edited["content_sha256"], first["content_sha256"]);
    assert_eq!(sign(&app, &a.mentor.token, &review).await.0, 201);
    assert_eq!(sign(&app, &a.tutor.token, &review).await.0, 201);
    let got = get_review(&app, &a.tutor.token, &review).await;
    assert_eq!(
        got["status"], "awaiting_signatures",
        "the apprentice signed other content"
    );
    let old = &got["signatures"][0];
    assert_eq!(
        (old["role"].as_str(), old["valid"].as_bool()),
        (Some("apprentice"), Some(false))
    );
    assert_eq!(old["content_sha256"], first["content_sha256"]);
    let (status, last) = sign(&app, &a.apprentice.token, &review).await;
    assert_eq!(
        (status, last["review_status"].as_str()),
        (201, Some("signed"))
    );
    assert_eq!(last["content_sha256"], edited["content_sha256"]);
}

#[tokio::test]
async fn the_next_review_is_due_by_the_last_day_of_the_third_month_after_the_latest_one() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor, a) = (&w.a.tutor.token, &w.a.apprenticeship);
    // No review yet: from the start date, 1 September 2025.
    let first = apprenticeship(&app, tutor, a).await;
    assert_eq!(first["last_review_on"], Value::Null);
    assert_eq!(first["next_review_due_by"], "2025-12-31");
    assert_eq!(first["review_state"], state_of(Some("2025-12-31")));
    create_review(&app, tutor, a, "2025-10-31").await;
    let after = apprenticeship(&app, tutor, a).await;
    assert_eq!(
        (
            after["last_review_on"].as_str(),
            after["next_review_due_by"].as_str()
        ),
        (Some("2025-10-31"), Some("2026-01-31"))
    );
    // The funding rules' own example.
    create_review(&app, tutor, a, "2026-08-01").await;
    let after = apprenticeship(&app, tutor, a).await;
    assert_eq!(after["next_review_due_by"], "2026-11-30");
    assert_eq!(after["review_state"], state_of(Some("2026-11-30")));
    assert_eq!(after["unsigned_reviews"], 2);
    assert_eq!(
        after["unsigned_overdue"], true,
        "held on 31 October 2025, still unsigned"
    );
    // An earlier review recorded late does not move the deadline back.
    create_review(&app, tutor, a, "2026-05-01").await;
    assert_eq!(
        apprenticeship(&app, tutor, a).await["next_review_due_by"],
        "2026-11-30"
    );
}

async fn start_break(app: &TestApp, tutor: &str, a: &str, starts_on: &str) -> (u16, Value) {
    act(
        app,
        tutor,
        &format!("/api/v1/apprenticeships/{a}/breaks"),
        Some(json!({ "starts_on": starts_on, "reason": "Sick leave" })),
    )
    .await
}

async fn end_break(app: &TestApp, tutor: &str, a: &str, id: &str, ends_on: &str) -> (u16, Value) {
    act(
        app,
        tutor,
        &format!("/api/v1/apprenticeships/{a}/breaks/{id}/end"),
        Some(json!({ "ends_on": ends_on })),
    )
    .await
}

#[tokio::test]
async fn a_break_pauses_the_deadline_then_moves_it_and_the_expected_end_later_by_its_length() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor, a) = (&w.a.tutor.token, &w.a.apprenticeship);
    create_review(&app, tutor, a, "2026-08-01").await;
    let (status, opened) = start_break(&app, tutor, a, "2026-09-01").await;
    assert_eq!(status, 201, "{opened}");
    let paused = apprenticeship(&app, tutor, a).await;
    assert_eq!(paused["on_break"], true);
    assert_eq!(
        paused["next_review_due_by"],
        Value::Null,
        "no review falls due during a break"
    );
    assert_eq!(paused["review_state"], "on_time");
    let (status, body) = start_break(&app, tutor, a, "2026-09-05").await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("starts_on")),
        "a second open break"
    );
    let break_id = id(&opened);
    let (status, body) = end_break(&app, tutor, a, &break_id, "2026-08-31").await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("ends_on")),
        "an end before the start"
    );
    let (status, ended) = end_break(&app, tutor, a, &break_id, "2026-09-10").await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["length_days"], 10);
    let resumed = apprenticeship(&app, tutor, a).await;
    assert_eq!(resumed["on_break"], false);
    assert_eq!(resumed["next_review_due_by"], "2026-12-10");
    assert_eq!(resumed["expected_end_date"], "2027-09-10");
    assert_eq!(resumed["review_state"], state_of(Some("2026-12-10")));
    let (status, body) = start_break(&app, tutor, a, "2026-09-10").await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("starts_on")),
        "an overlapping break"
    );
    assert_eq!(
        end_break(&app, tutor, a, &break_id, "2026-09-11").await.0,
        422,
        "ended already"
    );
    assert_eq!(
        start_break(&app, &w.a.mentor.token, a, "2026-10-01")
            .await
            .0,
        403
    );
    let listed = app
        .get_as(tutor, &format!("/api/v1/apprenticeships/{a}/breaks"))
        .await;
    let listed: Value = listed.json().await.expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_refused_break_names_the_date_its_request_gave() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor, a) = (&w.a.tutor.token, &w.a.apprenticeship);
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    let (status, body) = start_break(&app, tutor, a, &tomorrow).await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("starts_on")),
        "a break starting in the future: {body}"
    );
    let (status, opened) = start_break(&app, tutor, a, "2026-09-01").await;
    assert_eq!(status, 201, "{opened}");
    let (status, body) = end_break(&app, tutor, a, &id(&opened), &tomorrow).await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("ends_on")),
        "a break ending in the future: {body}"
    );
}

async fn caseload(app: &TestApp, token: &str, query: &str) -> (Value, usize) {
    let response = app.get_as(token, &format!("/api/v1/caseload{query}")).await;
    assert_eq!(response.status().as_u16(), 200, "{query}");
    let queries = response.headers()["x-db-queries"]
        .to_str()
        .expect("a")
        .parse()
        .expect("n");
    (response.json().await.expect("json"), queries)
}

#[tokio::test]
async fn the_caseload_shows_and_filters_review_state_and_unsigned_reviews_in_a_fixed_number_of_statements()
 {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor, a) = (&w.a.tutor.token, &w.a.apprenticeship);
    // Three more apprenticeships of provider A, started on different days.
    let mut ids = vec![a.clone()];
    for start in ["2026-09-01", "2026-10-15", "2026-11-20"] {
        // Each its own apprentice: an apprentice has one enrolment per standard.
        let apprentice = crate::helpers::world::user(
            &app,
            &w.admin.token,
            "apprentice",
            &w.a.employer_org,
            "Another Apprentice",
        )
        .await;
        let (status, body) = send(
            &app,
            tutor,
            Method::POST,
            "/api/v1/apprenticeships",
            None,
            Some(json!({
                "apprentice_id": apprentice.id, "standard": "ST0220",
                "employer_id": w.a.employer_org, "provider_id": w.a.provider_org,
                "mentor_id": w.a.mentor.id, "tutor_id": w.a.tutor.id,
                "start_date": start, "expected_end_date": "2028-08-31",
            })),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        ids.push(id(&body));
    }
    create_review(&app, tutor, &ids[1], "2026-11-25").await;
    let (all, _) = caseload(&app, tutor, "?limit=200").await;
    let items = all["items"].as_array().expect("items");
    assert_eq!(items.len(), 4);
    for item in items {
        let due = item["next_review_due_by"].as_str();
        assert_eq!(item["review_state"], state_of(due), "{item}");
        assert!(item["on_break"].is_boolean() && item["unsigned_reviews"].is_number());
    }
    for state in [
        ReviewState::OnTime,
        ReviewState::DueSoon,
        ReviewState::Overdue,
    ] {
        let (page, _) = caseload(&app, tutor, &format!("?review_state={}", state.as_str())).await;
        let expected = items
            .iter()
            .filter(|i| i["review_state"] == state.as_str())
            .count();
        assert_eq!(page["total"], expected, "{}", state.as_str());
        assert!(
            page["items"]
                .as_array()
                .expect("i")
                .iter()
                .all(|i| i["review_state"] == state.as_str())
        );
    }
    let (unsigned, _) = caseload(&app, tutor, "?unsigned=true").await;
    assert_eq!(unsigned["total"], 1);
    assert_eq!(unsigned["items"][0]["apprenticeship_id"], ids[1].as_str());
    // The same number of statements for one row as for many.
    let queries = [
        "?unsigned=true&limit=200",
        "?review_state=on_time&unsigned=true&limit=200",
    ];
    let mut before = Vec::new();
    for query in queries {
        before.push(caseload(&app, tutor, query).await.1);
    }
    create_review(&app, tutor, &ids[2], "2026-11-25").await;
    create_review(&app, tutor, &ids[3], "2026-11-25").await;
    for (query, queries) in queries.iter().zip(before) {
        let (page, after) = caseload(&app, tutor, query).await;
        assert!(
            page["items"].as_array().expect("i").len() > 1,
            "{query} has many rows now"
        );
        assert_eq!(
            after, queries,
            "{query}: {queries} statements with one row, {after} with many"
        );
    }
}
