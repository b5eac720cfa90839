//! `GET /api/v1/evidence/{id}/attachments/{attachment_id}`: a file, streamed from storage.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use futures_util::TryStreamExt;
use uuid::Uuid;

use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::db::attachments::{self};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Download an attachment (same access as its evidence).
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the file's bytes", content_type = "application/octet-stream"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evidence/{id}/attachments/{attachment_id}")]
pub async fn download_attachment(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (evidence_id, attachment_id) = path.into_inner();
    let mut conn = db_conn(&state).await?;
    let (row, _) = visible_evidence(&mut conn, &auth.actor, evidence_id).await?;
    let attachment = attachments::find(&mut conn, row.id, attachment_id)
        .await?
        .ok_or_else(|| AppError::not_found("attachment"))?;
    drop(conn);
    let (size, bytes) = state
        .storage
        .get_stream(&attachment.storage_key)
        .await
        .map_err(|e| {
            if e.is_unavailable() {
                super::store_unavailable(e)
            } else {
                AppError::internal(e)
            }
        })?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, attachment.content_type.clone()))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(attachment.filename.clone())],
        })
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .no_chunking(size)
        .streaming(bytes.map_err(|error| {
            tracing::error!(%error, "an attachment download broke off");
            actix_web::error::ErrorInternalServerError("storage")
        })))
}
