//! Off-the-job training: the floor of a plan, the daily cap, the kept figures against a
//! recomputation (after a scripted history and after concurrent entries), review and freezing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::reviews::{kept_and_recomputed, log_otj, review_otj, send, set_plan, summary};
use crate::helpers::spawn_app;
use crate::helpers::world::{World, id};

fn enrolment(w: &World, planned: Option<i32>, rpl: i32) -> Value {
    json!({
        "apprentice_id": w.a.apprentice.id, "standard": "ST0220",
        "employer_id": w.a.employer_org, "provider_id": w.a.provider_org,
        "mentor_id": w.a.mentor.id, "tutor_id": w.a.tutor.id,
        "start_date": "2026-01-05", "expected_end_date": "2028-01-05",
        "planned_otj_hours": planned, "rpl_reduction_hours": rpl,
    })
}

async fn enrol(
    app: &crate::helpers::TestApp,
    w: &World,
    planned: Option<i32>,
    rpl: i32,
) -> (u16, Value) {
    // A fresh apprentice each time: an apprentice has one enrolment per standard.
    let fresh = crate::helpers::world::user(
        app,
        &w.admin.token,
        "apprentice",
        &w.a.employer_org,
        "Fresh Apprentice",
    )
    .await;
    let mut body = enrolment(w, planned, rpl);
    body["apprentice_id"] = fresh.id.into();
    send(
        app,
        &w.a.tutor.token,
        Method::POST,
        "/api/v1/apprenticeships",
        None,
        Some(body),
    )
    .await
}

fn only_field(body: &Value) -> &str {
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    body["errors"][0]["field"].as_str().expect("field")
}

#[tokio::test]
async fn a_plan_below_187_hours_is_refused_naming_the_field_when_the_standard_publishes_no_minimum()
{
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (status, body) = enrol(&app, &w, Some(186), 0).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(only_field(&body), "planned_otj_hours");
    let detail = body["detail"].as_str().expect("detail");
    assert!(detail.contains("at least 187 hours"), "{detail}");
    assert!(detail.contains("publishes no minimum"), "{detail}");
    let (status, body) = enrol(&app, &w, Some(187), 40).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["planned_otj_hours"], 187);
    assert_eq!(body["rpl_reduction_hours"], 40);
}

#[tokio::test]
async fn a_published_minimum_less_rpl_is_the_floor_but_never_below_187_hours() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let path = "/api/v1/standards/ST0220/versions/1.1";
    let minimum = Some(json!({ "minimum_otj_hours": 400 }));
    let (status, _) = send(
        &app,
        &w.a.tutor.token,
        Method::PATCH,
        path,
        None,
        minimum.clone(),
    )
    .await;
    assert_eq!(status, 403, "only an admin sets the minimum");
    let (status, body) = send(&app, &w.admin.token, Method::PATCH, path, None, minimum).await;
    assert_eq!(
        (status, body["minimum_otj_hours"].clone()),
        (200, json!(400))
    );

    let (status, body) = enrol(&app, &w, Some(299), 100).await;
    assert_eq!(status, 422);
    assert_eq!(only_field(&body), "planned_otj_hours");
    let detail = body["detail"].as_str().expect("detail");
    assert!(detail.contains("at least 300 hours"), "{detail}");
    assert!(detail.contains("400 hours less 100 hours"), "{detail}");
    assert_eq!(enrol(&app, &w, Some(300), 100).await.0, 201);
    let (status, body) = enrol(&app, &w, Some(186), 300).await;
    assert_eq!(status, 422);
    assert!(
        body["detail"]
            .as_str()
            .expect("d")
            .contains("fewer than 187"),
        "{body}"
    );
    assert_eq!(enrol(&app, &w, Some(187), 300).await.0, 201);

    // The summary's floor follows the same rule.
    let a = &w.a.apprenticeship;
    assert_eq!(
        set_plan(
            &app,
            &w.a.tutor.token,
            a,
            json!({ "planned_otj_hours": 400, "rpl_reduction_hours": 50 })
        )
        .await
        .0,
        200
    );
    assert_eq!(
        summary(&app, &w.a.tutor.token, a).await["floor_minutes"],
        350 * 60
    );
}

#[tokio::test]
async fn a_day_holds_at_most_720_minutes_across_its_entries() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, a) = (&w.a.apprentice.token, &w.a.apprenticeship);
    assert_eq!(log_otj(&app, me, a, "2026-03-02", 600).await.0, 201);
    let (status, body) = log_otj(&app, me, a, "2026-03-02", 121).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(only_field(&body), "minutes");
    assert!(
        body["detail"].as_str().expect("d").contains("721 minutes"),
        "{body}"
    );
    let last = log_otj(&app, me, a, "2026-03-02", 120).await;
    assert_eq!(last.0, 201);
    assert_eq!(log_otj(&app, me, a, "2026-03-03", 720).await.0, 201);
    let (status, body) = log_otj(&app, me, a, "2026-03-04", 721).await;
    assert_eq!((status, only_field(&body)), (422, "minutes"));
    // An edit is counted against the rest of its day.
    let entry = id(&last.1);
    let (status, body) = send(
        &app,
        me,
        Method::PATCH,
        &format!("/api/v1/otj/{entry}"),
        Some("\"1\""),
        Some(json!({ "minutes": 121 })),
    )
    .await;
    assert_eq!((status, only_field(&body)), (422, "minutes"));
    // A rejected entry does not count.
    assert_eq!(
        review_otj(
            &app,
            &w.a.tutor.token,
            &entry,
            "rejected",
            Some("Not training")
        )
        .await
        .0,
        200
    );
    assert_eq!(log_otj(&app, me, a, "2026-03-02", 120).await.0, 201);
}

#[tokio::test]
async fn the_kept_otj_figures_equal_a_recomputation_after_edits_rejections_and_deletions() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    let mut entries = Vec::new();
    for (day, minutes) in [
        ("2026-01-05", 60),
        ("2026-01-06", 90),
        ("2026-01-07", 120),
        ("2026-01-08", 30),
    ] {
        let (status, body) = log_otj(&app, me, a, day, minutes).await;
        assert_eq!(status, 201, "{body}");
        entries.push(id(&body));
    }
    let check = async |expected: (i64, i64)| {
        let (kept, recomputed) = kept_and_recomputed(&app, a).await;
        assert_eq!(kept, recomputed, "kept figures drifted from the entries");
        assert_eq!(kept, expected);
        let s = summary(&app, tutor, a).await;
        assert_eq!(
            (
                s["approved_minutes"].as_i64(),
                s["pending_minutes"].as_i64()
            ),
            (Some(expected.0), Some(expected.1))
        );
    };
    check((0, 300)).await;
    assert_eq!(
        review_otj(&app, tutor, &entries[0], "approved", None)
            .await
            .0,
        200
    );
    check((60, 240)).await;
    assert_eq!(
        review_otj(
            &app,
            tutor,
            &entries[1],
            "rejected",
            Some("Please say what you learnt")
        )
        .await
        .0,
        200
    );
    check((60, 150)).await;
    // The rejected entry is edited: pending again with its new minutes.
    let (status, body) = send(
        &app,
        me,
        Method::PATCH,
        &format!("/api/v1/otj/{}", entries[1]),
        Some("\"2\""),
        Some(json!({ "minutes": 100, "description": "Lecture on QC: Westgard rules." })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "pending");
    assert_eq!(body["rejection_reason"], Value::Null);
    check((60, 250)).await;
    // A pending entry is edited down, another deleted.
    assert_eq!(
        send(
            &app,
            me,
            Method::PATCH,
            &format!("/api/v1/otj/{}", entries[2]),
            Some("\"1\""),
            Some(json!({ "minutes": 45 }))
        )
        .await
        .0,
        200
    );
    check((60, 175)).await;
    assert_eq!(
        send(
            &app,
            me,
            Method::DELETE,
            &format!("/api/v1/otj/{}", entries[3]),
            None,
            None
        )
        .await
        .0,
        204
    );
    check((60, 145)).await;
    assert_eq!(
        review_otj(&app, tutor, &entries[1], "approved", None)
            .await
            .0,
        200
    );
    assert_eq!(
        review_otj(&app, tutor, &entries[2], "rejected", Some("Duplicate"))
            .await
            .0,
        200
    );
    check((160, 0)).await;
    // A rejected entry is deleted: nothing moves.
    assert_eq!(
        send(
            &app,
            me,
            Method::DELETE,
            &format!("/api/v1/otj/{}", entries[2]),
            None,
            None
        )
        .await
        .0,
        204
    );
    check((160, 0)).await;
}

#[tokio::test]
async fn concurrent_entries_lose_no_minutes_and_never_pass_the_daily_cap() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, a) = (&w.a.apprentice.token, &w.a.apprenticeship);
    let same_day = (0..10).map(|_| log_otj(&app, me, a, "2026-02-02", 100));
    let other_days = (1..=8)
        .map(|d| format!("2026-02-{:02}", d + 9))
        .collect::<Vec<_>>();
    let spread = other_days.iter().map(|day| log_otj(&app, me, a, day, 50));
    let (same, spread) = tokio::join!(
        futures_util::future::join_all(same_day),
        futures_util::future::join_all(spread)
    );
    let created = same.iter().filter(|(s, _)| *s == 201).count();
    let refused = same.iter().filter(|(s, _)| *s == 422).count();
    assert_eq!(
        (created, refused),
        (7, 3),
        "720 minutes hold seven entries of 100"
    );
    assert!(spread.iter().all(|(s, _)| *s == 201));
    let (kept, recomputed) = kept_and_recomputed(&app, a).await;
    assert_eq!(kept, recomputed);
    assert_eq!(kept, (0, 700 + 8 * 50));
}

#[tokio::test]
async fn an_approved_entry_is_frozen_and_a_rejection_needs_a_reason() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    let entry = id(&log_otj(&app, me, a, "2026-04-01", 60).await.1);
    let (status, body) = review_otj(&app, tutor, &entry, "rejected", None).await;
    assert_eq!((status, only_field(&body)), (422, "reason"));
    assert_eq!(
        review_otj(&app, &w.a.mentor.token, &entry, "approved", None)
            .await
            .0,
        403
    );
    assert_eq!(
        review_otj(&app, tutor, &entry, "approved", None).await.0,
        200
    );
    assert_eq!(
        review_otj(&app, tutor, &entry, "approved", None).await.0,
        409
    );
    let (status, body) = send(
        &app,
        me,
        Method::PATCH,
        &format!("/api/v1/otj/{entry}"),
        Some("\"2\""),
        Some(json!({ "minutes": 30 })),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (409, Some("otj_frozen")));
    assert_eq!(
        send(
            &app,
            me,
            Method::DELETE,
            &format!("/api/v1/otj/{entry}"),
            None,
            None
        )
        .await
        .0,
        409
    );
    let (status, _) = send(
        &app,
        me,
        Method::PATCH,
        &format!(
            "/api/v1/otj/{}",
            id(&log_otj(&app, me, a, "2026-04-02", 60).await.1)
        ),
        None,
        Some(json!({ "minutes": 30 })),
    )
    .await;
    assert_eq!(status, 428, "an edit needs If-Match");
}

#[tokio::test]
async fn an_entry_is_not_in_the_future_nor_before_the_start_and_holds_no_nhs_number() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, a) = (&w.a.apprentice.token, &w.a.apprenticeship);
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Duration::days(1)).to_string();
    let (status, body) = log_otj(&app, me, a, &tomorrow, 60).await;
    assert_eq!((status, only_field(&body)), (422, "occurred_on"));
    let (status, body) = log_otj(&app, me, a, "2025-08-31", 60).await;
    assert_eq!((status, only_field(&body)), (422, "occurred_on"));
    let (status, body) = send(
        &app,
        me,
        Method::POST,
        &format!("/api/v1/apprenticeships/{a}/otj"),
        None,
        Some(json!({
            "occurred_on": "2026-01-05", "minutes": 30, "activity": "shadowing",
            "description": "Shadowed a clinic for patient 943 476 5919",
        })),
    )
    .await;
    assert_eq!((status, only_field(&body)), (422, "description"));
}

#[tokio::test]
async fn the_summary_says_no_plan_until_one_is_set_and_then_compares_approved_time_with_expected() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor, a) = (&w.a.tutor.token, &w.a.apprenticeship);
    let before = summary(&app, tutor, a).await;
    assert_eq!(before["status"], "no_plan");
    assert_eq!(before["planned_minutes"], Value::Null);
    assert_eq!(before["floor_minutes"], 187 * 60);
    assert_eq!(
        set_plan(&app, tutor, a, json!({ "planned_otj_hours": 400 }))
            .await
            .0,
        200
    );
    let after = summary(&app, tutor, a).await;
    assert_eq!(after["planned_minutes"], 400 * 60);
    // Start 2025-09-01, end 2027-08-31: the plan × the share of days gone, in whole minutes.
    let start = chrono::NaiveDate::from_ymd_opt(2025, 9, 1).expect("d");
    let end = chrono::NaiveDate::from_ymd_opt(2027, 8, 31).expect("d");
    let today = chrono::Utc::now().date_naive().min(end);
    let expected = 24_000 * (today - start).num_days() / (end - start).num_days();
    assert_eq!(after["expected_by_now_minutes"], expected);
    assert_eq!(
        after["status"],
        if expected > 0 { "behind" } else { "on_track" }
    );
}

#[tokio::test]
async fn the_otj_list_filters_by_status_and_dates_and_pages() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    for day in ["2026-05-01", "2026-05-02", "2026-05-03"] {
        log_otj(&app, me, a, day, 30).await;
    }
    let first = id(&log_otj(&app, me, a, "2026-05-04", 30).await.1);
    review_otj(&app, tutor, &first, "approved", None).await;
    let list = async |query: &str| -> Value {
        let r = app
            .get_as(tutor, &format!("/api/v1/apprenticeships/{a}/otj{query}"))
            .await;
        assert_eq!(r.status().as_u16(), 200, "{query}");
        r.json().await.expect("json")
    };
    assert_eq!(list("").await["total"], 4);
    assert_eq!(
        list("?status=approved").await["items"][0]["id"],
        first.as_str()
    );
    assert_eq!(
        list("?status=pending&from=2026-05-02&to=2026-05-03").await["total"],
        2
    );
    let page = list("?limit=1&offset=1").await;
    assert_eq!(
        (
            page["total"].as_i64(),
            page["items"][0]["occurred_on"].as_str()
        ),
        (Some(4), Some("2026-05-03"))
    );
    let r = app
        .get_as(
            tutor,
            &format!("/api/v1/apprenticeships/{a}/otj?status=lost"),
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
}
