//! What every export does before it writes anything: the apprenticeship within the caller's
//! scope (404 outside it, `domain::scope`; anyone who can see it may export it, the apprentice
//! always), the portfolio gathered (from the read replica when it may serve the caller,
//! `api::connection::read_conn`), and the audit row `portfolio.exported` committed on the
//! primary. The pooled connections are returned before the caller sets a PDF or streams an
//! archive.

use diesel_async::AsyncConnection;
use uuid::Uuid;

use super::{Portfolio, gather};
use crate::api::access::visible_apprenticeship;
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::{db_conn, read_conn};
use crate::api::reviews::organisations;
use crate::db::apprenticeships::Apprenticeship;
use crate::db::audit;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The apprenticeship and its portfolio, the export audited as `format` (`zip`, `pdf`).
pub async fn export(
    state: &AppState,
    auth: &Authenticated,
    id: Uuid,
    format: &str,
) -> AppResult<(Apprenticeship, Portfolio)> {
    // The gathering is the heavy read: the read replica may serve it (caught up with the
    // caller's own writes); the audit row is a write, on the primary.
    let (apprenticeship, portfolio) = {
        let mut conn = read_conn(state, auth).await?;
        let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, id).await?;
        let portfolio = gather(state, &mut conn, &apprenticeship).await?;
        (apprenticeship, portfolio)
    };
    let mut conn = db_conn(state).await?;
    conn.transaction(async |conn| {
        audit::record(
            conn,
            entry(
                auth,
                "portfolio.exported",
                "apprenticeship",
                apprenticeship.id,
                organisations(&apprenticeship),
                serde_json::json!({
                    "format": format,
                    "evidence": portfolio.export.evidence.len(),
                    "attachments": portfolio.files.len(),
                }),
            ),
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok((apprenticeship, portfolio))
}
