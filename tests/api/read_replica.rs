//! DATABASE_READ_URL: the read-only endpoints read from a real streaming standby, a user's own
//! change is read back at once whatever the standby's delay (read-your-writes), and a standby
//! that is down or lags past KSBFOLIO_READ_MAX_LAG leaves reads on the primary without an error.
//! `X-Db-Read` (a diagnostic header, with `X-Db-Queries`) says which server served the reads;
//! the stale answers of the delayed standby prove it independently.

use std::time::Duration;

use reqwest::Response;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_on;
use crate::helpers::database::TestDatabase;
use crate::helpers::portfolio::log;
use crate::helpers::standby::ReplicaPair;
use crate::helpers::world::{PASSWORD, World};

async fn app_reading_from(
    pair: &ReplicaPair,
    db: TestDatabase,
    max_lag: Duration,
    prepared_statements: bool,
) -> TestApp {
    let read_url = pair.standby_url(&db.name);
    spawn_app_on(db, |s| {
        s.database_read_url = Some(read_url);
        s.read_max_lag = max_lag;
        s.db_prepared_statements = prepared_statements;
    })
    .await
}

/// Where a response's reads came from (`X-Db-Read`).
fn served_by(response: &Response) -> String {
    response
        .headers()
        .get("x-db-read")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("(none)")
        .to_string()
}

/// The evidence titles of an apprenticeship as `token` reads them, and who served them.
async fn evidence_titles(
    app: &TestApp,
    token: &str,
    apprenticeship: &str,
) -> (Vec<String>, String) {
    let response = app
        .get_as(
            token,
            &format!("/api/v1/apprenticeships/{apprenticeship}/evidence"),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let from = served_by(&response);
    let body: Value = response.json().await.expect("json");
    let titles = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["title"].as_str().map(str::to_string))
        .collect();
    (titles, from)
}

async fn readiness(app: &TestApp) -> Value {
    let response = app.get("/readyz").await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}

/// Polls `/readyz` until it reports the replica as `state`.
async fn until_replica_is(app: &TestApp, state: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let ready = readiness(app).await;
        if ready["replica"] == state {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{ready}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// With the standby applying every commit 3 s late, in both prepared-statement modes.
#[tokio::test]
async fn a_users_own_change_is_read_back_at_once_while_others_read_the_delayed_replica() {
    let (pair, db) = ReplicaPair::start(Duration::from_secs(3)).await;
    let mut first = Some(db);
    for prepared in [true, false] {
        let db = match first.take() {
            Some(db) => db,
            // Made after the standby was cloned: it reaches the standby by streaming.
            None => TestDatabase::migrated_on(&pair.primary_url("postgres")).await,
        };
        let app = app_reading_from(&pair, db, Duration::from_secs(30), prepared).await;
        let w = World::build(&app).await;
        let (apprentice, tutor) = (&w.a.apprentice.token, &w.a.tutor.token);
        let apprenticeship = &w.a.apprenticeship;
        pair.wait_replayed().await;
        assert_eq!(readiness(&app).await["replica"], "ok");

        let title = format!("Handover observed ({prepared})");
        log(&app, apprentice, apprenticeship, &title, &["K1"]).await;

        // The writer reads its own change at once: from the primary, the replica being behind.
        let (mine, from) = evidence_titles(&app, apprentice, apprenticeship).await;
        assert_eq!(from, "primary", "prepared statements {prepared}");
        assert!(mine.contains(&title), "{mine:?}");
        let coverage = app
            .get_as(
                apprentice,
                &format!("/api/v1/apprenticeships/{apprenticeship}/coverage"),
            )
            .await;
        assert_eq!(coverage.status().as_u16(), 200);
        assert_eq!(served_by(&coverage), "primary");

        // The tutor, who wrote nothing, is served by the replica, which has not applied it yet.
        let (theirs, from) = evidence_titles(&app, tutor, apprenticeship).await;
        assert_eq!(from, "replica", "prepared statements {prepared}");
        assert!(
            !theirs.contains(&title),
            "the replica is 3 s behind: {theirs:?}"
        );
        for path in ["/api/v1/caseload", "/api/v1/review-queue", "/api/v1/inbox"] {
            let response = app.get_as(tutor, path).await;
            assert_eq!(response.status().as_u16(), 200, "{path}");
            assert_eq!(served_by(&response), "replica", "{path}");
        }

        // Once the replica has applied the change, both read it there.
        pair.wait_replayed().await;
        let (theirs, from) = evidence_titles(&app, tutor, apprenticeship).await;
        assert_eq!(from, "replica");
        assert!(theirs.contains(&title), "{theirs:?}");
        let (mine, from) = evidence_titles(&app, apprentice, apprenticeship).await;
        assert_eq!(from, "replica");
        assert!(mine.contains(&title), "{mine:?}");
    }
}

#[tokio::test]
async fn a_revoked_session_stops_at_once_although_reads_come_from_the_delayed_replica() {
    let (pair, db) = ReplicaPair::start(Duration::from_secs(3)).await;
    let app = app_reading_from(&pair, db, Duration::from_secs(30), true).await;
    let w = World::build(&app).await;
    let session = app.login(&w.a.tutor.email, PASSWORD).await;
    let token = session["access_token"].as_str().expect("token");
    pair.wait_replayed().await;
    let path = format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship);
    assert_eq!(served_by(&app.get_as(token, &path).await), "replica");

    let out = app
        .post(
            "/api/v1/auth/logout",
            &json!({ "refresh_token": session["refresh_token"] }),
        )
        .await;
    assert_eq!(out.status().as_u16(), 204);
    // The session check runs on the primary: no replica delay.
    assert_eq!(app.get_as(token, &path).await.status().as_u16(), 401);
}

#[tokio::test]
async fn reads_go_on_from_the_primary_while_the_replica_is_down_and_readyz_says_so() {
    let (pair, db) = ReplicaPair::start(Duration::ZERO).await;
    let app = app_reading_from(&pair, db, Duration::from_secs(5), true).await;
    let w = World::build(&app).await;
    let (tutor, apprenticeship) = (&w.a.tutor.token, &w.a.apprenticeship);
    log(
        &app,
        &w.a.apprentice.token,
        apprenticeship,
        "Before",
        &["K1"],
    )
    .await;
    pair.wait_replayed().await;
    assert_eq!(readiness(&app).await["replica"], "ok");
    let (titles, from) = evidence_titles(&app, tutor, apprenticeship).await;
    assert_eq!((titles.len(), from.as_str()), (1, "replica"));

    pair.stop_standby();
    for _ in 0..3 {
        let (titles, from) = evidence_titles(&app, tutor, apprenticeship).await;
        assert_eq!((titles.len(), from.as_str()), (1, "primary"));
    }
    let coverage = app
        .get_as(
            tutor,
            &format!("/api/v1/apprenticeships/{apprenticeship}/coverage"),
        )
        .await;
    assert_eq!(coverage.status().as_u16(), 200);
    assert_eq!(served_by(&coverage), "primary");
    assert_eq!(readiness(&app).await["replica"], "down");

    // Back up: reads return to it once the rest after the failure is over.
    pair.start_standby();
    pair.wait_replayed().await;
    until_replica_is(&app, "ok").await;
    let (titles, from) = evidence_titles(&app, tutor, apprenticeship).await;
    assert_eq!((titles.len(), from.as_str()), (1, "replica"));
}

#[tokio::test]
async fn a_replica_lagging_past_the_bound_serves_no_reads_until_it_catches_up() {
    let (pair, db) = ReplicaPair::start(Duration::from_secs(3)).await;
    let app = app_reading_from(&pair, db, Duration::from_secs(1), true).await;
    let w = World::build(&app).await;
    let (tutor, apprenticeship) = (&w.a.tutor.token, &w.a.apprenticeship);
    pair.wait_replayed().await;
    until_replica_is(&app, "ok").await;
    assert_eq!(
        evidence_titles(&app, tutor, apprenticeship).await.1,
        "replica"
    );

    // A write, then a pause longer than the bound and shorter than the standby's delay.
    log(&app, &w.a.apprentice.token, apprenticeship, "Late", &["K1"]).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (titles, from) = evidence_titles(&app, tutor, apprenticeship).await;
    assert_eq!(from, "primary");
    assert_eq!(titles, vec!["Late".to_string()], "the primary's answer");
    assert_eq!(readiness(&app).await["replica"], "lagging");

    pair.wait_replayed().await;
    until_replica_is(&app, "ok").await;
    assert_eq!(
        evidence_titles(&app, tutor, apprenticeship).await.1,
        "replica"
    );
}
