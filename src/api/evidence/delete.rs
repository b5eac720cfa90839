//! `DELETE /api/v1/evidence/{id}`: deleting a draft (anything submitted is part of the record).

use actix_web::{HttpResponse, delete, web};
use diesel_async::AsyncConnection;
use uuid::Uuid;

use super::{require_apprentice, status_of};
use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::db::evidence as db_evidence;
use crate::db::{audit, ksb_statuses};
use crate::domain::evidence::{Action, transition};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Delete a draft. Anything submitted is part of the record: withdraw it instead (409).
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "deleted"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/evidence/{id}")]
pub async fn delete_evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = visible_evidence(&mut conn, &auth.actor, *id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    transition(status_of(&row), Action::Delete)
        .map_err(|e| AppError::conflict("evidence_not_deletable", e.0))?;
    let storage_keys = conn
        .transaction(async |conn| {
            let keys = crate::db::attachments::storage_keys(conn, row.id).await?;
            let touched = db_evidence::ksb_ids(conn, row.id).await?;
            if !db_evidence::delete_draft(conn, row.id).await? {
                return Err(AppError::conflict(
                    "evidence_not_deletable",
                    "This evidence was submitted meanwhile; withdraw it instead.",
                ));
            }
            ksb_statuses::apply(
                conn,
                apprenticeship.id,
                apprenticeship.standard_id,
                ksb_statuses::Change::Evidence {
                    before: Some((status_of(&row), &touched)),
                    after: None,
                },
            )
            .await?;
            audit::record(
                conn,
                crate::api::audit_entry::entry(
                    &auth,
                    "evidence.deleted",
                    "evidence",
                    row.id,
                    vec![apprenticeship.employer_id, apprenticeship.provider_id],
                    serde_json::json!({ "title": row.title, "status": row.status }),
                ),
            )
            .await?;
            Ok::<_, AppError>(keys)
        })
        .await?;
    // The rows are gone; now the files. A failure here leaves an unreferenced file, never a row
    // pointing at nothing.
    for key in storage_keys {
        if let Err(error) = state.storage.delete(&key).await {
            tracing::warn!(%error, %key, "could not remove the file of a deleted draft");
        }
    }
    Ok(HttpResponse::NoContent().finish())
}
