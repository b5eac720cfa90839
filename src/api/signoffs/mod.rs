//! Employer sign-off of KSBs: `create`, `bulk` (several KSBs, all or nothing), `revoke`, `list`,
//! and what they share (the mentor check, the comment rule, the refusals, the response). Every
//! sign-off keeps the SHA-256 of the accepted evidence revisions behind it (`db::signoff_hash`).

pub mod bulk;
pub mod create;
pub mod list;
pub mod revoke;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::patient_data::refuse_nhs_numbers;
use crate::api::references::PersonName;
use crate::db::apprenticeships::Apprenticeship;
use crate::db::{signoffs, users};
use crate::domain::policy;
use crate::domain::scope::Actor;
use crate::error::{AppError, AppResult};

#[derive(Debug, Serialize, ToSchema)]
pub struct SignoffResponse {
    pub id: Uuid,
    pub ksb: String,
    pub comment: String,
    pub signed_off_by: PersonName,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<PersonName>,
    pub revoked_reason: Option<String>,
    /// SHA-256 (hex) of the accepted evidence revisions behind the sign-off when it was made:
    /// what the mentor confirmed. `null` only briefly, for a sign-off made before hashes were
    /// kept, until the server's start-up backfill reaches it.
    pub content_sha256: Option<String>,
}

/// 403 unless `decide` allows the caller (the refusal names the apprenticeship's own mentor).
async fn require_mentor_for(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &Actor,
    apprenticeship: &Apprenticeship,
    decide: fn(&Actor, &crate::domain::scope::ApprenticeshipParties, &str) -> policy::Decision,
) -> AppResult<()> {
    if actor.user_id == apprenticeship.mentor_id {
        return Ok(decide(actor, &apprenticeship.parties(), "")?);
    }
    let mentor = crate::db::users::find(conn, apprenticeship.mentor_id)
        .await?
        .map_or_else(|| "the assigned mentor".to_string(), |u| u.name);
    Ok(decide(actor, &apprenticeship.parties(), &mentor)?)
}

/// 403 unless the caller is the apprenticeship's own mentor (the refusal names them).
pub(super) async fn require_mentor(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &Actor,
    apprenticeship: &Apprenticeship,
) -> AppResult<()> {
    require_mentor_for(conn, actor, apprenticeship, policy::sign_off).await
}

/// A sign-off's comment, trimmed: at most 5,000 characters and free of NHS numbers (422 on
/// `comment`).
fn checked_comment(comment: &str) -> AppResult<String> {
    let comment = comment.trim().to_string();
    if comment.chars().count() > 5000 {
        return Err(AppError::invalid(
            "comment",
            "must be at most 5,000 characters",
        ));
    }
    refuse_nhs_numbers(&[("comment", &comment)])?;
    Ok(comment)
}

/// The 409 for a KSB that is already signed off.
fn already_signed_off(code: &str) -> AppError {
    AppError::conflict(
        "already_signed_off",
        format!("{code} is already signed off; revoke that sign-off first to sign it off again."),
    )
}

/// The 409 for a KSB without accepted evidence.
fn no_accepted_evidence(code: &str) -> AppError {
    AppError::conflict(
        "no_accepted_evidence",
        format!(
            "{code} has no accepted evidence yet: it can be signed off once the training provider accepts evidence for it."
        ),
    )
}

pub(super) async fn responses(
    conn: &mut diesel_async::AsyncPgConnection,
    rows: Vec<(signoffs::Signoff, String)>,
) -> AppResult<Vec<SignoffResponse>> {
    let ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|(s, _)| std::iter::once(s.signed_off_by).chain(s.revoked_by))
        .collect();
    let names: std::collections::HashMap<Uuid, String> = users::find_many(conn, &ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let person = |id: Uuid| PersonName {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    Ok(rows
        .into_iter()
        .map(|(s, ksb)| SignoffResponse {
            id: s.id,
            ksb,
            comment: s.comment,
            signed_off_by: person(s.signed_off_by),
            created_at: s.created_at,
            revoked_at: s.revoked_at,
            revoked_by: s.revoked_by.map(person),
            revoked_reason: s.revoked_reason,
            content_sha256: s.content_sha256,
        })
        .collect())
}
