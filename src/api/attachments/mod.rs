//! `POST/GET /api/v1/evidence/{id}/attachments`, `GET/DELETE .../attachments/{attachment_id}`.
//!
//! An upload streams into a spool file while it is hashed (`upload.rs`), is checked for its type
//! and for NHS numbers from that file (`check.rs`), and is then handed to storage; its row is
//! written in a transaction with the audit row, and if the transaction fails the file is
//! removed, so a failed upload leaves neither an orphan row nor an orphan file. Downloads
//! stream from storage.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::db_conn;
use super::evidence::load_visible;
use crate::auth::Authenticated;
use crate::db::attachments::{self, Attachment};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

mod check;
mod remove;
mod upload;
pub mod uploads;

pub use remove::remove_attachment;
pub use upload::upload_attachment;
pub use uploads::Uploads;

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentResponse {
    pub id: Uuid,
    pub filename: String,
    /// Detected from the file's bytes.
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

impl From<Attachment> for AttachmentResponse {
    fn from(a: Attachment) -> Self {
        Self {
            id: a.id,
            filename: a.filename,
            content_type: a.content_type,
            size: a.size_bytes,
            sha256: a.sha256,
            created_at: a.created_at,
        }
    }
}

/// The multipart form: one part named `file`.
#[allow(dead_code)] // documents the request body in the OpenAPI document
#[derive(ToSchema)]
pub struct UploadForm {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentList {
    pub items: Vec<AttachmentResponse>,
}

/// The attachments of a piece of evidence.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses((status = 200, body = AttachmentList))
)]
#[get("/evidence/{id}/attachments")]
pub async fn list_attachments(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<AttachmentList>> {
    let mut conn = db_conn(&state).await?;
    let (row, _) = load_visible(&mut conn, &auth.actor, *id).await?;
    let items = attachments::list(&mut conn, row.id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(web::Json(AttachmentList { items }))
}

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
    let (row, _) = load_visible(&mut conn, &auth.actor, evidence_id).await?;
    let attachment = attachments::find(&mut conn, row.id, attachment_id)
        .await?
        .ok_or_else(|| AppError::not_found("attachment"))?;
    drop(conn);
    let (size, bytes) = state
        .storage
        .get_stream(&attachment.storage_key)
        .await
        .map_err(AppError::internal)?;
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
