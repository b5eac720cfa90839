//! Shared state handed to every handler through `web::Data`.

use std::sync::Arc;

use crate::auth::jwt::JwtKeys;
use crate::config::Settings;
use crate::db::DbPool;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    /// DATABASE_READ_URL's pool and health; `None`: every read goes to `pool`.
    pub replica: Option<Arc<crate::db::replica::ReadReplica>>,
    pub settings: Arc<Settings>,
    /// Versions of the migrations compiled in, for `/readyz`.
    pub expected_migrations: Arc<Vec<String>>,
    pub jwt: JwtKeys,
    /// A hash of a random password, verified when the e-mail is unknown so that a wrong e-mail
    /// and a wrong password take the same time.
    pub dummy_password_hash: Arc<String>,
    pub storage: crate::storage::Storage,
    /// The upload spool and the per-user and check caps.
    pub uploads: crate::api::attachments::uploads::Uploads,
    /// Standards as the busy endpoints read them; each entry is checked per use.
    pub catalogue: crate::db::catalogue::cache::CatalogueCache,
    /// The requests this process is answering now (counted by `count_in_flight`).
    pub load: crate::request_load::RequestLoad,
}
