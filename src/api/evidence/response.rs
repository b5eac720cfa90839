//! The evidence response (with its KSB codes and reviews, a page of them in two more queries)
//! and its `ETag`.

use std::collections::HashMap;

use actix_web::http::header::{self, HeaderValue};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::references::PersonName;
use crate::db::evidence::{self as db_evidence, Evidence};
use crate::db::evidence_activity;
use crate::domain::evidence::{Decision, EvidenceKind, EvidenceStatus};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewResponse {
    pub decision: Decision,
    pub feedback: String,
    pub reviewer: PersonName,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceResponse {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub title: String,
    /// The apprentice's account, in Markdown.
    pub description: String,
    pub kind: EvidenceKind,
    pub occurred_on: NaiveDate,
    /// KSB codes this evidence shows, in standard order.
    pub ksbs: Vec<String>,
    pub status: EvidenceStatus,
    /// Also sent as the `ETag` header; send it back in `If-Match` to edit.
    pub version: i32,
    pub submitted_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_reason: Option<String>,
    /// The latest review's feedback, if any.
    pub feedback: Option<String>,
    /// Every review, oldest first.
    pub reviews: Vec<ReviewResponse>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The ETag of a version of a piece of evidence.
pub fn etag(row: &Evidence) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{}\"", row.version))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

pub fn etag_header(row: &Evidence) -> (header::HeaderName, HeaderValue) {
    (header::ETAG, etag(row))
}

/// Builds responses for several pieces of evidence with two queries (KSB codes, reviews).
pub async fn responses(
    conn: &mut AsyncPgConnection,
    rows: Vec<Evidence>,
) -> AppResult<Vec<EvidenceResponse>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut codes = db_evidence::ksb_codes(conn, &ids).await?;
    let mut reviews: HashMap<Uuid, Vec<ReviewResponse>> = HashMap::new();
    for r in evidence_activity::reviews(conn, &ids).await? {
        reviews
            .entry(r.evidence_id)
            .or_default()
            .push(ReviewResponse {
                decision: if r.decision == "accepted" {
                    Decision::Accepted
                } else {
                    Decision::ChangesRequested
                },
                feedback: r.feedback,
                reviewer: PersonName {
                    id: r.reviewer_id,
                    name: r.reviewer_name,
                },
                created_at: r.created_at,
            });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let codes = codes.remove(&row.id).unwrap_or_default();
            let reviews = reviews.remove(&row.id).unwrap_or_default();
            build(row, codes, reviews)
        })
        .collect())
}

/// The response for evidence just created: its codes are known and it has no reviews yet.
pub fn created_response(row: Evidence, codes: Vec<String>) -> EvidenceResponse {
    build(row, codes, Vec::new())
}

fn build(row: Evidence, codes: Vec<String>, reviews: Vec<ReviewResponse>) -> EvidenceResponse {
    EvidenceResponse {
        ksbs: codes,
        feedback: reviews
            .last()
            .map(|r| r.feedback.clone())
            .filter(|f| !f.is_empty()),
        reviews,
        kind: EvidenceKind::parse(&row.kind).unwrap_or(EvidenceKind::Other),
        status: EvidenceStatus::parse(&row.status).unwrap_or(EvidenceStatus::Draft),
        id: row.id,
        apprenticeship_id: row.apprenticeship_id,
        title: row.title,
        description: row.description,
        occurred_on: row.occurred_on,
        version: row.version,
        submitted_at: row.submitted_at,
        withdrawn_at: row.withdrawn_at,
        withdrawn_reason: row.withdrawn_reason,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub async fn response(conn: &mut AsyncPgConnection, row: Evidence) -> AppResult<EvidenceResponse> {
    responses(conn, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("response for one row")))
}
