//! The catalogue (KSBs, duties and their links) of an apprenticeship's own standard version.

use std::sync::Arc;

use diesel_async::AsyncPgConnection;

use crate::db::apprenticeships::Apprenticeship;
use crate::db::catalogue::cache::CachedStandard;
use crate::error::AppError;
use crate::state::AppState;

/// The catalogue of an apprenticeship's standard, from the in-process cache when it is current.
pub async fn standard_of(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    apprenticeship: &Apprenticeship,
) -> Result<Arc<CachedStandard>, AppError> {
    state
        .catalogue
        .standard(
            conn,
            apprenticeship.standard_id,
            apprenticeship.catalogue_stamp,
        )
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("apprenticeship without standard")))
}
