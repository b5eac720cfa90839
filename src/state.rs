//! Shared state handed to every handler through `web::Data`.

use std::sync::Arc;

use crate::config::Settings;
use crate::db::DbPool;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    /// Versions of the migrations compiled in, for `/readyz`.
    pub expected_migrations: Arc<Vec<String>>,
}
