//! ksbfolio: an apprenticeship evidence tracker for the ST0220 Healthcare Science Associate standard.
//!
//! The crate is a library with a thin binary (`main.rs`), so the integration tests start exactly
//! the application that `ksbfolio serve` runs.

/// HTTP only: extractors, handlers, the route table, error mapping and the OpenAPI document.
pub mod api;
/// Authentication: passwords, tokens, the authenticated extractor, throttling rules.
pub mod auth;
/// `ksbfolio backup` and `restore`: a checked dump of the database and the attachments.
pub mod backup;
/// Command-line interface (clap): subcommands and configuration flags.
pub mod cli;
/// The subcommands (serve, migrate, standards import, users create-admin, demo seed, backup, restore), one file each.
pub mod commands;
/// Settings assembled from the command line and environment.
pub mod config;
/// Permissions of the data folder: private to the user running ksbfolio.
pub mod data_dir;
/// The database: pool, migrations, schema and query functions.
pub mod db;
/// Deterministic demo data (`ksbfolio demo seed`), also the benchmark's data set.
pub mod demo;
/// The rules of the portfolio, free of HTTP and SQL.
pub mod domain;
/// The private PostgreSQL cluster behind the default set-up.
pub mod embedded_pg;
/// The one HTTP error type and its problem+json body.
pub mod error;
/// Outgoing e-mail: SMTP through lettre, or files when no server is configured.
pub mod mail;
/// Who is told about what: the outbox rows, their delivery worker and the scheduled jobs.
pub mod notifications;
/// Accessible (tagged, PDF/UA-1) PDF documents from headings, paragraphs and tables.
pub mod pdf;
/// How many requests this process is answering now (the mail worker yields to them).
pub mod request_load;
/// Building and running the application; opening (and migrating) the database.
pub mod startup;
/// Shared state handed to every handler.
pub mod state;
/// Attachment files behind object_store (local folder or S3).
pub mod storage;
/// Logging set-up.
pub mod telemetry;
