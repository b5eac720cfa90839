//! Settings: what the application needs to run, assembled from [`crate::cli::ConfigArgs`] by
//! `main`, or directly by the tests.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use crate::auth::client_address::TrustedProxies;
use crate::auth::password::HashingParams;
use crate::auth::throttle::ThrottlePolicy;
use crate::cli::ConfigArgs;

/// Everything [`crate::startup::Application::build`] needs apart from the database's URL.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// The built frontend; served only when it holds an `index.html`.
    pub static_dir: PathBuf,
    pub json_limit: usize,
    pub db_pool_size: usize,
    /// Longest a request may spend waiting for or holding database connections before it is
    /// answered 503 (KSBFOLIO_DB_DEADLINE_SECS).
    pub db_deadline: Duration,
    /// KSBFOLIO_DB_PREPARED_STATEMENTS: `false` for PgBouncer in transaction pooling mode
    /// (`db::unnamed_statements`).
    pub db_prepared_statements: bool,
    /// DATABASE_READ_URL: a streaming replica for the read-only endpoints (`db::replica`).
    pub database_read_url: Option<String>,
    /// KSBFOLIO_READ_MAX_LAG: further behind than this, the replica serves no reads.
    pub read_max_lag: Duration,
    /// HTTP worker threads; `None` means one per core.
    pub workers: Option<usize>,
    /// KSBFOLIO_JWT_SECRET; unset: generated once and kept in the data folder.
    pub jwt_secret: Option<String>,
    pub password_hashing: HashingParams,
    pub login_throttle: ThrottlePolicy,
    /// KSBFOLIO_TRUSTED_PROXIES: peers whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
    /// Largest attachment accepted, in bytes.
    pub attachment_limit: usize,
    /// `local` (files under the data folder) or `s3://BUCKET`.
    pub storage: String,
    /// Seconds within which a whole upload must arrive.
    pub upload_deadline_secs: u64,
    /// Longest pause, in seconds, between two pieces of an upload.
    pub upload_idle_secs: u64,
    /// Uploads one user may have in progress at once (per server process).
    pub uploads_per_user: usize,
    /// Report each request's SQL statement count in `X-Db-Queries` (tests and benchmarks).
    pub expose_query_count: bool,
    /// Send `Strict-Transport-Security` (deployments behind HTTPS).
    pub hsts: bool,
    pub mail: MailSettings,
}

/// Outgoing e-mail: where it goes, how it is signed, and the delivery worker's pace.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// KSBFOLIO_SMTP_URL (`smtp://host:port`, `smtps://user:pass@relay:465`, or `smtp://…?tls=required`
    /// for STARTTLS). `None`: each message is written to `$KSBFOLIO_DATA_DIR/mail/` and logged.
    pub smtp_url: Option<String>,
    /// KSBFOLIO_MAIL_FROM, e.g. `ksbfolio <noreply@example.nhs.uk>`.
    pub from: String,
    /// KSBFOLIO_PUBLIC_URL: the address people open links at. `None`: the bound address.
    pub public_url: Option<String>,
    /// KSBFOLIO_DIGEST_HOUR: the London hour (0–23) from which the day's digests are sent.
    pub digest_hour: u32,
    /// Run the delivery worker and the scheduled jobs in this process.
    pub worker: bool,
    /// Delivery tasks per process (each sends one message at a time).
    pub concurrency: usize,
    /// KSBFOLIO_MAIL_RATE: messages per second this process sends at most, all its tasks
    /// together; `None`: as fast as the tasks go.
    pub rate: Option<NonZeroU32>,
    /// KSBFOLIO_MAIL_BUSY_RATE: messages per second while this process is answering requests
    /// (each task looks before it claims); `None`: `rate` whatever the load.
    pub busy_rate: Option<NonZeroU32>,
    /// How often an idle delivery task looks for due messages.
    pub poll: Duration,
    /// The wait after the first failed attempt; each later wait doubles.
    pub retry_base: Duration,
    /// How often the scheduled jobs (review reminders, digests) run; `None`: not in this process.
    pub schedule_every: Option<Duration>,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "ksbfolio <noreply@ksbfolio.invalid>".into(),
            public_url: None,
            digest_hour: 7,
            worker: true,
            concurrency: 8,
            rate: NonZeroU32::new(250),
            busy_rate: NonZeroU32::new(10),
            poll: Duration::from_secs(1),
            retry_base: Duration::from_secs(30),
            schedule_every: Some(Duration::from_secs(60)),
        }
    }
}

impl Settings {
    /// Defaults for everything but the addresses; used by `ksbfolio openapi` and the tests.
    pub fn with_defaults(data_dir: PathBuf) -> Self {
        Self {
            bind: ([127, 0, 0, 1], 0).into(),
            static_dir: data_dir.join("no-frontend"),
            data_dir,
            json_limit: 1024 * 1024,
            db_pool_size: 4,
            db_deadline: crate::db::DEFAULT_DEADLINE,
            db_prepared_statements: true,
            database_read_url: None,
            read_max_lag: Duration::from_secs(5),
            workers: None,
            jwt_secret: None,
            password_hashing: HashingParams::default(),
            login_throttle: ThrottlePolicy::default(),
            trusted_proxies: TrustedProxies::default(),
            attachment_limit: 25 * 1024 * 1024,
            storage: "local".into(),
            upload_deadline_secs: 300,
            upload_idle_secs: 30,
            uploads_per_user: 3,
            expose_query_count: false,
            hsts: false,
            mail: MailSettings::default(),
        }
    }

    pub fn from_args(args: &ConfigArgs) -> Self {
        Self {
            bind: args.bind,
            data_dir: args.data_dir.clone(),
            static_dir: args.static_dir.clone(),
            json_limit: args.json_limit,
            db_pool_size: args.db_pool_size,
            db_deadline: Duration::from_secs(args.db_deadline_secs),
            db_prepared_statements: args.db_prepared_statements,
            database_read_url: args.database_read_url.clone(),
            read_max_lag: Duration::from_secs(args.read_max_lag),
            workers: None,
            jwt_secret: args.jwt_secret.clone(),
            password_hashing: HashingParams::default(),
            login_throttle: ThrottlePolicy {
                per_address: args.login_failures_per_address,
                ..ThrottlePolicy::default()
            },
            trusted_proxies: TrustedProxies::new(
                args.trusted_proxies.iter().filter_map(|e| e.0).collect(),
            ),
            attachment_limit: args.attachment_limit,
            storage: args.storage.clone(),
            upload_deadline_secs: args.upload_deadline_secs,
            upload_idle_secs: args.upload_idle_secs,
            uploads_per_user: args.uploads_per_user,
            expose_query_count: args.expose_query_count,
            hsts: args.hsts,
            mail: MailSettings {
                smtp_url: args.smtp_url.clone(),
                from: args.mail_from.clone(),
                public_url: args.public_url.clone(),
                digest_hour: args.digest_hour,
                worker: args.mail_worker,
                concurrency: usize::from(args.mail_concurrency),
                rate: NonZeroU32::new(args.mail_rate),
                busy_rate: NonZeroU32::new(args.mail_busy_rate),
                ..MailSettings::default()
            },
        }
    }
}

impl Settings {
    /// How the connection pool is built from these settings.
    pub fn pool_options(&self) -> crate::db::PoolOptions {
        crate::db::PoolOptions {
            max_size: self.db_pool_size,
            deadline: self.db_deadline,
            prepared_statements: self.db_prepared_statements,
        }
    }

    /// The read replica, when DATABASE_READ_URL is set: its pool (sized and set like the
    /// primary's) and its lag bound. Connects to nothing yet.
    pub fn read_replica(
        &self,
    ) -> Result<Option<crate::db::replica::ReadReplica>, crate::db::DbError> {
        let Some(url) = &self.database_read_url else {
            return Ok(None);
        };
        let pool =
            crate::db::build_read_pool(url, self.pool_options(), crate::db::replica::PATIENCE)?;
        Ok(Some(crate::db::replica::ReadReplica::new(
            pool,
            self.read_max_lag,
        )))
    }
}
