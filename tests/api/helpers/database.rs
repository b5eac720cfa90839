//! A fresh database per test, cloned from a migrated template (fast: no migrations per test),
//! and dropped when the test ends. The server is DATABASE_URL's when set, otherwise a private
//! embedded cluster under target/, started once and reused by later runs.

use std::path::PathBuf;

use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use ksbfolio::embedded_pg::EmbeddedPostgres;
use tokio::sync::OnceCell;

/// URL of the maintenance database (`postgres`) of the server the tests use.
async fn admin_url() -> &'static str {
    static ADMIN: OnceCell<String> = OnceCell::const_new();
    ADMIN
        .get_or_init(|| async {
            if let Ok(url) = std::env::var("DATABASE_URL") {
                return with_database(&url, "postgres");
            }
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("test-cluster");
            let embedded = tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&dir))
                .await
                .expect("join")
                .expect("the embedded test cluster starts");
            let url = embedded.admin_url();
            // Left running on purpose: the next test run reuses it (`make test-db-stop` stops it).
            std::mem::forget(embedded);
            url
        })
        .await
}

/// `url` with its database name replaced.
pub fn with_database(url: &str, name: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("DATABASE_URL is a URL");
    parsed.set_path(&format!("/{name}"));
    parsed.to_string()
}

/// Name of the migrated template for this build: changes whenever the migrations change.
fn template_name() -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    ksbfolio::db::expected_migration_versions().hash(&mut hasher);
    for (_, json) in ksbfolio::startup::BUNDLED_STANDARDS {
        json.hash(&mut hasher);
    }
    for file in std::fs::read_dir("migrations").expect("migrations folder") {
        let path = file.expect("entry").path().join("up.sql");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .hash(&mut hasher);
    }
    format!("ksbfolio_template_{:016x}", hasher.finish())
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    #[allow(dead_code)]
    datname: String,
}

async fn ensure_template() -> &'static str {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let admin = admin_url().await;
            let name = template_name();
            let mut conn = AsyncPgConnection::establish(admin)
                .await
                .expect("admin connection");
            // Other test processes may build the same template at the same moment.
            diesel::sql_query("SELECT pg_advisory_lock(424242)")
                .execute(&mut conn)
                .await
                .expect("lock");
            let existing: Vec<Name> =
                diesel::sql_query("SELECT datname FROM pg_database WHERE datname = $1")
                    .bind::<Text, _>(&name)
                    .load(&mut conn)
                    .await
                    .expect("query");
            if existing.is_empty() {
                let building = format!("{name}_building");
                exec(
                    &mut conn,
                    &format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
                )
                .await;
                exec(&mut conn, &format!("CREATE DATABASE {building}")).await;
                ksbfolio::startup::prepare_database(&with_database(admin, &building))
                    .await
                    .expect("template migrates");
                exec(
                    &mut conn,
                    &format!("ALTER DATABASE {building} RENAME TO {name}"),
                )
                .await;
            }
            diesel::sql_query("SELECT pg_advisory_unlock(424242)")
                .execute(&mut conn)
                .await
                .expect("unlock");
            name
        })
        .await
}

async fn exec(conn: &mut AsyncPgConnection, sql: &str) {
    diesel::sql_query(sql)
        .execute(conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A database of one test's own; dropped (forcefully) when this value is dropped.
pub struct TestDatabase {
    pub name: String,
    pub url: String,
    admin: String,
}

impl TestDatabase {
    /// A migrated database holding the bundled standards and nothing else.
    pub async fn new() -> Self {
        let template = ensure_template().await;
        Self::create(&format!("TEMPLATE {template}")).await
    }

    /// An empty database: no tables, no migrations.
    pub async fn empty() -> Self {
        Self::create("").await
    }

    /// A migrated database holding the bundled standards on another server, whose maintenance
    /// database is at `admin` (the read replica tests' private primary).
    pub async fn migrated_on(admin: &str) -> Self {
        let db = Self::create_on(admin.to_string(), "").await;
        ksbfolio::startup::prepare_database(&db.url)
            .await
            .expect("the database migrates");
        db
    }

    async fn create(options: &str) -> Self {
        Self::create_on(admin_url().await.to_string(), options).await
    }

    async fn create_on(admin: String, options: &str) -> Self {
        let name = format!("ksbfolio_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = AsyncPgConnection::establish(&admin)
            .await
            .expect("admin connection");
        exec(&mut conn, &format!("CREATE DATABASE {name} {options}")).await;
        Self {
            url: with_database(&admin, &name),
            name,
            admin,
        }
    }

    pub async fn connect(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.url)
            .await
            .expect("test database connection")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime; the clean-up needs a runtime of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                if let Ok(mut conn) = AsyncPgConnection::establish(&admin).await {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                }
            });
        })
        .join();
    }
}
