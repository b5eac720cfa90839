//! `POST /api/v1/evidence/{id}/withdraw`: submitted or reviewed evidence leaves the count, with a
//! reason, and stays in the record.

use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::response::EvidenceResponse;
use super::transition::{Transition, apply_transition, conflict};
use super::{require_apprentice, status_of};
use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::patient_data::required_reason;
use crate::domain::evidence::{Action, transition};
use crate::error::AppResult;
use crate::state::AppState;

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
    let (row, apprenticeship) = visible_evidence(&mut conn, &auth.actor, *id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    let from = status_of(&row);
    let to = transition(from, Action::Withdraw).map_err(conflict)?;
    let summary = serde_json::json!({ "from": from.as_str(), "reason": reason });
    let step = Transition {
        from,
        to,
        withdrawn_reason: Some(&reason),
        review: None,
        action: "evidence.withdrawn",
        summary,
    };
    apply_transition(&mut conn, &auth, &apprenticeship, &row, step).await
}
