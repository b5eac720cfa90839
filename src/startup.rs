//! Building and running the application, shared by `main` and the integration tests, and opening
//! the database (a given `DATABASE_URL`, or the embedded cluster) with migrations applied.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{HttpServer, web};
use anyhow::Context;

use crate::cli::ConfigArgs;
use crate::config::Settings;
use crate::db::{self, catalogue};
use crate::domain::standard::StandardDocument;
use crate::embedded_pg::EmbeddedPostgres;
use crate::state::AppState;

/// The bundled ST0220 catalogue, loaded on every `migrate` and `serve` when absent.
pub const BUNDLED_STANDARDS: &[(&str, &str)] = &[(
    "data/standards/ST0220.json",
    include_str!("../data/standards/ST0220.json"),
)];

/// A bound, not yet running HTTP server.
pub struct Application {
    address: SocketAddr,
    server: Server,
    /// The outbox's delivery worker and scheduled jobs, when this process runs them.
    notifications: Option<crate::notifications::worker::Running>,
}

impl Application {
    /// Binds to `settings.bind` (port 0 picks a free port) and builds the server on the database
    /// at `database_url`: the requests' connection pool (`settings.pool_options()`) and, when this
    /// process delivers e-mail, the mail thread's own. Nothing touches the database here:
    /// connections are made on first use, so an app can start while the database is down and
    /// say so on `/readyz`.
    pub fn build(settings: &Settings, database_url: &str) -> anyhow::Result<Self> {
        let pool = db::build_pool_with(database_url, settings.pool_options())?;
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let address = listener.local_addr()?;
        let secret = crate::auth::secret::load_or_create(
            settings.jwt_secret.as_deref(),
            &settings.data_dir,
        )?;
        let dummy_password = uuid::Uuid::new_v4().to_string();
        let storage = crate::storage::Storage::from_setting(&settings.storage, &settings.data_dir)?;
        let uploads = crate::api::attachments::uploads::Uploads::new(settings)?;
        crate::storage::sweep::spawn(storage.clone(), uploads.spool.clone(), pool.clone());
        let mailer = crate::mail::Mailer::from_settings(&settings.mail, &settings.data_dir)?;
        let load = crate::request_load::RequestLoad::default();
        let notifications = if settings.mail.worker {
            let delivery = crate::notifications::worker::Delivery {
                pool: db::build_pool_with(database_url, mail_pool_options(settings))?,
                mailer,
                public_url: public_url(settings, address),
                settings: settings.mail.clone(),
                load: load.clone(),
            };
            Some(
                crate::notifications::worker::spawn(delivery)
                    .context("cannot start the mail thread")?,
            )
        } else {
            None
        };
        db::signoff_hash::spawn_backfill(pool.clone());
        db::idempotency::spawn_sweep(pool.clone());
        let replica = settings.read_replica()?.map(Arc::new);
        let state = web::Data::new(AppState {
            pool,
            replica,
            settings: Arc::new(settings.clone()),
            expected_migrations: Arc::new(db::expected_migration_versions()),
            jwt: crate::auth::jwt::JwtKeys::new(&secret),
            storage,
            uploads,
            catalogue: Default::default(),
            load,
            dummy_password_hash: Arc::new(crate::auth::password::hash(
                &dummy_password,
                settings.password_hashing,
            )?),
        });
        let workers = settings.workers;
        let settings = settings.clone();
        let mut server = HttpServer::new(move || {
            let (app, _openapi) = crate::api::app(Some(state.clone()), settings.clone());
            app
        });
        if let Some(workers) = workers {
            server = server.workers(workers);
        }
        let server = server.listen(listener)?.run();
        Ok(Self {
            address,
            server,
            notifications,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests (actix's graceful stop)
    /// and lets the delivery worker finish the messages in hand.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(notifications) = self.notifications {
            notifications.stop().await;
        }
        served
    }

    /// A handle that stops the HTTP server gracefully (tests of shutdown).
    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}

/// Connections of the mail thread: enough for its tasks, which hold one only while they claim
/// or record a message, never while it is sent.
const MAIL_POOL_SIZE: usize = 4;

fn mail_pool_options(settings: &Settings) -> db::PoolOptions {
    db::PoolOptions {
        max_size: settings.mail.concurrency.clamp(1, MAIL_POOL_SIZE),
        ..settings.pool_options()
    }
}

/// Where links in e-mails point: KSBFOLIO_PUBLIC_URL, or the address this server listens on.
fn public_url(settings: &Settings, address: SocketAddr) -> String {
    settings
        .mail
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{address}"))
        .trim_end_matches('/')
        .to_string()
}

/// The database the process works on: a URL, and the embedded cluster when we started one.
pub struct OpenDatabase {
    pub url: String,
    embedded: Option<EmbeddedPostgres>,
}

impl OpenDatabase {
    /// Uses DATABASE_URL, or starts the embedded cluster; then migrates and loads the bundled
    /// standards (idempotent).
    pub async fn open(config: &ConfigArgs) -> anyhow::Result<Self> {
        let database = Self::open_as_is(config).await?;
        let prepared = config.db_prepared_statements;
        if let Err(error) = prepare_database_with(&database.url, prepared).await {
            database.close()?;
            return Err(error);
        }
        Ok(database)
    }

    /// Uses DATABASE_URL, or starts the embedded cluster (creating its empty database when
    /// missing), and changes nothing in it: what `ksbfolio backup` needs.
    pub async fn open_as_is(config: &ConfigArgs) -> anyhow::Result<Self> {
        let (url, embedded) = match &config.database_url {
            Some(url) => (url.clone(), None),
            None => {
                let data_dir = config.data_dir.clone();
                let embedded =
                    tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&data_dir))
                        .await??;
                let created = db::create_database_if_missing(
                    &embedded.admin_url(),
                    crate::embedded_pg::DATABASE_NAME,
                )
                .await;
                if let Err(error) = created {
                    // Never leave a cluster running that this process started and cannot use.
                    embedded.stop()?;
                    return Err(error.into());
                }
                (embedded.database_url(), Some(embedded))
            }
        };
        Ok(Self { url, embedded })
    }

    /// Stops the embedded cluster if this process started it.
    pub fn close(self) -> anyhow::Result<()> {
        if let Some(embedded) = self.embedded {
            embedded.stop()?;
        }
        Ok(())
    }
}

/// Applies pending migrations and inserts the bundled standards where absent.
pub async fn prepare_database(url: &str) -> anyhow::Result<()> {
    prepare_database_with(url, true).await
}

/// [`prepare_database`] on connections with or without named prepared statements
/// (KSBFOLIO_DB_PREPARED_STATEMENTS), so that it works through the same pooler as the app.
pub async fn prepare_database_with(url: &str, prepared_statements: bool) -> anyhow::Result<()> {
    let applied = db::run_migrations_with(url, prepared_statements)
        .await
        .context("cannot migrate the database")?;
    for version in applied {
        tracing::info!(%version, "applied migration");
    }
    let mut conn = db::establish(url, prepared_statements)
        .await
        .context("cannot connect to the database")?;
    for (name, json) in BUNDLED_STANDARDS {
        let document = StandardDocument::from_json(json, name)?;
        let outcome = catalogue::ensure_present(&mut conn, &document).await?;
        tracing::debug!(standard = %document.reference, ?outcome, "bundled standard");
    }
    Ok(())
}
