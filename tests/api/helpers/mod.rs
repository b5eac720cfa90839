//! Test helpers: a database per test, the application on a free port, an HTTP client, and a
//! small world of organisations and people built through the API.

pub mod app;
pub mod binary;
pub mod database;
pub mod pgbouncer;
pub mod portfolio;
pub mod reviews;
pub mod s3;
pub mod smtp;
pub mod standby;
pub mod world;

pub use app::{TestApp, spawn_app};
