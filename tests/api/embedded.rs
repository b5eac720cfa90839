//! The embedded cluster of the default set-up: initialised once, reused, restartable after a crash.

use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use ksbfolio::embedded_pg::EmbeddedPostgres;

#[derive(diesel::QueryableByName)]
struct Value {
    #[diesel(sql_type = Text)]
    value: String,
}

async fn start(dir: std::path::PathBuf) -> EmbeddedPostgres {
    tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&dir))
        .await
        .expect("join")
        .expect("embedded cluster starts")
}

async fn stop(embedded: EmbeddedPostgres) {
    tokio::task::spawn_blocking(move || embedded.stop())
        .await
        .expect("join")
        .expect("stops");
}

#[tokio::test]
async fn data_survives_a_restart_and_a_stale_pid_file_does_not_block_the_start() {
    // Under /tmp (not target/) so that, when run as root, the postgres user can reach it.
    let dir = tempfile::Builder::new()
        .prefix("ksbfolio-embedded-")
        .tempdir_in("/tmp")
        .expect("temp dir");
    let root = dir.path().to_path_buf();

    let embedded = start(root.clone()).await;
    ksbfolio::db::create_database_if_missing(&embedded.admin_url(), "ksbfolio")
        .await
        .expect("database");
    let mut conn = AsyncPgConnection::establish(&embedded.database_url())
        .await
        .expect("connect");
    conn.batch_execute("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')")
        .await
        .expect("write");
    drop(conn);
    stop(embedded).await;

    // A crash leaves postmaster.pid behind, naming a PID that is now something else (PID 1).
    let pid_file = root.join("postgres/pgdata/postmaster.pid");
    std::fs::write(&pid_file, "1\n/nonexistent\n").expect("write stale pid file");

    let embedded = start(root.clone()).await;
    let mut conn = AsyncPgConnection::establish(&embedded.database_url())
        .await
        .expect("connect");
    let rows: Vec<Value> = diesel::sql_query("SELECT value FROM kept")
        .load(&mut conn)
        .await
        .expect("table survived");
    assert!(rows.iter().any(|r| r.value == "still here"));
    drop(conn);
    stop(embedded).await;
    assert!(!pid_file.exists(), "a clean stop removes the pid file");
}
