//! `POST /api/v1/evidence/{id}/attachments`: the upload, streamed to a spool file.
//!
//! The body must arrive within the upload deadline (`KSBFOLIO_UPLOAD_DEADLINE_SECS`) with no
//! pause longer than `KSBFOLIO_UPLOAD_IDLE_SECS`, or the request ends with 408. actix-web's own
//! `client_request_timeout` only bounds the request *head* (5 s by default), and its keep-alive
//! and disconnect timeouts do not apply while a handler reads the body, so a body that trickles
//! in one byte at a time would otherwise hold its connection, spool file and upload place for
//! as long as the client likes.

use std::time::Duration;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use diesel_async::AsyncConnection;
use futures_util::{Stream, StreamExt};
use tokio::time::Instant;
use uuid::Uuid;

use super::AttachmentResponse;
use super::check::check;
use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::evidence::require_apprentice;
use crate::api::gateway::ensure_open;
use crate::api::idempotency::IdempotencyKey;
use crate::api::patient_data::refuse_nhs_numbers;
use crate::db::attachments::{self, Attachment};
use crate::db::idempotency::{Deletable, DeletableKind};
use crate::db::{apprenticeships, audit};
use crate::domain::attachment_type;
use crate::domain::evidence::{Action, transition};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::storage::spool::{Finished, Spool, is_disk_full};

/// How long the whole body may take, and the longest pause within it (also the portfolio
/// import's upload).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pace {
    deadline: Instant,
    total: Duration,
    idle: Duration,
}

impl Pace {
    /// From now, by the upload settings.
    pub(crate) fn of_upload(settings: &crate::config::Settings) -> Self {
        let total = Duration::from_secs(settings.upload_deadline_secs);
        Self {
            deadline: Instant::now() + total,
            total,
            idle: Duration::from_secs(settings.upload_idle_secs),
        }
    }

    /// The next item of `stream`, or 408 when it does not come in time.
    pub(crate) async fn next<S: Stream + Unpin>(
        &self,
        stream: &mut S,
    ) -> AppResult<Option<S::Item>> {
        let until = (Instant::now() + self.idle).min(self.deadline);
        tokio::time::timeout_at(until, stream.next())
            .await
            .map_err(|_| {
                AppError::RequestTimeout(format!(
                    "The upload arrived too slowly: the whole file must arrive within {} \
                     seconds, with no pause longer than {} seconds. Try again on a steadier \
                     connection.",
                    self.total.as_secs(),
                    self.idle.as_secs()
                ))
            })
    }
}

pub(crate) fn disk_full() -> AppError {
    AppError::InsufficientStorage(
        "There is no room left to store files right now. Nothing was saved; please try again \
         later, and tell your administrator if it keeps happening."
            .into(),
    )
}

pub(crate) fn unreadable(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(format!("The upload could not be read: {e}"))
}

/// Streams the `file` part into a spool file, refusing it once it grows past `limit`.
async fn receive(
    mut form: Multipart,
    spool: &Spool,
    limit: usize,
    pace: Pace,
) -> AppResult<(String, Finished)> {
    while let Some(field) = pace.next(&mut form).await? {
        let mut field = field.map_err(unreadable)?;
        if field.name() != Some("file") {
            continue;
        }
        let filename = field
            .content_disposition()
            .and_then(|cd| cd.get_filename().map(str::to_string))
            .unwrap_or_default();
        let io = |e: std::io::Error| {
            if is_disk_full(&e) {
                disk_full()
            } else {
                AppError::internal(e)
            }
        };
        let mut spooled = spool.create().await.map_err(io)?;
        while let Some(chunk) = pace.next(&mut field).await? {
            let chunk = chunk.map_err(unreadable)?;
            if spooled.size() + chunk.len() as u64 > limit as u64 {
                return Err(AppError::PayloadTooLarge(format!(
                    "Attachments may be at most {} MiB each.",
                    limit / (1024 * 1024)
                )));
            }
            spooled.write(&chunk).await.map_err(io)?;
        }
        let finished = spooled.finish().await.map_err(io)?;
        return Ok((attachment_type::clean_filename(&filename), finished));
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
    params(crate::api::idempotency::IdempotencyHeader),
    request_body(content = super::UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = AttachmentResponse),
        (status = 408, description = "the body arrived too slowly", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "a type that is not accepted, judged from the bytes", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "the file holds an NHS number, or its text could not be checked (`file`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many uploads of this user in progress", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 507, description = "no room left to store files", body = crate::error::Problem, content_type = "application/problem+json"),
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
    let (row, apprenticeship) = visible_evidence(&mut conn, &auth.actor, *id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    transition(row.status, Action::Edit)
        .map_err(|e| AppError::conflict("evidence_not_editable", e.0))?;
    drop(conn); // do not hold a connection while the upload streams in

    let _admitted = state.uploads.admit(auth.actor.user_id)?;
    let settings = &state.settings;
    let pace = Pace::of_upload(settings);
    let (filename, file) =
        receive(form, &state.uploads.spool, settings.attachment_limit, pace).await?;
    if file.size == 0 {
        return Err(AppError::invalid("file", "is empty"));
    }
    let content_type = check(&state.uploads, &file).await?;
    refuse_nhs_numbers(&[("filename", &filename)])?;
    let id = Uuid::new_v4();
    let attachment = Attachment {
        id,
        evidence_id: row.id,
        filename,
        content_type: content_type.to_string(),
        size_bytes: i64::try_from(file.size).unwrap_or(i64::MAX),
        sha256: file.sha256,
        storage_key: format!("evidence/{}/{id}", row.id),
        uploaded_by: auth.actor.user_id,
        created_at: Utc::now(),
    };
    state
        .storage
        .put_file(&attachment.storage_key, file.file)
        .await
        .map_err(|e| {
            if e.is_full() {
                disk_full()
            } else if e.is_unavailable() {
                super::store_unavailable(e)
            } else {
                AppError::internal(e)
            }
        })?;

    let fingerprint = (&attachment.filename, &attachment.sha256);
    let mut conn = match db_conn(&state).await {
        Ok(conn) => conn,
        Err(error) => {
            remove_file(&state, &attachment.storage_key).await;
            return Err(error);
        }
    };
    let result = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &fingerprint).await? {
                return Ok::<_, AppError>((replay, false));
            }
            ensure_open(conn, apprenticeship.id).await?;
            attachments::insert(conn, &attachment).await?;
            apprenticeships::touch(conn, apprenticeship.id).await?;
            audit::record(
                conn,
                crate::api::audit_entry::entry(
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
                    .store_deletable(
                        conn,
                        &auth,
                        StatusCode::CREATED,
                        &dto,
                        Deletable {
                            kind: DeletableKind::Attachment,
                            id: attachment.id,
                        },
                    )
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
