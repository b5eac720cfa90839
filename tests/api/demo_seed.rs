//! The demo data set seen through the API: what a tutor's caseload, the OTJ summaries and the
//! review lists say about seeded apprenticeships agrees with the seeded rows.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ksbfolio::db::schema::{apprenticeships, otj_entries, users};
use ksbfolio::domain::review;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::app::TEST_HASHING;
use crate::helpers::reviews::{kept_and_recomputed, summary};
use crate::helpers::spawn_app;

async fn get(app: &crate::helpers::TestApp, token: &str, path: &str) -> Value {
    let response = app.get_as(token, path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.expect("json")
}

#[tokio::test]
async fn a_seeded_caseload_shows_otj_time_and_review_standing_that_agree_with_the_seeded_rows() {
    let app = spawn_app().await;
    let options = ksbfolio::demo::Options {
        apprenticeships: 30,
        seed: 3,
        force: false,
        hashing: TEST_HASHING,
        anchor: None,
        vacuum: false,
    };
    let loaded = ksbfolio::demo::seed(&app.db.url, &options)
        .await
        .expect("seeded");
    assert!(loaded.rows_of("otj_entries") > 30, "{loaded}");
    assert!(loaded.rows_of("progress_reviews") > 30, "{loaded}");

    // A tutor of the one provider sees all 30 in the organisation's caseload.
    let mut conn = app.db.connect().await;
    let tutor_id: Uuid = apprenticeships::table
        .select(apprenticeships::tutor_id)
        .first(&mut conn)
        .await
        .expect("an apprenticeship");
    let email: String = users::table
        .find(tutor_id)
        .select(users::email)
        .first(&mut conn)
        .await
        .expect("the tutor");
    let token = app.token(&email, ksbfolio::demo::DEMO_PASSWORD).await;
    let caseload = get(
        &app,
        &token,
        "/api/v1/caseload?scope=organisation&limit=100",
    )
    .await;
    let items = caseload["items"].as_array().expect("items");
    assert_eq!(items.len(), 30);

    let today = Utc::now().date_naive();
    let mut states: HashMap<String, usize> = HashMap::new();
    let (mut signed, mut entries) = (0usize, 0i64);
    for item in items {
        let id = item["apprenticeship_id"].as_str().expect("id");
        // OTJ: the summary's minutes are the kept figures, and they equal the entries' sums.
        let otj = summary(&app, &token, id).await;
        let (kept, recomputed) = kept_and_recomputed(&app, id).await;
        assert_eq!(kept, recomputed, "apprenticeship {id}");
        assert_eq!(
            (
                otj["approved_minutes"].as_i64(),
                otj["pending_minutes"].as_i64()
            ),
            (Some(kept.0), Some(kept.1))
        );
        let planned = otj["planned_minutes"].as_i64().expect("a plan");
        assert!((187 * 60..=400 * 60).contains(&planned), "{otj}");
        let logged: i64 = otj_entries::table
            .filter(otj_entries::apprenticeship_id.eq(id.parse::<Uuid>().expect("uuid")))
            .count()
            .get_result(&mut conn)
            .await
            .expect("count");
        let list = get(
            &app,
            &token,
            &format!("/api/v1/apprenticeships/{id}/otj?limit=1"),
        )
        .await;
        assert_eq!(list["total"].as_i64(), Some(logged));
        entries += logged;

        // Reviews: every signature is valid over the content as the app hashes it, a review is
        // signed exactly when all three signed, and the caseload's standing follows from them.
        let reviews = get(
            &app,
            &token,
            &format!("/api/v1/apprenticeships/{id}/reviews?limit=100"),
        )
        .await;
        let reviews = reviews["items"].as_array().expect("reviews");
        let mut held: Vec<NaiveDate> = Vec::new();
        let mut unsigned = 0u64;
        for r in reviews {
            let signatures = r["signatures"].as_array().expect("signatures");
            assert!(
                signatures
                    .iter()
                    .all(|s| s["valid"] == true && s["content_sha256"] == r["content_sha256"]),
                "{r}"
            );
            let is_signed = r["status"] == "signed";
            assert_eq!(is_signed, signatures.len() == 3, "{r}");
            signed += usize::from(is_signed);
            unsigned += u64::from(!is_signed);
            held.push(
                r["held_on"]
                    .as_str()
                    .expect("held_on")
                    .parse()
                    .expect("date"),
            );
        }
        let start: NaiveDate = item["start_date"]
            .as_str()
            .expect("start")
            .parse()
            .expect("date");
        let last = held.iter().max().copied();
        let due = review::calendar_deadline(last.unwrap_or(start));
        assert_eq!(item["last_review_on"], serde_json::json!(last), "{item}");
        assert_eq!(item["next_review_due_by"], serde_json::json!(due), "{item}");
        assert_eq!(item["unsigned_reviews"].as_u64(), Some(unsigned), "{item}");
        let state = review::review_state(Some(due), today);
        assert_eq!(item["review_state"], state.as_str(), "{item}");
        *states.entry(state.as_str().to_string()).or_default() += 1;
    }
    assert!(signed > 30, "most reviews are signed: {signed}");
    assert!(entries > 30 * 10);
    assert!(
        states.get("on_time").copied().unwrap_or(0) > 15,
        "most are on time: {states:?}"
    );
}
