//! KSBFOLIO_DB_PREPARED_STATEMENTS: both modes straight to PostgreSQL, and `false` through a real
//! PgBouncer in transaction pooling mode, where named prepared statements break.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::helpers::TestApp;
use crate::helpers::app::{spawn_app_on, spawn_app_through};
use crate::helpers::database::TestDatabase;
use crate::helpers::pgbouncer::PgBouncer;
use crate::helpers::portfolio::{accepted, coverage, id, log, submit};
use crate::helpers::world::World;

/// Sign-ins, set-up, writes in transactions, the pipelined coverage read, the staff lists, and
/// a burst of concurrent reads: every answer as expected.
async fn exercise(app: &TestApp) {
    let w = World::build(app).await;
    let (apprentice, tutor) = (&w.a.apprentice.token, &w.a.tutor.token);
    let apprenticeship = &w.a.apprenticeship;
    accepted(app, apprentice, tutor, apprenticeship, &["K1", "S1"]).await;
    accepted(app, apprentice, tutor, apprenticeship, &["K2"]).await;
    let waiting = id(&log(app, apprentice, apprenticeship, "Waiting", &["B1"]).await);
    assert_eq!(submit(app, apprentice, &waiting).await.0, 200);

    let kept = coverage(app, apprentice, apprenticeship).await;
    let mut evidenced: Vec<&str> = kept["ksbs"]
        .as_array()
        .expect("ksbs")
        .iter()
        .filter(|k| k["status"] == "evidenced")
        .filter_map(|k| k["code"].as_str())
        .collect();
    evidenced.sort_unstable();
    assert_eq!(evidenced, vec!["K1", "K2", "S1"], "{kept}");
    for path in ["/api/v1/caseload", "/api/v1/review-queue", "/api/v1/inbox"] {
        assert_eq!(
            app.get_as(tutor, path).await.status().as_u16(),
            200,
            "{path}"
        );
    }
    let path = format!("/api/v1/apprenticeships/{apprenticeship}/coverage");
    let burst = (0..24).map(|_| app.get_as(apprentice, &path));
    for response in futures_util::future::join_all(burst).await {
        assert_eq!(response.status().as_u16(), 200);
    }
}

#[tokio::test]
async fn both_prepared_statement_modes_serve_the_same_work_straight_to_postgresql() {
    for prepared in [true, false] {
        let app = spawn_app_on(TestDatabase::new().await, |s| {
            s.db_prepared_statements = prepared;
        })
        .await;
        exercise(&app).await;
    }
}

#[tokio::test]
async fn without_prepared_statements_the_app_works_through_pgbouncer_in_transaction_mode() {
    let db = TestDatabase::new().await;
    let bouncer = PgBouncer::start(&db, 4).await;
    bouncer.open_servers(4).await;
    let app = spawn_app_through(db, &bouncer.url, |s| {
        s.db_prepared_statements = false;
        s.db_pool_size = 6;
    })
    .await;
    exercise(&app).await;
    assert!(!bouncer.log().contains("ERROR"), "{}", bouncer.log());
}

/// Runs one cached diesel statement 20 times on one pooled connection and returns the errors.
async fn errors_of_repeated_statements(url: &str, prepared: bool) -> Vec<String> {
    let pool = ksbfolio::db::build_pool_with(
        url,
        ksbfolio::db::PoolOptions {
            max_size: 1,
            deadline: std::time::Duration::from_secs(5),
            prepared_statements: prepared,
        },
    )
    .expect("pool");
    let mut errors = Vec::new();
    for _ in 0..20 {
        match pool.get().await {
            Ok(mut conn) => {
                let counted = ksbfolio::db::schema::standards::table
                    .count()
                    .get_result::<i64>(&mut conn)
                    .await;
                match counted {
                    Ok(n) => assert_eq!(n, 1, "the bundled standard"),
                    Err(error) => errors.push(error.to_string()),
                }
            }
            Err(error) => errors.push(error.to_string()),
        }
    }
    errors
}

#[tokio::test]
async fn named_prepared_statements_fail_through_pgbouncer_in_transaction_mode_so_the_setting_is_needed()
 {
    let db = TestDatabase::new().await;
    let bouncer = PgBouncer::start(&db, 3).await;
    bouncer.open_servers(3).await;

    let named = errors_of_repeated_statements(&bouncer.url, true).await;
    assert!(
        named
            .iter()
            .any(|e| e.contains("prepared statement") && e.contains("does not exist")),
        "diesel-async's named statements went to servers that never prepared them: {named:?}"
    );
    let unnamed = errors_of_repeated_statements(&bouncer.url, false).await;
    assert_eq!(unnamed, Vec::<String>::new());
    // Straight to PostgreSQL, both work.
    assert_eq!(
        errors_of_repeated_statements(&db.url, true).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn ksbfolio_migrate_runs_through_pgbouncer_without_prepared_statements() {
    let db = TestDatabase::empty().await;
    let bouncer = PgBouncer::start(&db, 3).await;
    bouncer.open_servers(3).await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ksbfolio"))
        .arg("migrate")
        .env("DATABASE_URL", &bouncer.url)
        .env("KSBFOLIO_DB_PREPARED_STATEMENTS", "false")
        .env("RUST_LOG", "warn")
        .output()
        .expect("ksbfolio runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut conn = db.connect().await;
    let standards = ksbfolio::db::schema::standards::table
        .count()
        .get_result::<i64>(&mut conn)
        .await
        .expect("migrated");
    assert_eq!(standards, 1, "the bundled standard is loaded");
}
