//! The database layer: the connection pool, embedded migrations, and query functions that take a
//! connection (so a handler can run several in one transaction). Nothing here sees HTTP.

pub mod apprenticeships;
pub mod attachments;
pub mod audit;
pub mod breaks;
pub mod caseload;
pub mod catalogue;
pub mod connect;
pub mod deadline;
pub mod evidence;
pub mod evidence_activity;
pub mod gateway;
pub mod idempotency;
pub mod inbox;
pub mod ksb_statuses;
pub mod organisations;
pub mod otj;
pub mod otj_queue;
pub mod outbox;
pub mod password_links;
pub mod portfolio_export;
pub mod portfolio_import;
pub mod prepared_sql;
pub mod progress;
pub mod query_count;
pub mod queues;
pub mod replica;
pub mod reviews;
pub mod schema;
pub mod sessions;
pub mod sign_in_attempts;
pub mod sign_in_links;
pub mod signoff_evidence;
pub mod signoff_hash;
pub mod signoffs;
pub mod unavailable;
pub mod unnamed_statements;
pub mod users;

use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

diesel::define_sql_function! {
    /// SQL `lower(text)`, for case-insensitive matches that use the `lower(...)` indexes.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// The `ILIKE` pattern of rows containing `search` anywhere; LIKE's own wildcards (and its
/// escape character) in the search are matched literally.
pub fn contains_pattern(search: &str) -> String {
    let escaped = search
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

// Grouping evidence by KSB and status spans two tables; diesel needs to be told it is fine.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    schema::evidence_ksbs::ksb_id,
    schema::evidence::status,
);

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type DbPool = Pool<AsyncPgConnection>;
pub use deadline::DbConn;

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

/// How long a request's database work may take unless configured (`KSBFOLIO_DB_DEADLINE_SECS`).
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(10);

/// How the pool's connections are made.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    pub max_size: usize,
    pub deadline: Duration,
    /// KSBFOLIO_DB_PREPARED_STATEMENTS: `false` sends the server no named prepared statement
    /// ([`unnamed_statements`]), for PgBouncer in transaction pooling mode.
    pub prepared_statements: bool,
}

/// `(key, value)` rows, in order, as each key's values: children of a page of rows.
pub fn grouped<K: std::hash::Hash + Eq, V>(
    rows: Vec<(K, V)>,
) -> std::collections::HashMap<K, Vec<V>> {
    let mut map = std::collections::HashMap::<K, Vec<V>>::new();
    for (key, value) in rows {
        map.entry(key).or_default().push(value);
    }
    map
}

/// Builds the connection pool. Nothing about the database may hold a request for longer than
/// `deadline`: waiting for a free connection, connecting (the server may accept the socket and
/// then never answer) and recycling each time out after it, every statement gets it as
/// `statement_timeout`, and TCP connections get keepalives and `tcp_user_timeout` so a server
/// that vanished from the network is noticed even on idle pooled connections. A server that
/// stalls while its host stays up keeps TCP alive, which is why requests also run under
/// `api::deadline`.
///
/// `options.prepared_statements` is a property of each connection the pool makes, so it covers
/// every statement the application sends, whichever module builds it.
pub fn build_pool_with(database_url: &str, options: PoolOptions) -> Result<DbPool, DbError> {
    build(database_url, options, options.deadline, options.deadline)
}

/// The read replica's pool (DATABASE_READ_URL, `db::replica`): as [`build_pool_with`], but
/// waiting for a free connection or making one gives up after `patience` (at most the
/// deadline): a replica that is busy or cannot be reached costs a read only this wait before
/// the read goes to the primary.
pub fn build_read_pool(
    database_url: &str,
    options: PoolOptions,
    patience: Duration,
) -> Result<DbPool, DbError> {
    let patience = patience.min(options.deadline);
    build(database_url, options, patience, patience)
}

fn build(
    database_url: &str,
    options: PoolOptions,
    wait: Duration,
    connect: Duration,
) -> Result<DbPool, DbError> {
    let PoolOptions {
        max_size,
        deadline,
        prepared_statements,
    } = options;
    let url = connection_url(database_url, deadline, connect);
    // `Fast` recycling: no `SELECT 1` on every checkout (it was a third of the coverage
    // endpoint's statements); a broken connection is still detected and replaced.
    let mut config = ManagerConfig::<AsyncPgConnection>::default();
    config.recycling_method = diesel_async::pooled_connection::RecyclingMethod::Fast;
    config.custom_setup = Box::new(move |url| {
        Box::pin(async move {
            use diesel_async::AsyncConnection;
            let mut conn = if prepared_statements {
                AsyncPgConnection::establish(url).await?
            } else {
                connect::establish_unprepared(url).await?
            };
            conn.set_instrumentation(query_count::QueryCounter);
            Ok(conn)
        })
    });
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
    Pool::builder(manager)
        .max_size(max_size)
        .wait_timeout(Some(wait))
        .create_timeout(Some(connect))
        .recycle_timeout(Some(deadline))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| DbError::Pool(e.to_string()))
}

/// `url` with the per-connection settings added, unless the URL already sets them. tokio-postgres
/// reads libpq's parameter names but takes `tcp_user_timeout` in seconds, not milliseconds.
fn connection_url(url: &str, deadline: Duration, connect: Duration) -> String {
    let secs = deadline.as_secs().max(1).to_string();
    let connect_secs = connect.as_secs().max(1).to_string();
    let millis = deadline.as_millis().to_string();
    let is_url = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let statement_timeout = if is_url {
        format!("-c%20statement_timeout%3D{millis}")
    } else {
        format!("'-c statement_timeout={millis}'")
    };
    let settings = [
        ("options", statement_timeout.as_str()),
        ("connect_timeout", connect_secs.as_str()),
        ("keepalives", "1"),
        ("keepalives_idle", "10"),
        ("keepalives_interval", "5"),
        ("keepalives_retries", "3"),
        ("tcp_user_timeout", secs.as_str()),
    ];
    let mut url = url.to_string();
    for (key, value) in settings {
        let already_set = url.starts_with(&format!("{key}="))
            || ["?", "&", " "]
                .iter()
                .any(|before| url.contains(&format!("{before}{key}=")));
        if already_set {
            continue;
        }
        let separator = match (is_url, url.contains('?')) {
            (true, true) => "&",
            (true, false) => "?",
            (false, _) => " ",
        };
        url = format!("{url}{separator}{key}={value}");
    }
    url
}

/// One connection outside the pool, with or without named prepared statements.
pub async fn establish(
    database_url: &str,
    prepared_statements: bool,
) -> diesel::ConnectionResult<AsyncPgConnection> {
    use diesel_async::AsyncConnection;
    if prepared_statements {
        AsyncPgConnection::establish(database_url).await
    } else {
        connect::establish_unprepared(database_url).await
    }
}

/// [`run_migrations_with`] with named prepared statements.
pub async fn run_migrations(database_url: &str) -> Result<Vec<String>, DbError> {
    run_migrations_with(database_url, true).await
}

/// Runs pending migrations on a dedicated connection (the migration harness is synchronous, so it
/// runs on a blocking thread through diesel-async's wrapper).
pub async fn run_migrations_with(
    database_url: &str,
    prepared_statements: bool,
) -> Result<Vec<String>, DbError> {
    let url = database_url.to_string();
    tokio::task::spawn_blocking(move || {
        // The runtime's handle: the connection's driver task runs on it.
        let runtime = tokio::runtime::Handle::current();
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(
            runtime
                .block_on(establish(&url, prepared_statements))
                .map_err(|e| DbError::Migration(e.to_string()))?,
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_pattern_matches_wildcards_literally() {
        assert_eq!(contains_pattern("Ada"), "%Ada%");
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn connection_urls_get_the_deadline_and_keepalives_but_keep_what_they_set() {
        let url = connection_url(
            "postgres://u@db:5432/app?keepalives_idle=60",
            Duration::from_secs(4),
            Duration::from_secs(4),
        );
        assert_eq!(
            url,
            "postgres://u@db:5432/app?keepalives_idle=60&options=-c%20statement_timeout%3D4000\
             &connect_timeout=4&keepalives=1&keepalives_interval=5&keepalives_retries=3\
             &tcp_user_timeout=4"
        );
        let kv = connection_url(
            "host=/run/pg user=app",
            Duration::from_secs(10),
            Duration::from_secs(2),
        );
        assert!(kv.starts_with("host=/run/pg user=app options='-c statement_timeout=10000' "));
        assert!(kv.contains(" connect_timeout=2 "), "{kv}");
        assert!(kv.ends_with(" tcp_user_timeout=10"), "{kv}");
        assert!(kv.parse::<tokio_postgres::Config>().is_ok(), "{kv}");
        assert!(url.parse::<tokio_postgres::Config>().is_ok(), "{url}");
    }
}
