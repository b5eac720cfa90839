//! The inbox (what waits for each person, oldest first, with the page that acts on it) and the
//! caseload's `waiting_on`/`waiting_days`: contents per role, scope, order, and a fixed number of
//! SQL statements whatever the page size.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::helpers::portfolio::{accepted, id, log, review, submit};
use crate::helpers::reviews::{create_review, log_otj, review_otj, send, sign};
use crate::helpers::spawn_app;
use crate::helpers::world::{World, created};
use crate::queues::{colleagues, get};

/// `(kind, subject)` of every item, in order.
fn kinds(body: &Value) -> Vec<(String, String)> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().expect("kind").to_string(),
                i["subject"].as_str().expect("subject").to_string(),
            )
        })
        .collect()
}

fn pair(kind: &str, subject: &str) -> (String, String) {
    (kind.to_string(), subject.to_string())
}

/// Moves when a piece of evidence last changed (and, if submitted, when) `days` into the past:
/// time passing, written directly as a factory does. The KSBs that change made evidenced (kept
/// since exactly that moment) move back with it.
async fn age_evidence(app: &TestApp, evidence: &str, days: i64) {
    use diesel::sql_types::{Timestamptz, Uuid as SqlUuid};
    use ksbfolio::db::schema::evidence;
    let at = Utc::now() - Duration::days(days);
    let mut conn = AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("connect");
    let id: Uuid = evidence.parse().expect("uuid");
    diesel::sql_query(
        "UPDATE ksb_statuses s SET evidenced_at = $2 \
         FROM evidence e JOIN evidence_ksbs ek ON ek.evidence_id = e.id \
         WHERE e.id = $1 AND s.apprenticeship_id = e.apprenticeship_id \
           AND s.ksb_id = ek.ksb_id AND s.evidenced_at = e.updated_at",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Timestamptz, _>(at)
    .execute(&mut conn)
    .await
    .expect("kept moment aged");
    diesel::update(evidence::table.find(id))
        .set((
            evidence::updated_at.eq(at),
            evidence::submitted_at.eq(Some(at)),
        ))
        .execute(&mut conn)
        .await
        .expect("aged");
}

fn yesterday() -> String {
    (Utc::now().date_naive() - Duration::days(1)).to_string()
}

/// A review of 1 September 2025's start was due by 31 December 2025: overdue since 1 January.
fn days_overdue() -> i64 {
    (Utc::now().date_naive() - chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"))
        .num_days()
}

#[tokio::test]
async fn a_mentors_inbox_lists_ksbs_ready_to_sign_off_and_reviews_to_sign_oldest_first() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    let older = accepted(&app, me, tutor, a, &["S7"]).await;
    age_evidence(&app, &older, 5).await;
    accepted(&app, me, tutor, a, &["K1"]).await;
    let held = yesterday();
    let review_id = id(&create_review(&app, tutor, a, &held).await);
    // Another side's work never shows.
    accepted(
        &app,
        &w.b.apprentice.token,
        &w.b.tutor.token,
        &w.b.apprenticeship,
        &["K2"],
    )
    .await;

    let (body, _) = get(&app, &w.a.mentor.token, "/api/v1/inbox").await;
    let review_subject = format!(
        "Progress review held on {}",
        (Utc::now().date_naive() - Duration::days(1)).format("%-d %B %Y")
    );
    assert_eq!(
        kinds(&body),
        vec![
            pair("ksb_ready", "S7"),
            pair("ksb_ready", "K1"),
            pair("review_to_sign", &review_subject),
        ]
    );
    assert_eq!(body["total"], 3);
    let first = &body["items"][0];
    assert_eq!(first["waiting_days"], 5);
    assert_eq!(first["apprentice"]["name"], "Apprentice A");
    assert_eq!(first["apprenticeship"], a.as_str());
    assert_eq!(first["link"], format!("/apprenticeships/{a}/ksbs/S7"));
    assert_eq!(body["items"][1]["waiting_days"], 0);
    assert_eq!(
        body["items"][2]["link"],
        format!("/apprenticeships/{a}/reviews#review-{review_id}")
    );

    // Signed: the review leaves the mentor's inbox; signed off: the KSB leaves it.
    assert_eq!(sign(&app, &w.a.mentor.token, &review_id).await.0, 201);
    let (status, _) = crate::helpers::portfolio::sign_off(&app, &w.a.mentor.token, a, "K1").await;
    assert_eq!(status, 201);
    let (body, _) = get(&app, &w.a.mentor.token, "/api/v1/inbox").await;
    assert_eq!(kinds(&body), vec![pair("ksb_ready", "S7")]);
    let (body, _) = get(&app, &w.b.mentor.token, "/api/v1/inbox").await;
    assert_eq!(kinds(&body), vec![pair("ksb_ready", "K2")]);
}

/// When the mentor's inbox says KSB `code` of the apprenticeship has waited since.
async fn ready_since(app: &TestApp, mentor: &str, code: &str) -> Option<DateTime<Utc>> {
    let (body, _) = get(app, mentor, "/api/v1/inbox").await;
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "ksb_ready" && i["subject"] == code)
        .map(|i| timestamp(&i["waiting_since"]))
}

fn timestamp(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .expect("a timestamp")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn a_ksb_waits_since_its_acceptance_then_since_a_revocation_and_later_evidence_moves_nothing()
{
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, mentor, a) = (
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.mentor.token,
        &w.a.apprenticeship,
    );
    let first = id(&log(&app, me, a, "First", &["S7"]).await);
    submit(&app, me, &first).await;
    let (status, reviewed) = review(&app, tutor, &first, "accepted", "Good.").await;
    assert_eq!(status, 200);
    let acceptance = timestamp(&reviewed["updated_at"]);
    assert_eq!(ready_since(&app, mentor, "S7").await, Some(acceptance));

    let (status, signoff) = crate::helpers::portfolio::sign_off(&app, mentor, a, "S7").await;
    assert_eq!(status, 201);
    assert_eq!(ready_since(&app, mentor, "S7").await, None, "signed off");
    let (status, revoked) = crate::helpers::portfolio::act(
        &app,
        mentor,
        &format!(
            "/api/v1/apprenticeships/{a}/signoffs/{}/revoke",
            id(&signoff)
        ),
        Some(json!({ "reason": "Signed the wrong KSB" })),
    )
    .await;
    assert_eq!(status, 200);
    let revocation = timestamp(&revoked["revoked_at"]);
    assert!(revocation > acceptance);
    assert_eq!(ready_since(&app, mentor, "S7").await, Some(revocation));

    // Already evidenced: a second accepted piece does not restart the wait.
    accepted(&app, me, tutor, a, &["S7"]).await;
    assert_eq!(ready_since(&app, mentor, "S7").await, Some(revocation));
}

#[tokio::test]
async fn a_tutors_inbox_lists_evidence_time_and_reviews_that_wait_for_the_provider() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    let evidence = id(&log(&app, me, a, "Blood film audit", &["S7"]).await);
    submit(&app, me, &evidence).await;
    age_evidence(&app, &evidence, 2).await;
    let (status, _) = log_otj(&app, me, a, "2026-01-12", 90).await;
    assert_eq!(status, 201);
    // Neither the draft nor the other provider's submission waits for this tutor.
    log(&app, me, a, "Still a draft", &["K1"]).await;
    let theirs = id(&log(
        &app,
        &w.b.apprentice.token,
        &w.b.apprenticeship,
        "B's",
        &["K1"],
    )
    .await);
    submit(&app, &w.b.apprentice.token, &theirs).await;

    let (body, _) = get(&app, tutor, "/api/v1/inbox").await;
    assert_eq!(
        kinds(&body),
        vec![
            pair("review_overdue", "Progress review due by 31 December 2025"),
            pair("evidence_to_review", "Blood film audit"),
            pair(
                "otj_to_approve",
                "90 minutes of off-the-job training on 12 January 2026"
            ),
        ]
    );
    let items = body["items"].as_array().expect("items");
    assert_eq!(items[0]["waiting_days"], days_overdue());
    assert_eq!(
        items[0]["link"],
        format!("/apprenticeships/{a}/reviews/new")
    );
    assert_eq!(items[1]["waiting_days"], 2);
    assert_eq!(items[1]["link"], format!("/evidence/{evidence}/review"));
    assert_eq!(items[2]["link"], format!("/apprenticeships/{a}/otj"));

    // A review held yesterday: no longer overdue, and it waits for the provider's signature.
    create_review(&app, tutor, a, &yesterday()).await;
    let (body, _) = get(&app, tutor, "/api/v1/inbox").await;
    let found: Vec<String> = kinds(&body).into_iter().map(|k| k.0).collect();
    assert_eq!(
        found,
        vec!["evidence_to_review", "otj_to_approve", "review_to_sign"]
    );
}

#[tokio::test]
async fn an_apprentices_inbox_lists_evidence_sent_back_reviews_to_sign_and_rejected_time() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    let evidence = id(&log(&app, me, a, "Calibration log", &["S7"]).await);
    submit(&app, me, &evidence).await;
    assert_eq!(
        review(
            &app,
            tutor,
            &evidence,
            "changes_requested",
            "Add the dates."
        )
        .await
        .0,
        200
    );
    let entry = id(&log_otj(&app, me, a, "2026-02-03", 60).await.1);
    assert_eq!(
        review_otj(&app, tutor, &entry, "rejected", Some("Not off the job."))
            .await
            .0,
        200
    );
    let review_id = id(&create_review(&app, tutor, a, &yesterday()).await);

    let (body, _) = get(&app, me, "/api/v1/inbox").await;
    let found: Vec<String> = kinds(&body).into_iter().map(|k| k.0).collect();
    assert_eq!(
        found,
        vec!["evidence_sent_back", "otj_rejected", "review_to_sign"]
    );
    assert_eq!(body["items"][0]["link"], format!("/evidence/{evidence}"));
    assert_eq!(body["items"][0]["subject"], "Calibration log");

    // The apprentice signs: their item goes, the mentor's stays.
    assert_eq!(sign(&app, me, &review_id).await.0, 201);
    let (body, _) = get(&app, me, "/api/v1/inbox").await;
    assert_eq!(body["total"], 2);
    let (body, _) = get(&app, &w.a.mentor.token, "/api/v1/inbox").await;
    assert_eq!(
        kinds(&body).last().map(|k| k.0.as_str()),
        Some("review_to_sign")
    );
    // Nothing waits for an administrator.
    let (body, _) = get(&app, &w.admin.token, "/api/v1/inbox").await;
    assert_eq!(
        (body["total"].clone(), body["items"].clone()),
        (json!(0), json!([]))
    );
}

#[tokio::test]
async fn the_inbox_holds_only_the_apprenticeships_you_are_responsible_for() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor2, mentor2, apprentice2, apprenticeship2) = colleagues(&app, &w).await;
    accepted(
        &app,
        &apprentice2.token,
        &tutor2.token,
        &apprenticeship2,
        &["S1"],
    )
    .await;
    accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S2"],
    )
    .await;
    let (body, _) = get(&app, &mentor2.token, "/api/v1/inbox").await;
    assert_eq!(kinds(&body), vec![pair("ksb_ready", "S1")]);
    assert_eq!(body["items"][0]["apprentice"]["name"], "Apprentice A2");
    let (body, _) = get(&app, &w.a.mentor.token, "/api/v1/inbox").await;
    assert_eq!(kinds(&body), vec![pair("ksb_ready", "S2")]);
    let (body, _) = get(&app, &tutor2.token, "/api/v1/inbox").await;
    let names: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["apprentice"]["name"].as_str().expect("name"))
        .collect();
    assert!(names.iter().all(|n| *n == "Apprentice A2"), "{names:?}");
}

#[tokio::test]
async fn the_inbox_pages_oldest_first_in_a_fixed_number_of_statements_whatever_the_page_size() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    let first = accepted(&app, me, tutor, a, &["S1"]).await;
    let rejected = id(&log_otj(&app, me, a, "2026-02-02", 30).await.1);
    review_otj(&app, tutor, &rejected, "rejected", Some("Not off the job.")).await;
    let people = [
        ("/api/v1/inbox?limit=100", w.a.mentor.token.clone()),
        ("/api/v1/inbox?limit=100", w.a.tutor.token.clone()),
        ("/api/v1/inbox?limit=100", w.a.apprentice.token.clone()),
    ];
    let mut before = Vec::new();
    for (path, token) in &people {
        before.push(get(&app, token, path).await.1);
    }
    // Many items of every kind for every role.
    for (i, ksb) in ["S2", "S3", "S4", "K1", "K2"].iter().enumerate() {
        accepted(&app, me, tutor, a, &[ksb]).await;
        let e = id(&log(&app, me, a, &format!("Waiting {i}"), &["K5"]).await);
        submit(&app, me, &e).await;
        let back = id(&log(&app, me, a, &format!("Back {i}"), &["K6"]).await);
        submit(&app, me, &back).await;
        review(&app, tutor, &back, "changes_requested", "More detail.").await;
        let day = format!("2026-03-0{}", i + 1);
        assert_eq!(log_otj(&app, me, a, &day, 30).await.0, 201);
        create_review(&app, tutor, a, &yesterday()).await;
    }
    for ((path, token), queries) in people.iter().zip(before) {
        let (body, after) = get(&app, token, path).await;
        assert!(body["items"].as_array().expect("items").len() > 5, "{body}");
        assert_eq!(
            after, queries,
            "{queries} statements with one item, {after} with many"
        );
    }
    // Oldest first, and pages that add up.
    age_evidence(&app, &first, 9).await;
    let (all, _) = get(&app, &w.a.mentor.token, "/api/v1/inbox").await;
    assert_eq!(all["items"][0]["subject"], "S1");
    let total = all["total"].as_i64().expect("total");
    let waited: Vec<String> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["waiting_since"].as_str().expect("since").to_string())
        .collect();
    let mut sorted = waited.clone();
    sorted.sort();
    assert_eq!(waited, sorted);
    let (page, _) = get(&app, &w.a.mentor.token, "/api/v1/inbox?limit=2&offset=2").await;
    assert_eq!(page["total"], total);
    assert_eq!(page["items"][0], all["items"][2]);
    let (past, _) = get(&app, &w.a.mentor.token, "/api/v1/inbox?offset=500").await;
    assert_eq!(
        (past["total"].as_i64(), past["items"].clone()),
        (Some(total), json!([]))
    );
}

/// Enrols a fresh apprentice of side A who started ten days ago (no review due yet).
async fn recent(app: &TestApp, w: &World) -> (String, String) {
    let apprentice = crate::helpers::world::user(
        app,
        &w.admin.token,
        "apprentice",
        &w.a.employer_org,
        "Apprentice New",
    )
    .await;
    let today = Utc::now().date_naive();
    let body = created(
        app.post_as(
            &w.admin.token,
            "/api/v1/apprenticeships",
            &json!({
                "apprentice_id": apprentice.id, "standard": "ST0220",
                "employer_id": w.a.employer_org, "provider_id": w.a.provider_org,
                "mentor_id": w.a.mentor.id, "tutor_id": w.a.tutor.id,
                "start_date": (today - Duration::days(10)).to_string(),
                "expected_end_date": (today + Duration::days(700)).to_string(),
            }),
        )
        .await,
    )
    .await;
    (apprentice.token, id(&body))
}

/// Logs evidence dated today (the recent apprenticeship started after the helpers' usual date).
async fn log_today(app: &TestApp, token: &str, a: &str, title: &str, ksb: &str) -> String {
    id(&created(
        app.post_as(
            token,
            &format!("/api/v1/apprenticeships/{a}/evidence"),
            &json!({
                "title": title, "description": "What I did.", "kind": "observation",
                "occurred_on": Utc::now().date_naive().to_string(), "ksbs": [ksb],
            }),
        )
        .await,
    )
    .await)
}

fn waiting(caseload: &Value, apprenticeship: &str) -> (Value, Value) {
    let row = caseload["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["apprenticeship_id"] == apprenticeship)
        .expect("on the caseload");
    (row["waiting_on"].clone(), row["waiting_days"].clone())
}

#[tokio::test]
async fn the_caseload_says_who_holds_the_oldest_open_item_and_for_how_many_days() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let tutor = &w.a.tutor.token;
    let (me, a) = recent(&app, &w).await;
    let (caseload, _) = get(&app, tutor, "/api/v1/caseload").await;
    assert_eq!(
        waiting(&caseload, &a),
        (Value::Null, Value::Null),
        "nothing open"
    );
    assert_eq!(
        waiting(&caseload, &w.a.apprenticeship),
        (json!("provider"), json!(days_overdue())),
        "the overdue review"
    );

    let ready = log_today(&app, &me, &a, "Ready", "S7").await;
    submit(&app, &me, &ready).await;
    assert_eq!(review(&app, tutor, &ready, "accepted", "").await.0, 200);
    age_evidence(&app, &ready, 4).await;
    let (caseload, _) = get(&app, tutor, "/api/v1/caseload").await;
    assert_eq!(waiting(&caseload, &a), (json!("employer"), json!(4)));

    let back = log_today(&app, &me, &a, "Sent back", "K1").await;
    submit(&app, &me, &back).await;
    review(&app, tutor, &back, "changes_requested", "Say what you did.").await;
    age_evidence(&app, &back, 6).await;
    let (caseload, _) = get(&app, tutor, "/api/v1/caseload").await;
    assert_eq!(waiting(&caseload, &a), (json!("apprentice"), json!(6)));

    let waiting_review = log_today(&app, &me, &a, "Submitted", "K2").await;
    submit(&app, &me, &waiting_review).await;
    age_evidence(&app, &waiting_review, 8).await;
    let (caseload, _) = get(&app, &w.a.mentor.token, "/api/v1/caseload").await;
    assert_eq!(waiting(&caseload, &a), (json!("provider"), json!(8)));
}

/// The open-items statement behind the inbox (and the recomputation of `waiting_on`) is long; it is
/// planned once per connection and kept prepared, not parsed and planned on every page.
#[tokio::test]
async fn the_open_items_statements_stay_prepared_on_their_connection() {
    use ksbfolio::db::inbox;
    use ksbfolio::domain::review::ReviewParty;
    use ksbfolio::domain::scope::ApprenticeshipScope;

    #[derive(QueryableByName)]
    struct Prepared {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    // The marker is a bind, so this query's own text never matches it.
    async fn prepared(conn: &mut AsyncPgConnection, marker: &str) -> i64 {
        diesel::sql_query(
            "SELECT count(*) AS n FROM pg_prepared_statements \
             WHERE statement LIKE '%' || $1 || '%'",
        )
        .bind::<diesel::sql_types::Text, _>(marker)
        .get_result::<Prepared>(conn)
        .await
        .expect("prepared statements")
        .n
    }

    let db = crate::helpers::database::TestDatabase::new().await;
    let mut conn = db.connect().await;
    let today = Utc::now().date_naive();
    let ids = [Uuid::new_v4(), Uuid::new_v4()];
    for _ in 0..3 {
        let rows = inbox::oldest_open(&conn, &ids, today)
            .await
            .expect("oldest open");
        assert!(rows.is_empty());
        let rows = inbox::page(
            &mut conn,
            ApprenticeshipScope::TutoredBy(ids[0]),
            ReviewParty::Provider,
            today,
            10,
            0,
        )
        .await
        .expect("inbox page");
        assert!(rows.is_empty());
    }
    assert_eq!(
        prepared(&mut conn, "DISTINCT ON (i.apprenticeship_id)").await,
        1
    );
    assert_eq!(prepared(&mut conn, "count(*) OVER () AS total").await, 1);
}

/// The caseload's kept `waiting_on` columns (migration `000400_kept_waiting`) read with the
/// review deadline, against the recomputation from every open item, for these apprenticeships.
async fn assert_kept_waiting_is_recomputed(app: &TestApp, apprenticeships: &[&str], step: &str) {
    use ksbfolio::db::{caseload, inbox, schema::apprenticeships as a};
    use ksbfolio::domain::inbox::oldest_waiting;
    use ksbfolio::domain::review::ReviewParty;
    use std::collections::HashMap;

    let ids: Vec<Uuid> = apprenticeships
        .iter()
        .map(|s| s.parse().expect("uuid"))
        .collect();
    let mut conn = AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("connect");
    let today = ksbfolio::domain::calendar::london_day(Utc::now());
    let due: HashMap<Uuid, Option<chrono::NaiveDate>> = a::table
        .filter(a::id.eq_any(&ids))
        .select((a::id, a::next_review_due_by))
        .load::<(Uuid, Option<chrono::NaiveDate>)>(&mut conn)
        .await
        .expect("deadlines")
        .into_iter()
        .collect();
    assert_eq!(due.len(), ids.len());
    let stored: HashMap<Uuid, _> = caseload::kept_waiting(&conn, &ids)
        .await
        .expect("kept")
        .into_iter()
        .collect();
    let kept: HashMap<Uuid, Option<(ReviewParty, DateTime<Utc>)>> = ids
        .iter()
        .map(|id| {
            let kept = stored.get(id).copied().unwrap_or_default();
            (*id, oldest_waiting(kept, due[id], today))
        })
        .collect();
    let recomputed: HashMap<Uuid, (ReviewParty, DateTime<Utc>)> =
        inbox::oldest_open(&conn, &ids, today)
            .await
            .expect("recomputed")
            .into_iter()
            .map(|w| {
                let party = ReviewParty::from_stored(&w.holder).expect("party");
                (w.apprenticeship_id, (party, w.waiting_since))
            })
            .collect();
    for id in &ids {
        assert_eq!(
            kept[id],
            recomputed.get(id).copied(),
            "after {step}: apprenticeship {id}"
        );
    }
}

#[tokio::test]
async fn the_kept_waiting_always_equals_a_recomputation_from_the_open_items() {
    use crate::helpers::portfolio::{sign_off, withdraw};

    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor, mentor) = (&w.a.tutor.token, &w.a.mentor.token);
    let (me, a) = recent(&app, &w).await;
    let all = [
        a.as_str(),
        w.a.apprenticeship.as_str(),
        w.b.apprenticeship.as_str(),
    ];
    assert_kept_waiting_is_recomputed(&app, &all, "enrolment").await;

    let first = log_today(&app, &me, &a, "Blood film audit", "S7").await;
    assert_kept_waiting_is_recomputed(&app, &all, "a draft").await;
    submit(&app, &me, &first).await;
    age_evidence(&app, &first, 3).await;
    assert_kept_waiting_is_recomputed(&app, &all, "a submission, aged").await;
    review(&app, tutor, &first, "changes_requested", "Add the dates.").await;
    assert_kept_waiting_is_recomputed(&app, &all, "changes requested").await;
    submit(&app, &me, &first).await;
    assert_eq!(review(&app, tutor, &first, "accepted", "").await.0, 200);
    assert_kept_waiting_is_recomputed(&app, &all, "acceptance (a KSB ready)").await;
    assert_eq!(sign_off(&app, mentor, &a, "S7").await.0, 201);
    assert_kept_waiting_is_recomputed(&app, &all, "the sign-off").await;

    let second = log_today(&app, &me, &a, "Calibration log", "K2").await;
    submit(&app, &me, &second).await;
    assert_eq!(withdraw(&app, &me, &second, "Wrong file.").await.0, 200);
    assert_kept_waiting_is_recomputed(&app, &all, "a withdrawal").await;

    let today = Utc::now().date_naive().to_string();
    let entry = id(&log_otj(&app, &me, &a, &today, 60).await.1);
    assert_kept_waiting_is_recomputed(&app, &all, "OTJ time logged").await;
    let (status, _) = review_otj(&app, tutor, &entry, "rejected", Some("Not off the job.")).await;
    assert_eq!(status, 200);
    assert_kept_waiting_is_recomputed(&app, &all, "OTJ time rejected").await;
    let path = format!("/api/v1/otj/{entry}");
    let (status, _) = send(&app, &me, reqwest::Method::DELETE, &path, None, None).await;
    assert_eq!(status, 204);
    assert_kept_waiting_is_recomputed(&app, &all, "a rejected entry deleted").await;

    // Entries logged at the same moment, each in its own transaction.
    let logged = futures_util::future::join_all(
        [30, 40, 50, 60].map(|minutes| log_otj(&app, &me, &a, &today, minutes)),
    )
    .await;
    assert!(logged.iter().all(|(status, _)| *status == 201));
    assert_kept_waiting_is_recomputed(&app, &all, "concurrent entries").await;
    for (_, body) in &logged {
        let (status, _) = review_otj(&app, tutor, &id(body), "approved", None).await;
        assert_eq!(status, 200);
    }
    assert_kept_waiting_is_recomputed(&app, &all, "every entry approved").await;

    let held = create_review(&app, tutor, &a, &yesterday()).await;
    let held = id(&held);
    assert_kept_waiting_is_recomputed(&app, &all, "a review held").await;
    assert_eq!(sign(&app, &me, &held).await.0, 201);
    assert_eq!(sign(&app, mentor, &held).await.0, 201);
    assert_kept_waiting_is_recomputed(&app, &all, "two signatures").await;
    let (status, _) = crate::helpers::portfolio::act(
        &app,
        tutor,
        &format!("/api/v1/reviews/{held}/reopen"),
        Some(json!({ "reason": "The notes missed the safeguarding concern." })),
    )
    .await;
    assert_eq!(status, 200);
    assert_kept_waiting_is_recomputed(&app, &all, "a reopened review").await;
    for token in [&me, mentor, tutor] {
        assert_eq!(sign(&app, token, &held).await.0, 201);
    }
    assert_kept_waiting_is_recomputed(&app, &all, "a review signed by all three").await;
    let (caseload, _) = get(&app, tutor, "/api/v1/caseload").await;
    assert_eq!(waiting(&caseload, &a), (Value::Null, Value::Null));
}
