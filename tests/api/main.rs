//! The integration tests: one binary that talks HTTP to the real application on a real
//! PostgreSQL, each test on its own fresh database.

// The whole binary is test code: its helpers may fail the test with `expect` and `panic!` (the
// application itself denies both, Cargo.toml [lints]).
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

mod helpers;

mod apprenticeship_changes;
mod attachment_removal;
mod attachments;
mod attachments_documents;
mod attachments_memory;
mod attachments_s3;
mod attachments_streaming;
mod auth;
mod authorization;
mod backup_restore;
mod caseload_plan;
mod cli_import;
mod coverage;
mod demo_seed;
mod embedded;
mod errors;
mod evidence;
mod gateway;
mod hardening;
mod health;
mod idempotency;
mod identity;
mod imports;
mod inbox;
mod mail_tls;
mod notifications;
mod otj;
mod passwords;
mod pgbouncer;
mod portfolio_export;
mod portfolio_import;
mod portfolio_pdf;
mod queues;
mod read_replica;
mod reviews;
mod schema;
mod search;
mod serve;
mod sessions;
mod sign_in_links;
mod signoffs;
mod signoffs_bulk;
mod stalled_database;
mod standards;
mod stored_enums;
mod trusted_proxies;
