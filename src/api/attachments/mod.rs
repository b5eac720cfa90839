//! Attachments: `upload` (`POST /api/v1/evidence/{id}/attachments`), `list`, `download` and
//! `remove` (`DELETE .../attachments/{attachment_id}`).
//!
//! An upload streams into a spool file while it is hashed (`upload.rs`), is checked for its type
//! and for NHS numbers from that file (`check.rs`), and is then handed to storage; its row is
//! written in a transaction with the audit row, and if the transaction fails the file is
//! removed, so a failed upload leaves neither an orphan row nor an orphan file. Downloads
//! stream from storage.

pub mod check;
pub mod download;
pub mod list;
pub mod remove;
pub mod upload;
pub mod uploads;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::attachments::Attachment;

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

/// The 503 of a file store that cannot be reached (S3 down or refusing): nothing was saved,
/// and trying again later is the remedy.
pub(crate) fn store_unavailable(error: crate::storage::StorageError) -> crate::error::AppError {
    tracing::error!(%error, "the file store is unavailable");
    crate::error::AppError::Unavailable(
        "The file store is not answering right now, so nothing was saved or sent. Please try \
         again in a few minutes."
            .into(),
    )
}
