//! The database layer: the connection pool, embedded migrations, and query functions that take a
//! connection (so a handler can run several in one transaction). Nothing here sees HTTP.

pub mod apprenticeships;
pub mod attachments;
pub mod audit;
pub mod breaks;
pub mod caseload;
pub mod catalogue;
pub mod evidence;
pub mod evidence_activity;
pub mod idempotency;
pub mod ksb_statuses;
pub mod organisations;
pub mod otj;
pub mod progress;
pub mod query_count;
pub mod reviews;
pub mod schema;
pub mod sessions;
pub mod sign_in_attempts;
pub mod signoffs;
pub mod users;

use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

diesel::define_sql_function! {
    /// SQL `lower(text)`, for case-insensitive matches that use the `lower(...)` indexes.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

// Grouping evidence by KSB and status spans two tables; diesel needs to be told it is fine.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    schema::evidence_ksbs::ksb_id,
    schema::evidence::status,
);

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;

/// Errors of the database layer that callers may want to tell apart.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("could not get a database connection: {0}")]
    Pool(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("migrations failed: {0}")]
    Migration(String),
}

/// Builds the connection pool. Every connection gets a `statement_timeout`, so a runaway query
/// cannot hold a connection (and a request) for ever.
pub fn build_pool(database_url: &str, max_size: usize) -> Result<DbPool, DbError> {
    let url = with_statement_timeout(database_url, Duration::from_secs(10));
    // `Fast` recycling: no `SELECT 1` on every checkout (it was a third of the coverage
    // endpoint's statements); a broken connection is still detected and replaced.
    let mut config = ManagerConfig::<AsyncPgConnection>::default();
    config.recycling_method = diesel_async::pooled_connection::RecyclingMethod::Fast;
    config.custom_setup = Box::new(|url| {
        Box::pin(async move {
            use diesel_async::AsyncConnection;
            let mut conn = AsyncPgConnection::establish(url).await?;
            conn.set_instrumentation(query_count::QueryCounter);
            Ok(conn)
        })
    });
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
    Pool::builder(manager)
        .max_size(max_size)
        .wait_timeout(Some(Duration::from_secs(5)))
        .create_timeout(Some(Duration::from_secs(5)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| DbError::Pool(e.to_string()))
}

fn with_statement_timeout(url: &str, timeout: Duration) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!(
        "{url}{separator}options=-c%20statement_timeout%3D{}",
        timeout.as_millis()
    )
}

/// Runs pending migrations on a dedicated connection (the migration harness is synchronous, so it
/// runs on a blocking thread through diesel-async's wrapper).
pub async fn run_migrations(database_url: &str) -> Result<Vec<String>, DbError> {
    let url = database_url.to_string();
    tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(|e| DbError::Migration(e.to_string()))?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| DbError::Migration(e.to_string()))?;
        Ok(applied.iter().map(ToString::to_string).collect())
    })
    .await
    .map_err(|e| DbError::Migration(e.to_string()))?
}

/// The versions of every migration compiled into this binary.
pub fn expected_migration_versions() -> Vec<String> {
    use diesel::migration::MigrationSource;
    MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
        .map(|list| {
            list.iter()
                .map(|m| m.name().version().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Creates database `name` through the maintenance database at `admin_url` unless it exists.
pub async fn create_database_if_missing(admin_url: &str, name: &str) -> Result<(), DbError> {
    use diesel::sql_types::Text;
    use diesel_async::{AsyncConnection, RunQueryDsl};

    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        #[allow(dead_code)]
        one: i32,
    }

    let mut conn = AsyncPgConnection::establish(admin_url)
        .await
        .map_err(|e| DbError::Pool(e.to_string()))?;
    let found: Vec<Found> =
        diesel::sql_query("SELECT 1 AS one FROM pg_database WHERE datname = $1")
            .bind::<Text, _>(name)
            .load(&mut conn)
            .await?;
    if found.is_empty() {
        // Identifiers cannot be bound; `name` is ours (a constant or a generated test name).
        diesel::sql_query(format!("CREATE DATABASE \"{}\"", name.replace('"', "")))
            .execute(&mut conn)
            .await?;
    }
    Ok(())
}
