//! `POST /api/v1/evidence/{id}/review`: provider staff accept submitted evidence or send it back
//! with feedback.

use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::response::EvidenceResponse;
use super::status_of;
use super::transition::{Transition, apply_transition, conflict};
use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::patient_data::refuse_nhs_numbers;
use crate::domain::evidence::{Action, Decision, transition};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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
    let (row, apprenticeship) = visible_evidence(&mut conn, &auth.actor, *id).await?;
    policy::review_evidence(&auth.actor, &apprenticeship.parties())?;
    let from = status_of(&row);
    let to = transition(from, Action::Review(decision)).map_err(conflict)?;
    let summary = serde_json::json!({ "decision": decision.as_str(), "feedback": feedback });
    let step = Transition {
        from,
        to,
        withdrawn_reason: None,
        review: Some((decision, &feedback)),
        action: "evidence.reviewed",
        summary,
    };
    apply_transition(&mut conn, &auth, &apprenticeship, &row, step).await
}
