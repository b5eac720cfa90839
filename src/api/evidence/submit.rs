//! `POST /api/v1/evidence/{id}/submit`: a draft, or evidence sent back, goes for review.

use actix_web::{HttpResponse, post, web};
use uuid::Uuid;

use super::response::EvidenceResponse;
use super::transition::{Transition, apply_transition, conflict};
use super::{require_apprentice, status_of};
use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::domain::evidence::{Action, transition};
use crate::error::AppResult;
use crate::state::AppState;

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
    let (row, apprenticeship) = visible_evidence(&mut conn, &auth.actor, *id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    let from = status_of(&row);
    let to = transition(from, Action::Submit).map_err(conflict)?;
    let summary = serde_json::json!({ "from": from.as_str(), "to": to.as_str() });
    let step = Transition {
        from,
        to,
        withdrawn_reason: None,
        review: None,
        action: "evidence.submitted",
        summary,
    };
    apply_transition(&mut conn, &auth, &apprenticeship, &row, step).await
}
