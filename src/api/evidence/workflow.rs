//! The workflow verbs: submit, withdraw (apprentice) and review (provider staff).

use actix_web::{HttpResponse, post, web};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    EvidenceChange, EvidenceResponse, Mapped, after_change, etag_header, load_visible,
    require_apprentice, response, status_of,
};
use crate::api::db_conn;
use crate::api::extract::Json;
use crate::api::patient_data::{refuse_nhs_numbers, required_reason};
use crate::auth::Authenticated;
use crate::db::apprenticeships::Apprenticeship;
use crate::db::evidence as db_evidence;
use crate::db::evidence::Evidence;
use crate::db::evidence_activity;
use crate::domain::evidence::{Action, Decision, EvidenceStatus, transition};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::notifications;
use crate::state::AppState;

fn conflict(e: crate::domain::evidence::NotAllowed) -> AppError {
    AppError::conflict("transition_not_allowed", e.0)
}

fn raced() -> AppError {
    AppError::conflict(
        "transition_not_allowed",
        "This evidence changed status meanwhile; reload it and try again.",
    )
}

/// One workflow move, applied in one transaction: the conditional status update (so racing
/// requests cannot both apply), the review row when it is a review, and `after_change`.
struct Move<'a> {
    from: EvidenceStatus,
    to: EvidenceStatus,
    withdrawn_reason: Option<&'a str>,
    review: Option<(Decision, &'a str)>,
    action: &'a str,
    summary: serde_json::Value,
}

async fn apply(
    conn: &mut AsyncPgConnection,
    auth: &Authenticated,
    apprenticeship: &Apprenticeship,
    row: &Evidence,
    step: Move<'_>,
) -> AppResult<HttpResponse> {
    let updated = conn
        .transaction(async |conn| {
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
                ksbs: Mapped::Stored,
            };
            after_change(
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

/// Submit a draft (or evidence sent back for changes) for review.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses(
        (status = 200, body = EvidenceResponse),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/evidence/{id}/submit")]
pub async fn submit_evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    let from = status_of(&row);
    let to = transition(from, Action::Submit).map_err(conflict)?;
    let summary = serde_json::json!({ "from": from.as_str(), "to": to.as_str() });
    let step = Move {
        from,
        to,
        withdrawn_reason: None,
        review: None,
        action: "evidence.submitted",
        summary,
    };
    apply(&mut conn, &auth, &apprenticeship, &row, step).await
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WithdrawRequest {
    /// Why it is withdrawn; kept in the record.
    pub reason: String,
}

/// Withdraw submitted or reviewed evidence, with a reason. It stays in the record but counts
/// nowhere.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    request_body = WithdrawRequest,
    responses(
        (status = 200, body = EvidenceResponse),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/evidence/{id}/withdraw")]
pub async fn withdraw_evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    body: Json<WithdrawRequest>,
) -> AppResult<HttpResponse> {
    let reason = required_reason(&body.0.reason, "must say why the evidence is withdrawn")?;
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    let from = status_of(&row);
    let to = transition(from, Action::Withdraw).map_err(conflict)?;
    let summary = serde_json::json!({ "from": from.as_str(), "reason": reason });
    let step = Move {
        from,
        to,
        withdrawn_reason: Some(&reason),
        review: None,
        action: "evidence.withdrawn",
        summary,
    };
    apply(&mut conn, &auth, &apprenticeship, &row, step).await
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReviewRequest {
    pub decision: Decision,
    /// Required when sending evidence back for changes.
    #[serde(default)]
    pub feedback: String,
}

/// Accept submitted evidence or send it back with feedback (staff of the apprenticeship's
/// training provider).
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    request_body = ReviewRequest,
    responses(
        (status = 200, body = EvidenceResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/evidence/{id}/review")]
pub async fn review_evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    body: Json<ReviewRequest>,
) -> AppResult<HttpResponse> {
    let ReviewRequest { decision, feedback } = body.0;
    let feedback = feedback.trim().to_string();
    if decision == Decision::ChangesRequested && feedback.is_empty() {
        return Err(AppError::invalid(
            "feedback",
            "is required when sending evidence back: say what to change",
        ));
    }
    if feedback.chars().count() > 20_000 {
        return Err(AppError::invalid(
            "feedback",
            "must be at most 20,000 characters",
        ));
    }
    refuse_nhs_numbers(&[("feedback", &feedback)])?;
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *id).await?;
    policy::review_evidence(&auth.actor, &apprenticeship.parties())?;
    let from = status_of(&row);
    let to = transition(from, Action::Review(decision)).map_err(conflict)?;
    let summary = serde_json::json!({ "decision": decision.as_str(), "feedback": feedback });
    let step = Move {
        from,
        to,
        withdrawn_reason: None,
        review: Some((decision, &feedback)),
        action: "evidence.reviewed",
        summary,
    };
    apply(&mut conn, &auth, &apprenticeship, &row, step).await
}
