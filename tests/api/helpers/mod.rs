//! Test helpers: a database per test, the application on a free port, and an HTTP client.

pub mod app;
pub mod database;

pub use app::{TestApp, spawn_app};
