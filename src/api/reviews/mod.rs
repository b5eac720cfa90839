//! Progress reviews: `POST/GET /api/v1/apprenticeships/{id}/reviews` ([`create`]),
//! `GET/PATCH /api/v1/reviews/{review_id}` ([`edit`]), `POST /api/v1/reviews/{review_id}/sign`
//! and `/reopen` ([`sign`]). This file holds what the verbs share: loading with scope,
//! validation, the canonical content and its hash, the status, and the response. The rules are
//! `domain::review`.

pub mod create;
pub mod get;
pub mod list;
pub mod reopen;
pub mod sign;
pub mod update;

use std::collections::HashMap;

use actix_web::http::header::{self, HeaderValue};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::patient_data::refuse_nhs_numbers;
use crate::api::references::PersonName;
use crate::db::apprenticeships::{self, Apprenticeship};
use crate::db::reviews::{self as db_reviews, Review, ReviewFields, Signature};
use crate::domain::calendar;
use crate::domain::review::{
    self, NextAction, ReviewContent, ReviewParty, ReviewSnapshot, ReviewStatus, SignatureFact,
};
use crate::domain::scope::Actor;
use crate::error::{AppError, AppResult, FieldError};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignatureResponse {
    pub id: Uuid,
    pub role: ReviewParty,
    pub signer: PersonName,
    pub signed_at: DateTime<Utc>,
    /// The SHA-256 of the review's canonical content this signature attests.
    pub content_sha256: String,
    /// Not voided, and made on the content as it is now.
    pub valid: bool,
    pub voided_at: Option<DateTime<Utc>>,
    pub voided_by: Option<Uuid>,
    pub void_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressReviewResponse {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub held_on: NaiveDate,
    pub previous_actions: String,
    pub progress_notes: String,
    /// Wellbeing, safeguarding, changes of circumstance.
    pub concerns: String,
    pub next_actions: Vec<NextAction>,
    /// Coverage and OTJ time when the review was created.
    pub snapshot: ReviewSnapshot,
    /// `signed` only when all three roles signed the current content.
    pub status: ReviewStatus,
    /// The SHA-256 of the canonical content as it is now.
    pub content_sha256: String,
    /// Not signed by all three 14 days or more after it was held.
    pub unsigned_overdue: bool,
    /// Every signature, voided ones too, oldest first.
    pub signatures: Vec<SignatureResponse>,
    /// Also sent as the `ETag` header; send it back in `If-Match` to edit.
    pub version: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A review's JSON columns (next actions, snapshot), typed.
pub struct ReviewJsonColumns {
    pub next_actions: Vec<NextAction>,
    pub snapshot: ReviewSnapshot,
}

pub fn json_columns(row: &Review) -> AppResult<ReviewJsonColumns> {
    Ok(ReviewJsonColumns {
        next_actions: serde_json::from_value(row.next_actions.clone())
            .map_err(AppError::internal)?,
        snapshot: serde_json::from_value(row.snapshot.clone()).map_err(AppError::internal)?,
    })
}

/// The SHA-256 of the review's canonical content (`domain::review::canonical`).
pub fn content_sha256(row: &Review, parsed: &ReviewJsonColumns) -> String {
    review::content_sha256(&ReviewContent {
        review_id: row.id,
        apprenticeship_id: row.apprenticeship_id,
        held_on: row.held_on,
        previous_actions: &row.previous_actions,
        progress_notes: &row.progress_notes,
        concerns: &row.concerns,
        next_actions: &parsed.next_actions,
        snapshot: &parsed.snapshot,
    })
}

pub fn facts(signatures: &[Signature]) -> AppResult<Vec<SignatureFact>> {
    signatures
        .iter()
        .map(|s| {
            Ok(SignatureFact {
                role: s.role,
                signer_name: s.signer_name.clone(),
                content_sha256: s.content_sha256.clone(),
                voided: s.voided_at.is_some(),
            })
        })
        .collect()
}

pub fn build(row: Review, signatures: Vec<Signature>) -> AppResult<ProgressReviewResponse> {
    let parsed = json_columns(&row)?;
    let hash = content_sha256(&row, &parsed);
    let status = review::review_status(&facts(&signatures)?, &hash);
    let today = calendar::today();
    let signatures = signatures
        .into_iter()
        .map(|s| {
            Ok(SignatureResponse {
                role: s.role,
                valid: s.voided_at.is_none() && s.content_sha256 == hash,
                signer: PersonName {
                    id: s.signer_id,
                    name: s.signer_name,
                },
                id: s.id,
                signed_at: s.signed_at,
                content_sha256: s.content_sha256,
                voided_at: s.voided_at,
                voided_by: s.voided_by,
                void_reason: s.void_reason,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(ProgressReviewResponse {
        unsigned_overdue: review::unsigned_overdue(
            row.held_on,
            status == ReviewStatus::Signed,
            today,
        ),
        status,
        content_sha256: hash,
        signatures,
        next_actions: parsed.next_actions,
        snapshot: parsed.snapshot,
        id: row.id,
        apprenticeship_id: row.apprenticeship_id,
        held_on: row.held_on,
        previous_actions: row.previous_actions,
        progress_notes: row.progress_notes,
        concerns: row.concerns,
        version: row.version,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Responses for a page of reviews: one query for all their signatures.
pub async fn responses(
    conn: &mut AsyncPgConnection,
    rows: Vec<Review>,
) -> AppResult<Vec<ProgressReviewResponse>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut signatures: HashMap<Uuid, Vec<Signature>> = db_reviews::signatures(conn, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let mine = signatures.remove(&row.id).unwrap_or_default();
            build(row, mine)
        })
        .collect()
}

pub async fn response(
    conn: &mut AsyncPgConnection,
    row: Review,
) -> AppResult<ProgressReviewResponse> {
    responses(conn, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("response for one review")))
}

pub fn etag_header(row: &Review) -> (header::HeaderName, HeaderValue) {
    (
        header::ETAG,
        HeaderValue::from_str(&format!("\"{}\"", row.version))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\"")),
    )
}

/// The review and its apprenticeship, if the actor may see them; 404 otherwise.
pub async fn load_visible(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> AppResult<(Review, Apprenticeship)> {
    let not_found = || AppError::not_found("review");
    let row = db_reviews::find(conn, id).await?.ok_or_else(not_found)?;
    let apprenticeship = apprenticeships::find(conn, row.apprenticeship_id)
        .await?
        .filter(|a| actor.can_see_apprenticeship(&a.parties()))
        .ok_or_else(not_found)?;
    Ok((row, apprenticeship))
}

/// The fields of a review as sent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewInput {
    /// When the review was held: not in the future, not before the apprenticeship started.
    pub held_on: NaiveDate,
    #[serde(default)]
    pub previous_actions: String,
    #[serde(default)]
    pub progress_notes: String,
    /// Wellbeing, safeguarding, changes of circumstance.
    #[serde(default)]
    pub concerns: String,
    #[serde(default)]
    pub next_actions: Vec<NextAction>,
}

const MAX_TEXT: usize = 20_000;
const MAX_ACTION: usize = 2_000;

/// Checks a review's fields; every failure names its field, and no text may hold an NHS number.
pub fn validate(input: &ReviewInput, apprenticeship: &Apprenticeship) -> AppResult<ReviewFields> {
    let mut errors = Vec::new();
    if input.held_on > calendar::today() {
        errors.push(FieldError::new("held_on", "must not be in the future"));
    }
    if input.held_on < apprenticeship.start_date {
        errors.push(FieldError::new(
            "held_on",
            format!(
                "must not be before the apprenticeship started ({})",
                apprenticeship.start_date
            ),
        ));
    }
    let texts = [
        ("previous_actions", input.previous_actions.trim()),
        ("progress_notes", input.progress_notes.trim()),
        ("concerns", input.concerns.trim()),
    ];
    for (field, text) in texts {
        if text.chars().count() > MAX_TEXT {
            errors.push(FieldError::new(field, "must be at most 20,000 characters"));
        }
    }
    let actions: Vec<NextAction> = input
        .next_actions
        .iter()
        .map(|a| NextAction {
            action: a.action.trim().to_string(),
            ..a.clone()
        })
        .collect();
    let names: Vec<String> = (0..actions.len())
        .map(|i| format!("next_actions[{i}].action"))
        .collect();
    for (i, a) in actions.iter().enumerate() {
        match a.action.chars().count() {
            0 => errors.push(FieldError::new(&names[i], "must say what is to be done")),
            1..=MAX_ACTION => {}
            _ => errors.push(FieldError::new(
                &names[i],
                "must be at most 2,000 characters",
            )),
        }
        if a.due_on < input.held_on {
            errors.push(FieldError::new(
                format!("next_actions[{i}].due_on"),
                "must not be before the review was held",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    let mut scanned: Vec<(&str, &str)> = texts.to_vec();
    scanned.extend(
        names
            .iter()
            .map(String::as_str)
            .zip(actions.iter().map(|a| a.action.as_str())),
    );
    refuse_nhs_numbers(&scanned)?;
    Ok(ReviewFields {
        held_on: input.held_on,
        previous_actions: texts[0].1.to_string(),
        progress_notes: texts[1].1.to_string(),
        concerns: texts[2].1.to_string(),
        next_actions: serde_json::to_value(&actions).map_err(AppError::internal)?,
    })
}

/// The organisations a review change concerns (for its audit row).
pub fn organisations(a: &Apprenticeship) -> Vec<Uuid> {
    vec![a.employer_id, a.provider_id]
}

/// 409: the signatures do not allow this (signing twice, reopening an unsigned review).
pub(super) fn conflict(e: review::ReviewConflict) -> AppError {
    AppError::conflict("review_signature_refused", e.to_string())
}
