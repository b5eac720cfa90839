//! The rows of an imported portfolio (moving provider, `api::portfolio::import`), written as
//! history: each row keeps its original dates and statuses and an `origin` (original id, the
//! names of the people who acted on it). Inserted whole, in a few statements per kind, inside
//! the import's transaction; the kept figures are then computed from these raw rows by the same
//! functions that set up and check every apprenticeship (`ksb_statuses::initialise`,
//! `otj::recompute`, `reviews::refresh`).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::attachments::Attachment;
use super::schema::{
    attachments, evidence, evidence_ksbs, evidence_reviews, evidence_revisions, otj_entries,
    progress_reviews, review_signatures, signoffs,
};
use crate::domain::evidence::{Decision, EvidenceKind, EvidenceStatus};
use crate::domain::otj::{OtjActivity, OtjStatus};
use crate::domain::review::{ReviewParty, ReviewStatus};

/// One evidence item as it will be stored, with its KSBs, latest decision and files.
#[derive(Debug, Clone)]
pub struct ImportedEvidence {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub kind: EvidenceKind,
    pub status: EvidenceStatus,
    pub occurred_on: NaiveDate,
    /// The revision number at export (the one revision kept here).
    pub version: i32,
    pub submitted_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub ksb_ids: Vec<Uuid>,
    pub ksb_codes: Vec<String>,
    pub decision: Option<(Decision, DateTime<Utc>, serde_json::Value)>,
    pub origin: serde_json::Value,
}

/// Who the user columns of imported rows name: the apprentice for what they did, the importing
/// member of staff for the rest (the origin names who it really was).
#[derive(Debug, Clone, Copy)]
pub struct Recorders {
    pub apprentice: Uuid,
    pub importer: Uuid,
}

/// The evidence, its KSB links, one revision each (the one at export), the latest decisions
/// and the attachment rows: five statements.
pub async fn evidence(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    by: Recorders,
    items: &[ImportedEvidence],
    files: &[Attachment],
) -> QueryResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = items
        .iter()
        .map(|e| {
            (
                evidence::id.eq(e.id),
                evidence::apprenticeship_id.eq(apprenticeship_id),
                evidence::title.eq(&e.title),
                evidence::description.eq(&e.description),
                evidence::kind.eq(e.kind),
                evidence::occurred_on.eq(e.occurred_on),
                evidence::status.eq(e.status),
                evidence::version.eq(e.version),
                evidence::submitted_at.eq(e.submitted_at),
                evidence::withdrawn_at.eq(e.withdrawn_at),
                evidence::withdrawn_reason.eq(&e.withdrawn_reason),
                evidence::created_by.eq(by.apprentice),
                evidence::created_at.eq(e.created_at),
                evidence::updated_at.eq(e.updated_at),
                evidence::origin.eq(Some(&e.origin)),
            )
        })
        .collect();
    diesel::insert_into(evidence::table)
        .values(rows)
        .execute(conn)
        .await?;
    let links: Vec<_> = items
        .iter()
        .flat_map(|e| {
            e.ksb_ids.iter().map(|k| {
                (
                    evidence_ksbs::evidence_id.eq(e.id),
                    evidence_ksbs::ksb_id.eq(*k),
                )
            })
        })
        .collect();
    if !links.is_empty() {
        diesel::insert_into(evidence_ksbs::table)
            .values(links)
            .execute(conn)
            .await?;
    }
    let revisions: Vec<_> = items
        .iter()
        .map(|e| {
            let codes: Vec<Option<String>> = e.ksb_codes.iter().cloned().map(Some).collect();
            (
                evidence_revisions::evidence_id.eq(e.id),
                evidence_revisions::version.eq(e.version),
                evidence_revisions::title.eq(&e.title),
                evidence_revisions::description.eq(&e.description),
                evidence_revisions::kind.eq(e.kind),
                evidence_revisions::occurred_on.eq(e.occurred_on),
                evidence_revisions::ksbs.eq(codes),
                evidence_revisions::status.eq(e.status),
                evidence_revisions::edited_by.eq(by.apprentice),
                evidence_revisions::created_at.eq(e.updated_at),
                evidence_revisions::note.eq(Some(
                    "Imported with the portfolio from the previous training provider; earlier \
                     revisions stay with that provider's records.",
                )),
            )
        })
        .collect();
    diesel::insert_into(evidence_revisions::table)
        .values(revisions)
        .execute(conn)
        .await?;
    let decisions: Vec<_> = items
        .iter()
        .filter_map(|e| {
            e.decision.as_ref().map(|(decision, at, origin)| {
                (
                    evidence_reviews::evidence_id.eq(e.id),
                    evidence_reviews::reviewer_id.eq(by.importer),
                    evidence_reviews::decision.eq(*decision),
                    evidence_reviews::created_at.eq(*at),
                    evidence_reviews::origin.eq(Some(origin)),
                )
            })
        })
        .collect();
    if !decisions.is_empty() {
        diesel::insert_into(evidence_reviews::table)
            .values(decisions)
            .execute(conn)
            .await?;
    }
    if !files.is_empty() {
        diesel::insert_into(attachments::table)
            .values(files)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// One sign-off as it will be stored.
#[derive(Debug, Clone)]
pub struct ImportedSignoff {
    pub ksb_id: Uuid,
    pub comment: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
    pub origin: serde_json::Value,
}

/// The sign-offs (live and revoked) in one statement; their ids.
pub async fn signoffs(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    by: Recorders,
    items: &[ImportedSignoff],
) -> QueryResult<Vec<Uuid>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<_> = items
        .iter()
        .map(|s| {
            (
                signoffs::apprenticeship_id.eq(apprenticeship_id),
                signoffs::ksb_id.eq(s.ksb_id),
                signoffs::signed_off_by.eq(by.importer),
                signoffs::comment.eq(&s.comment),
                signoffs::created_at.eq(s.created_at),
                signoffs::revoked_at.eq(s.revoked_at),
                signoffs::revoked_by.eq(s.revoked_at.map(|_| by.importer)),
                signoffs::revoked_reason.eq(&s.revoked_reason),
                signoffs::origin.eq(Some(&s.origin)),
            )
        })
        .collect();
    diesel::insert_into(signoffs::table)
        .values(rows)
        .returning(signoffs::id)
        .get_results(conn)
        .await
}

/// One off-the-job entry as it will be stored.
#[derive(Debug, Clone)]
pub struct ImportedOtj {
    pub occurred_on: NaiveDate,
    pub minutes: i32,
    pub activity: OtjActivity,
    pub description: String,
    pub status: OtjStatus,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub origin: serde_json::Value,
}

/// The off-the-job entries in one statement (the daily cap is not checked again: this is the
/// record of time already logged and decided).
pub async fn otj(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    by: Recorders,
    items: &[ImportedOtj],
) -> QueryResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = items
        .iter()
        .map(|o| {
            (
                otj_entries::apprenticeship_id.eq(apprenticeship_id),
                otj_entries::occurred_on.eq(o.occurred_on),
                otj_entries::minutes.eq(o.minutes),
                otj_entries::activity.eq(o.activity),
                otj_entries::description.eq(&o.description),
                otj_entries::status.eq(o.status),
                otj_entries::reviewed_by.eq(o.reviewed_at.map(|_| by.importer)),
                otj_entries::reviewed_at.eq(o.reviewed_at),
                otj_entries::rejection_reason.eq(&o.rejection_reason),
                otj_entries::created_by.eq(by.apprentice),
                otj_entries::created_at.eq(o.created_at),
                otj_entries::updated_at.eq(o.reviewed_at.unwrap_or(o.created_at)),
                otj_entries::origin.eq(Some(&o.origin)),
            )
        })
        .collect();
    diesel::insert_into(otj_entries::table)
        .values(rows)
        .execute(conn)
        .await
        .map(drop)
}

/// One progress review as it will be stored, with its signatures.
#[derive(Debug, Clone)]
pub struct ImportedReview {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub previous_actions: String,
    pub progress_notes: String,
    pub concerns: String,
    pub next_actions: serde_json::Value,
    pub snapshot: serde_json::Value,
    pub status: ReviewStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub origin: serde_json::Value,
    pub signatures: Vec<ImportedSignature>,
}

#[derive(Debug, Clone)]
pub struct ImportedSignature {
    pub role: ReviewParty,
    pub content_sha256: String,
    pub signed_at: DateTime<Utc>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
    pub origin: serde_json::Value,
}

/// The reviews and their signatures: two statements.
pub async fn reviews(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    by: Recorders,
    items: &[ImportedReview],
) -> QueryResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = items
        .iter()
        .map(|r| {
            (
                progress_reviews::id.eq(r.id),
                progress_reviews::apprenticeship_id.eq(apprenticeship_id),
                progress_reviews::held_on.eq(r.held_on),
                progress_reviews::previous_actions.eq(&r.previous_actions),
                progress_reviews::progress_notes.eq(&r.progress_notes),
                progress_reviews::concerns.eq(&r.concerns),
                progress_reviews::next_actions.eq(&r.next_actions),
                progress_reviews::snapshot.eq(&r.snapshot),
                progress_reviews::status.eq(r.status),
                progress_reviews::created_by.eq(by.importer),
                progress_reviews::created_at.eq(r.created_at),
                progress_reviews::updated_at.eq(r.updated_at),
                progress_reviews::origin.eq(Some(&r.origin)),
            )
        })
        .collect();
    diesel::insert_into(progress_reviews::table)
        .values(rows)
        .execute(conn)
        .await?;
    let signatures: Vec<_> = items
        .iter()
        .flat_map(|r| {
            r.signatures.iter().map(move |s| {
                let signer = match s.role {
                    ReviewParty::Apprentice => by.apprentice,
                    ReviewParty::Employer | ReviewParty::Provider => by.importer,
                };
                (
                    review_signatures::review_id.eq(r.id),
                    review_signatures::role.eq(s.role),
                    review_signatures::signer_id.eq(signer),
                    review_signatures::content_sha256.eq(&s.content_sha256),
                    review_signatures::signed_at.eq(s.signed_at),
                    review_signatures::voided_at.eq(s.voided_at),
                    review_signatures::voided_by.eq(s.voided_at.map(|_| by.importer)),
                    review_signatures::void_reason.eq(&s.void_reason),
                    review_signatures::origin.eq(Some(&s.origin)),
                )
            })
        })
        .collect();
    if !signatures.is_empty() {
        diesel::insert_into(review_signatures::table)
            .values(signatures)
            .execute(conn)
            .await?;
    }
    Ok(())
}
