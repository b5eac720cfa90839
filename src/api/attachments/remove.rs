//! `DELETE /api/v1/evidence/{id}/attachments/{attachment_id}`: the apprentice takes a file off
//! evidence they can still edit (a draft, or evidence sent back for changes).
//!
//! The row goes in one transaction with a new version of the evidence, a revision noting which
//! file was removed (the file's name stays on the record) and the audit row. The stored file is
//! removed after the commit: a failure there leaves an unreferenced file, which the sweep
//! (`storage::sweep`) removes, never a row pointing at nothing.

use actix_web::{HttpResponse, delete, web};
use diesel_async::AsyncConnection;
use uuid::Uuid;

use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::evidence::response::etag_header;
use crate::api::evidence::{require_apprentice, status_of};
use crate::db::evidence as db_evidence;
use crate::db::{apprenticeships, attachments, audit};
use crate::domain::evidence::{Action, transition};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Remove an attachment from a draft or from evidence sent back (the apprentice only). Answers
/// 204 with the evidence's new `ETag`; 403 for anyone else who sees the evidence, 404 outside
/// scope or for an attachment it does not have, 409 `evidence_not_editable` once submitted.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "removed", headers(("ETag" = String, description = "the evidence's new version"))),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "not the apprentice of this evidence", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "not editable in its status", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/evidence/{id}/attachments/{attachment_id}")]
pub async fn remove_attachment(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (evidence_id, attachment_id) = path.into_inner();
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = visible_evidence(&mut conn, &auth.actor, evidence_id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    transition(status_of(&row), Action::Edit)
        .map_err(|e| AppError::conflict("evidence_not_editable", e.0))?;
    let (updated, attachment) = conn
        .transaction(async |conn| {
            // The new version first: it locks the evidence row, so a submit cannot pass between
            // the check above and the removal.
            let updated = db_evidence::bump_version(conn, row.id, &row.status)
                .await?
                .ok_or_else(|| {
                    AppError::conflict(
                        "evidence_not_editable",
                        "This evidence was submitted or changed meanwhile; reload it to see \
                         where it is now.",
                    )
                })?;
            let attachment = attachments::delete(conn, row.id, attachment_id)
                .await?
                .ok_or_else(|| AppError::not_found("attachment"))?;
            let note = format!("Removed the file “{}”.", attachment.filename);
            let (_, codes) = db_evidence::ksbs(conn, row.id).await?;
            let entry = crate::api::audit_entry::entry(
                &auth,
                "evidence.attachment_removed",
                "evidence",
                row.id,
                vec![apprenticeship.employer_id, apprenticeship.provider_id],
                serde_json::json!({
                    "attachment_id": attachment.id, "filename": attachment.filename,
                    "sha256": attachment.sha256, "version": updated.version,
                }),
            );
            futures_util::try_join!(
                db_evidence::add_noted_revision(
                    conn,
                    &updated,
                    &codes,
                    auth.actor.user_id,
                    Some(&note)
                ),
                audit::record(conn, entry),
            )?;
            apprenticeships::touch(conn, apprenticeship.id).await?;
            Ok::<_, AppError>((updated, attachment))
        })
        .await?;
    drop(conn);
    if let Err(error) = state.storage.delete(&attachment.storage_key).await {
        // The row is gone; the sweep removes a stored file without a row within the hour.
        tracing::warn!(%error, key = %attachment.storage_key, "could not remove the file of a removed attachment");
    }
    Ok(HttpResponse::NoContent()
        .insert_header(etag_header(&updated))
        .finish())
}
