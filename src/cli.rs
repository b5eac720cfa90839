//! The command line. Every setting is a flag with an environment variable beside it (12-factor),
//! and all of them show in `ksbfolio --help`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// ksbfolio — apprenticeship evidence tracker for the ST0220 Healthcare Science Associate standard.
///
/// Without DATABASE_URL, ksbfolio runs its own PostgreSQL cluster in KSBFOLIO_DATA_DIR/postgres,
/// using the PostgreSQL server binaries installed on this machine.
#[derive(Debug, Parser)]
#[command(name = "ksbfolio", version)]
pub struct Cli {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// PostgreSQL connection URL. Unset: the embedded cluster in KSBFOLIO_DATA_DIR/postgres.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Address the HTTP server listens on.
    #[arg(
        long,
        env = "KSBFOLIO_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,
    /// Folder for the embedded database, attachments and generated secrets.
    #[arg(
        long,
        env = "KSBFOLIO_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// Built frontend to serve at / (falls back to index.html for unknown non-API paths).
    #[arg(
        long,
        env = "KSBFOLIO_STATIC_DIR",
        default_value = "frontend/dist",
        global = true
    )]
    pub static_dir: PathBuf,
    /// Largest JSON request body accepted, in bytes.
    #[arg(long, env = "KSBFOLIO_JSON_LIMIT", default_value_t = 1024 * 1024, global = true)]
    pub json_limit: usize,
    /// Database connections in the pool.
    #[arg(
        long,
        env = "KSBFOLIO_DB_POOL_SIZE",
        default_value_t = 16,
        global = true
    )]
    pub db_pool_size: usize,
    /// Seconds a request may spend waiting for or holding database connections before it is
    /// answered 503 with Retry-After (also the statement, connect and pool timeouts).
    #[arg(
        long,
        env = "KSBFOLIO_DB_DEADLINE_SECS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=3600),
        global = true
    )]
    pub db_deadline_secs: u64,
    /// Send named (protocol-level) prepared statements, which diesel keeps per connection (the
    /// default). `false` sends every statement unnamed, parsed in the same step as its execution:
    /// needed behind PgBouncer in transaction pooling mode up to 1.20 (Debian 12 ships 1.18), or
    /// later ones without `max_prepared_statements`.
    #[arg(
        long,
        env = "KSBFOLIO_DB_PREPARED_STATEMENTS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub db_prepared_statements: bool,
    /// A streaming replica of the database, for the read-only endpoints (coverage, caseload,
    /// lists, queues, inbox, exports). Unset: everything reads from DATABASE_URL. Connections
    /// follow KSBFOLIO_DB_POOL_SIZE, the deadline and KSBFOLIO_DB_PREPARED_STATEMENTS.
    #[arg(long, env = "DATABASE_READ_URL", global = true, hide_env_values = true)]
    pub database_read_url: Option<String>,
    /// Seconds the read replica may lag behind the primary; further behind (or unreachable),
    /// reads go to the primary.
    #[arg(
        long,
        env = "KSBFOLIO_READ_MAX_LAG",
        default_value_t = 5,
        value_parser = clap::value_parser!(u64).range(1..=3600),
        global = true
    )]
    pub read_max_lag: u64,
    /// Secret for signing access tokens (at least 32 bytes). Unset: generated once and kept in
    /// KSBFOLIO_DATA_DIR/jwt-secret (mode 0600).
    #[arg(
        long,
        env = "KSBFOLIO_JWT_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub jwt_secret: Option<String>,
    /// Failed sign-ins from one client address within 15 minutes before it is throttled (429).
    /// Each account is throttled after 5.
    #[arg(
        long,
        env = "KSBFOLIO_LOGIN_FAILURES_PER_ADDRESS",
        default_value_t = 20,
        global = true
    )]
    pub login_failures_per_address: i64,
    /// Proxies (IP addresses or CIDR blocks, comma-separated) whose `X-Forwarded-For` names the
    /// client, e.g. the load balancer in front of several app nodes. The sign-in throttle keys on
    /// that address; from any other peer the header is ignored. Unset: the TCP peer is the client.
    #[arg(
        long,
        env = "KSBFOLIO_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = crate::auth::client_address::parse_proxy_entry,
        global = true
    )]
    pub trusted_proxies: Vec<crate::auth::client_address::ProxyEntry>,
    /// Largest attachment accepted, in bytes (25 MiB by default).
    #[arg(long, env = "KSBFOLIO_ATTACHMENT_LIMIT", default_value_t = 25 * 1024 * 1024, global = true)]
    pub attachment_limit: usize,
    /// Where attachment files go: `local` (KSBFOLIO_DATA_DIR/attachments) or `s3://BUCKET`
    /// (S3 or S3-compatible; credentials, region and endpoint from the usual AWS_* variables).
    #[arg(long, env = "KSBFOLIO_STORAGE", default_value = "local", global = true)]
    pub storage: String,
    /// Seconds within which a whole attachment upload must arrive (408 after).
    #[arg(
        long,
        env = "KSBFOLIO_UPLOAD_DEADLINE_SECS",
        default_value_t = 300,
        global = true
    )]
    pub upload_deadline_secs: u64,
    /// Longest pause, in seconds, between two pieces of an upload's body (408 after).
    #[arg(
        long,
        env = "KSBFOLIO_UPLOAD_IDLE_SECS",
        default_value_t = 30,
        global = true
    )]
    pub upload_idle_secs: u64,
    /// Attachment uploads one user may have in progress at once, per server process (429 after).
    #[arg(
        long,
        env = "KSBFOLIO_UPLOADS_PER_USER",
        default_value_t = 3,
        global = true
    )]
    pub uploads_per_user: usize,
    /// Report each request's SQL statement count in an `X-Db-Queries` header (benchmarks).
    #[arg(long, env = "KSBFOLIO_EXPOSE_QUERY_COUNT", global = true)]
    pub expose_query_count: bool,
    /// Send `Strict-Transport-Security` (only where HTTPS is terminated in front of the app).
    #[arg(long, env = "KSBFOLIO_HSTS", global = true)]
    pub hsts: bool,
    /// SMTP server for outgoing e-mail: `smtp://host:port` (plain), `smtp://host:587?tls=required`
    /// (STARTTLS) or `smtps://user:password@relay:465`. Unset: each message is written as an
    /// `.eml` file under KSBFOLIO_DATA_DIR/mail and logged.
    #[arg(long, env = "KSBFOLIO_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of every e-mail.
    #[arg(
        long,
        env = "KSBFOLIO_MAIL_FROM",
        default_value = "ksbfolio <noreply@ksbfolio.invalid>",
        global = true
    )]
    pub mail_from: String,
    /// The address people open ksbfolio at, for links in e-mails (e.g.
    /// `https://portfolio.example.nhs.uk`). Unset: `http://` and the bind address.
    #[arg(long, env = "KSBFOLIO_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// The hour (0–23, Europe/London) from which each day's digest e-mails are sent.
    #[arg(
        long,
        env = "KSBFOLIO_DIGEST_HOUR",
        default_value_t = 7,
        value_parser = clap::value_parser!(u32).range(0..=23),
        global = true
    )]
    pub digest_hour: u32,
    /// Run the e-mail delivery worker and the scheduled jobs in this process (the default);
    /// `false` for a process that only answers requests while others deliver.
    #[arg(
        long,
        env = "KSBFOLIO_MAIL_WORKER",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub mail_worker: bool,
    /// Delivery tasks of this process, each sending one message at a time (1–64). Each holds a
    /// database connection only while it claims or settles a message.
    #[arg(
        long,
        env = "KSBFOLIO_MAIL_CONCURRENCY",
        default_value_t = 8,
        value_parser = clap::value_parser!(u16).range(1..=64),
        global = true
    )]
    pub mail_concurrency: u16,
    /// Messages per second this process sends at most, all its delivery tasks together (0: as
    /// fast as the tasks go). Spreads a burst, so the requests it answers meanwhile keep their
    /// pace, and keeps within a relay's own limit.
    #[arg(
        long,
        env = "KSBFOLIO_MAIL_RATE",
        default_value_t = 250,
        value_parser = clap::value_parser!(u32).range(0..=100_000),
        global = true
    )]
    pub mail_rate: u32,
    /// Messages per second while this process is busy answering requests (one in flight, or one
    /// ended within the last 100 ms; 0: the full rate whatever the load). A burst of e-mail then
    /// trickles out instead of slowing the people using the app (10 a second is still 36,000 an
    /// hour, and a sign-in link someone waits for goes first); a process that answers no requests
    /// always sends at the full rate.
    #[arg(
        long,
        env = "KSBFOLIO_MAIL_BUSY_RATE",
        default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(0..=100_000),
        global = true
    )]
    pub mail_busy_rate: u32,
    /// Log filter, e.g. `info` or `ksbfolio=debug,actix_web=info`.
    #[arg(long = "log", env = "RUST_LOG", default_value = "info", global = true)]
    pub log_filter: String,
    /// Log format: `text` for people, `json` for log collectors.
    #[arg(
        long,
        env = "KSBFOLIO_LOG_FORMAT",
        default_value = "text",
        global = true
    )]
    pub log_format: crate::telemetry::LogFormat,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply pending database migrations and load the bundled standards, then exit.
    Migrate,
    /// Manage the standards catalogue.
    #[command(subcommand)]
    Standards(StandardsCommand),
    /// Print the OpenAPI document (JSON) to standard output.
    Openapi,
    /// Manage users.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Demo data for trying ksbfolio and for the load benchmark.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Back up the database and the attachments into DIR (new or empty), while the server runs
    /// or not: a pg_dump of one snapshot, the attachment files its rows name, and SHA256SUMS.
    /// The folder is readable by its owner only (it holds every portfolio).
    Backup {
        /// Folder to create (or an empty one).
        dir: PathBuf,
    },
    /// Restore a backup made by `ksbfolio backup` into a new or empty KSBFOLIO_DATA_DIR, as the
    /// embedded database and local attachments. Every file is checked against SHA256SUMS first;
    /// a damaged or incomplete backup, or a data folder that is not empty, is refused.
    Restore {
        /// The backup folder.
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Load a deterministic, realistic data set: providers, employers, tutors, mentors and N
    /// apprenticeships on ST0220 with about 100 pieces of evidence each, reviews, comments,
    /// sign-offs and their kept KSB statuses. The same --seed gives the same data (dates are
    /// relative to the day of seeding). Prints demo logins at the end.
    ///
    /// Every demo account shares one published password, so this refuses a database that already
    /// holds apprenticeships unless --force is given. Never seed a production database.
    Seed {
        /// How many apprenticeships (about 100 evidence rows each; 10,000 is about a million).
        #[arg(long, default_value_t = 200)]
        apprenticeships: u64,
        /// Data set number: e-mails are `…@demo-SEED.example`, and two seeds can share a database.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Load even if the database already holds apprenticeships.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a platform administrator. The password is read from KSBFOLIO_ADMIN_PASSWORD, or else
    /// from the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StandardsCommand {
    /// Import a standard from ksbfolio's JSON shape or the Skills England (IfATE) API shape.
    ///
    /// A new reference or version is added. Re-importing an existing version with the same KSB
    /// texts replaces its duty links (this is how the official mapping arrives); changed KSB texts
    /// are refused, since they make a new version.
    Import {
        /// Path of the JSON file.
        file: PathBuf,
    },
}
