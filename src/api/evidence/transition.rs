//! One workflow step (submit, withdraw, review), applied in one transaction: the conditional status
//! update (so racing requests cannot both apply), the review row when it is a review, and the
//! record of the change.

use actix_web::HttpResponse;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::change::{EvidenceChange, KsbLinks, record_evidence_change};
use super::response::{etag_header, response};
use crate::api::authenticated::Authenticated;
use crate::api::gateway::ensure_open;
use crate::db::apprenticeships::Apprenticeship;
use crate::db::evidence as db_evidence;
use crate::db::evidence::Evidence;
use crate::db::evidence_activity;
use crate::domain::evidence::{Decision, EvidenceStatus};
use crate::error::{AppError, AppResult};
use crate::notifications;

pub(super) fn conflict(e: crate::domain::evidence::NotAllowed) -> AppError {
    AppError::conflict("transition_not_allowed", e.0)
}

pub(super) fn raced() -> AppError {
    AppError::conflict(
        "transition_not_allowed",
        "This evidence changed status meanwhile; reload it and try again.",
    )
}

/// One workflow move, applied in one transaction: the conditional status update (so racing
/// requests cannot both apply), the review row when it is a review, and `record_evidence_change`.
pub(super) struct Transition<'a> {
    pub(super) from: EvidenceStatus,
    pub(super) to: EvidenceStatus,
    pub(super) withdrawn_reason: Option<&'a str>,
    pub(super) review: Option<(Decision, &'a str)>,
    pub(super) action: &'a str,
    pub(super) summary: serde_json::Value,
}

pub(super) async fn apply_transition(
    conn: &mut AsyncPgConnection,
    auth: &Authenticated,
    apprenticeship: &Apprenticeship,
    row: &Evidence,
    step: Transition<'_>,
) -> AppResult<HttpResponse> {
    let updated = conn
        .transaction(async |conn| {
            ensure_open(conn, apprenticeship.id).await?;
            let updated = db_evidence::set_status(
                conn,
                row.id,
                step.from.as_str(),
                step.to.as_str(),
                step.withdrawn_reason,
            )
            .await?
            .ok_or_else(raced)?;
            if let Some((decision, feedback)) = step.review {
                evidence_activity::add_review(
                    conn,
                    row.id,
                    auth.actor.user_id,
                    decision.as_str(),
                    feedback,
                )
                .await?;
            }
            let change = EvidenceChange {
                row: &updated,
                was: Some(step.from),
                ksbs: KsbLinks::Stored,
            };
            record_evidence_change(
                conn,
                auth,
                apprenticeship,
                change,
                step.action,
                step.summary,
            )
            .await?;
            notifications::evidence_moved(
                conn,
                auth.actor.user_id,
                apprenticeship,
                &updated,
                step.to,
            )
            .await?;
            Ok::<_, AppError>(updated)
        })
        .await?;
    let tag = etag_header(&updated);
    Ok(HttpResponse::Ok()
        .insert_header(tag)
        .json(response(conn, updated).await?))
}
