//! `DELETE /api/v1/otj/{entry_id}`: the apprentice deletes a pending or rejected entry; an
//! approved one is frozen (409).

use actix_web::{HttpResponse, delete, web};
use diesel_async::AsyncConnection;
use uuid::Uuid;

use super::frozen;
use super::{load_visible, organisations};
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::db::otj as db_otj;
use crate::db::{apprenticeships, audit};
use crate::domain::otj::{self, OtjAction, OtjStatus};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Delete a pending or rejected entry.
#[utoipa::path(
    tag = "otj",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "approved: frozen", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/otj/{entry_id}")]
pub async fn delete_otj(
    state: web::Data<AppState>,
    auth: Authenticated,
    entry_id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *entry_id).await?;
    policy::log_otj(&auth.actor, &apprenticeship.parties())?;
    let status = OtjStatus::from_stored(&row.status)?;
    otj::transition(status, OtjAction::Delete).map_err(frozen)?;
    conn.transaction(async |conn| {
        apprenticeships::lock(conn, apprenticeship.id).await?;
        if !db_otj::delete(conn, row.id, status.as_str()).await? {
            return Err(AppError::conflict(
                "otj_frozen",
                "This entry was reviewed meanwhile; reload it.",
            ));
        }
        let delta = otj::delta(Some((status, row.minutes)), None);
        db_otj::move_kept(conn, apprenticeship.id, delta).await?;
        audit::record(
            conn,
            entry(
                &auth,
                "otj.deleted",
                "otj_entry",
                row.id,
                organisations(&apprenticeship),
                serde_json::json!({
                    "status": status.as_str(),
                    "occurred_on": row.occurred_on,
                    "minutes": row.minutes,
                }),
            ),
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
