//! `POST /api/v1/otj/{entry_id}/review`: the provider approves or rejects a pending entry.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{OtjEntryResponse, etag_header, load_visible, organisations, response};
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::gateway::ensure_open;
use crate::api::patient_data::required_reason;
use crate::db::audit;
use crate::db::otj as db_otj;
use crate::domain::otj::{self, OtjAction, OtjDecision, OtjStatus};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::notifications;
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReviewOtjRequest {
    pub decision: OtjDecision,
    /// Required to reject: what the apprentice should change.
    pub reason: Option<String>,
}

fn not_reviewable(detail: &str) -> AppError {
    AppError::conflict("otj_not_reviewable", detail)
}

/// Approve (it counts towards the plan) or reject (with a reason) a pending entry. Staff of
/// the apprenticeship's provider only.
#[utoipa::path(
    tag = "otj",
    security(("bearer" = [])),
    request_body = ReviewOtjRequest,
    responses(
        (status = 200, body = OtjEntryResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "not pending", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "a rejection without a reason", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/otj/{entry_id}/review")]
pub async fn review_otj(
    state: web::Data<AppState>,
    auth: Authenticated,
    entry_id: web::Path<Uuid>,
    body: Json<ReviewOtjRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *entry_id).await?;
    policy::review_otj(&auth.actor, &apprenticeship.parties())?;
    let reason = match body.decision {
        OtjDecision::Rejected => Some(required_reason(
            body.reason.as_deref().unwrap_or_default(),
            "say why the entry is rejected, so the apprentice can correct it",
        )?),
        OtjDecision::Approved => None,
    };
    let status = row.status;
    let next = otj::transition(status, OtjAction::Review(body.decision))
        .map_err(|e| not_reviewable(e.0))?;
    let (updated, codes) = conn
        .transaction(async |conn| {
            // Locks the apprenticeship row, as the daily cap needs, and refuses at gateway.
            ensure_open(conn, apprenticeship.id).await?;
            let updated = db_otj::review(
                conn,
                row.id,
                next.as_str(),
                auth.actor.user_id,
                reason.as_deref(),
            )
            .await?
            .ok_or_else(|| not_reviewable("This entry was reviewed or changed meanwhile."))?;
            let delta = otj::delta(
                Some((OtjStatus::Pending, row.minutes)),
                Some((next, updated.minutes)),
            );
            db_otj::move_kept(conn, apprenticeship.id, delta).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "otj.reviewed",
                    "otj_entry",
                    row.id,
                    organisations(&apprenticeship),
                    serde_json::json!({
                        "decision": body.decision.as_str(),
                        "minutes": updated.minutes,
                        "reason": reason,
                    }),
                ),
            )
            .await?;
            notifications::otj_reviewed(conn, auth.actor.user_id, &apprenticeship, &updated)
                .await?;
            let codes = db_otj::ksb_codes(conn, &[row.id]).await?.remove(&row.id);
            Ok::<_, AppError>((updated, codes.unwrap_or_default()))
        })
        .await?;
    let tag = etag_header(&updated);
    Ok(HttpResponse::Ok()
        .insert_header(tag)
        .json(response(updated, codes)?))
}
