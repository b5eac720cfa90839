//! `POST/GET /api/v1/evidence/{id}/attachments`, `GET .../attachments/{attachment_id}`.
//!
//! The file is stored first, then its row is written in a transaction with the audit row; if the
//! transaction fails the file is removed, so a failed upload leaves neither an orphan row nor an
//! orphan file.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, post, web};
use bytes::{Bytes, BytesMut};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use futures_util::StreamExt;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use super::db_conn;
use super::evidence::{load_visible, require_apprentice, status_of};
use super::idempotency::IdempotencyKey;
use super::patient_data::refuse_nhs_numbers;
use crate::auth::Authenticated;
use crate::db::attachments::{self, Attachment};
use crate::db::{apprenticeships, audit};
use crate::domain::attachment_type;
use crate::domain::evidence::{Action, transition};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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

/// Reads the `file` part, refusing it once it grows past `limit`.
async fn read_file(mut form: Multipart, limit: usize) -> AppResult<(String, Bytes)> {
    while let Some(field) = form.next().await {
        let mut field = field
            .map_err(|e| AppError::BadRequest(format!("The upload could not be read: {e}")))?;
        if field.name() != Some("file") {
            continue;
        }
        let filename = field
            .content_disposition()
            .and_then(|cd| cd.get_filename().map(str::to_string))
            .unwrap_or_default();
        let mut bytes = BytesMut::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk
                .map_err(|e| AppError::BadRequest(format!("The upload could not be read: {e}")))?;
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge(format!(
                    "Attachments may be at most {} MiB each.",
                    limit / (1024 * 1024)
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok((attachment_type::clean_filename(&filename), bytes.freeze()));
    }
    Err(AppError::invalid(
        "file",
        "send the file as a multipart part named `file`",
    ))
}

/// Attach a file to evidence the apprentice can still edit. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = AttachmentResponse),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "a type that is not accepted, judged from the bytes", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/evidence/{id}/attachments")]
pub async fn upload_attachment(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    idempotency: IdempotencyKey,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    transition(status_of(&row), Action::Edit)
        .map_err(|e| AppError::conflict("evidence_not_editable", e.0))?;
    drop(conn); // do not hold a connection while the upload streams in

    let (filename, bytes) = read_file(form, state.settings.attachment_limit).await?;
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "is empty"));
    }
    let content_type = attachment_type::detect(&bytes).map_err(|seen| {
        AppError::UnsupportedMediaType(format!(
            "This file looks like {seen}, which is not accepted. Attach PDF, Word, Excel, \
             PowerPoint or OpenDocument files, PNG, JPEG, GIF or WebP images, or plain text."
        ))
    })?;
    if content_type == "text/plain" {
        refuse_nhs_numbers(&[("file", &String::from_utf8_lossy(&bytes))])?;
    }
    refuse_nhs_numbers(&[("filename", &filename)])?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let attachment = Attachment {
        id: Uuid::new_v4(),
        evidence_id: row.id,
        filename,
        content_type: content_type.to_string(),
        size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        sha256,
        storage_key: String::new(),
        uploaded_by: auth.actor.user_id,
        created_at: Utc::now(),
    };
    let attachment = Attachment {
        storage_key: format!("evidence/{}/{}", row.id, attachment.id),
        ..attachment
    };
    state
        .storage
        .put(&attachment.storage_key, bytes)
        .await
        .map_err(AppError::internal)?;

    let fingerprint = (&attachment.filename, &attachment.sha256);
    let mut conn = db_conn(&state).await?;
    let result = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &fingerprint).await? {
                return Ok::<_, AppError>((replay, false));
            }
            attachments::insert(conn, &attachment).await?;
            apprenticeships::touch(conn, apprenticeship.id).await?;
            audit::record(
                conn,
                super::audit::entry(
                    &auth,
                    "evidence.attachment_added",
                    "evidence",
                    row.id,
                    vec![apprenticeship.employer_id, apprenticeship.provider_id],
                    serde_json::json!({
                        "attachment_id": attachment.id, "filename": attachment.filename,
                        "content_type": attachment.content_type, "size": attachment.size_bytes,
                        "sha256": attachment.sha256,
                    }),
                ),
            )
            .await?;
            let dto = AttachmentResponse::from(attachment.clone());
            Ok((
                idempotency
                    .store(conn, &auth, StatusCode::CREATED, &dto)
                    .await?,
                true,
            ))
        })
        .await;
    match result {
        Ok((created, stored)) => {
            if !stored {
                // A retry: the first upload's file is the one on record.
                remove_file(&state, &attachment.storage_key).await;
            }
            Ok(created.into_response())
        }
        Err(error) => {
            remove_file(&state, &attachment.storage_key).await;
            Err(error)
        }
    }
}

async fn remove_file(state: &AppState, key: &str) {
    if let Err(error) = state.storage.delete(key).await {
        tracing::error!(%error, %key, "could not remove the file of a failed upload");
    }
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
    let bytes = state
        .storage
        .get(&attachment.storage_key)
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
        .body(bytes))
}
