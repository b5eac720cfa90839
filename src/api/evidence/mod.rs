//! Evidence: creating, reading, editing (with ETags), the review workflow, comments, revisions.
//! This file holds what the verbs share: loading with scope, permissions, validation, the
//! response shape, and the work every change does (revision, status refresh, audit).

pub mod comments;
pub mod create;
pub mod edit;
pub mod workflow;

use std::collections::HashMap;

use actix_web::http::header::{self, HeaderValue};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::patient_data::refuse_nhs_numbers;
use crate::auth::Authenticated;
use crate::db::apprenticeships::{self, Apprenticeship};
use crate::db::catalogue::cache::{CachedKsb, CachedStandard};
use crate::db::evidence::{self as db_evidence, Content, Evidence};
use crate::db::{audit, evidence_activity, ksb_statuses};
use crate::domain::evidence::{Decision, EvidenceKind, EvidenceStatus};
use crate::domain::policy;
use crate::domain::scope::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::notifications;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonName {
    pub id: Uuid,
    pub name: String,
}

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

/// The evidence and its apprenticeship, if the actor may see them; 404 otherwise.
pub async fn load_visible(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> AppResult<(Evidence, Apprenticeship)> {
    let not_found = || AppError::not_found("evidence");
    let row = db_evidence::find(conn, id).await?.ok_or_else(not_found)?;
    let apprenticeship = apprenticeships::find(conn, row.apprenticeship_id)
        .await?
        .filter(|a| actor.can_see_apprenticeship(&a.parties()))
        .ok_or_else(not_found)?;
    Ok((row, apprenticeship))
}

/// Only the apprentice of the apprenticeship writes its evidence (403 for others in scope).
pub fn require_apprentice(actor: &Actor, apprenticeship: &Apprenticeship) -> AppResult<()> {
    Ok(policy::write_evidence(actor, &apprenticeship.parties())?)
}

pub fn status_of(row: &Evidence) -> EvidenceStatus {
    EvidenceStatus::parse(&row.status).unwrap_or(EvidenceStatus::Draft)
}

/// Validated content and KSB ids of a piece of evidence.
pub struct Validated {
    pub content: Content,
    /// In standard order, as are the ids.
    pub ksb_codes: Vec<String>,
    pub ksb_ids: Vec<Uuid>,
}

/// Checks content against the apprenticeship and the standard; every failure names its field.
pub fn validate(
    standard: &CachedStandard,
    apprenticeship: &Apprenticeship,
    title: &str,
    description: &str,
    kind: EvidenceKind,
    occurred_on: NaiveDate,
    ksbs: &[String],
) -> AppResult<Validated> {
    let mut errors = Vec::new();
    let title = title.trim().to_string();
    match title.chars().count() {
        0 => errors.push(FieldError::new("title", "must not be empty")),
        1..=200 => {}
        _ => errors.push(FieldError::new("title", "must be at most 200 characters")),
    }
    if description.chars().count() > 20_000 {
        errors.push(FieldError::new(
            "description",
            "must be at most 20,000 characters",
        ));
    }
    if occurred_on > Utc::now().date_naive() {
        errors.push(FieldError::new("occurred_on", "must not be in the future"));
    }
    if occurred_on < apprenticeship.start_date {
        errors.push(FieldError::new(
            "occurred_on",
            format!(
                "must not be before the apprenticeship started ({})",
                apprenticeship.start_date
            ),
        ));
    }
    let codes: Vec<String> = ksbs.iter().map(|c| c.trim().to_uppercase()).collect();
    if codes.is_empty() {
        errors.push(FieldError::new("ksbs", "must name at least one KSB"));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, code) in codes.iter().enumerate() {
        if standard.ksb_by_code(code).is_none() {
            errors.push(FieldError::new(
                format!("ksbs[{i}]"),
                format!("{code} is not a KSB of this apprenticeship's standard"),
            ));
        } else if !seen.insert(code) {
            errors.push(FieldError::new(
                format!("ksbs[{i}]"),
                format!("{code} is listed twice"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    refuse_nhs_numbers(&[("title", &title), ("description", description)])?;
    let mut mapped: Vec<&CachedKsb> = codes
        .iter()
        .filter_map(|c| standard.ksb_by_code(c))
        .collect();
    mapped.sort_unstable_by_key(|k| k.position);
    Ok(Validated {
        ksb_ids: mapped.iter().map(|k| k.id).collect(),
        ksb_codes: mapped.iter().map(|k| k.code.clone()).collect(),
        content: Content {
            title,
            description: description.to_string(),
            kind: kind.as_str().to_string(),
            occurred_on,
        },
    })
}

/// The KSBs of a piece of evidence after a change.
pub enum Mapped<'a> {
    /// Not changed by this change: read from the database.
    Stored,
    /// Set by this change: row ids and codes in standard order, and the KSB rows it was mapped
    /// to before (none for new evidence).
    Set {
        ids: &'a [Uuid],
        codes: &'a [String],
        before: &'a [Uuid],
    },
}

/// A change to a piece of evidence, as [`after_change`] records it.
pub struct EvidenceChange<'a> {
    /// The evidence as it is now.
    pub row: &'a Evidence,
    /// Its status before the change; `None`: it is new.
    pub was: Option<EvidenceStatus>,
    pub ksbs: Mapped<'a>,
}

/// What every change to a piece of evidence does, in its transaction: a revision snapshot, the
/// kept status of each KSB it touches (and the apprenticeship's progress and last activity), and
/// the audit row.
pub async fn after_change(
    conn: &AsyncPgConnection,
    auth: &Authenticated,
    apprenticeship: &Apprenticeship,
    change: EvidenceChange<'_>,
    action: &str,
    summary: serde_json::Value,
) -> AppResult<()> {
    let row = change.row;
    let stored;
    let (ids, codes, before): (&[Uuid], &[String], &[Uuid]) = match change.ksbs {
        Mapped::Stored => {
            stored = db_evidence::ksbs(conn, row.id).await?;
            (&stored.0, &stored.1, &stored.0)
        }
        Mapped::Set { ids, codes, before } => (ids, codes, before),
    };
    let entry = super::audit::entry(
        auth,
        action,
        "evidence",
        row.id,
        vec![apprenticeship.employer_id, apprenticeship.provider_id],
        summary,
    );
    // Pipelined: the revision, the kept statuses and the audit row in as few round trips as
    // the statuses need.
    let (_, evidenced, _) = futures_util::try_join!(
        db_evidence::add_revision(conn, row, codes, auth.actor.user_id),
        ksb_statuses::apply(
            conn,
            apprenticeship.id,
            apprenticeship.standard_id,
            ksb_statuses::Change::Evidence {
                before: change.was.map(|status| (status, before)),
                after: Some((status_of(row), ids)),
            },
        ),
        audit::record(conn, entry),
    )?;
    let ready = ids
        .iter()
        .zip(codes)
        .filter(|(id, _)| evidenced.contains(id));
    let ready: Vec<String> = ready.map(|(_, code)| code.clone()).collect();
    notifications::ksbs_evidenced(conn, auth.actor.user_id, apprenticeship, &ready).await?;
    Ok(())
}
