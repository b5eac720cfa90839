//! `POST /api/v1/apprenticeships/{id}/breaks`: a break in learning starts (provider staff).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{BreakResponse, organisations, periods, refused, response};
use crate::api::access::visible_apprenticeship;
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::idempotency::IdempotencyKey;
use crate::api::patient_data::required_reason;
use crate::db::breaks::{self as db_breaks, LearningBreak};
use crate::db::{audit, reviews};
use crate::domain::breaks::{self, BreakPeriod};
use crate::domain::calendar;
use crate::domain::policy;
use crate::error::{AppError, AppResult, unique_violation};
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StartBreakRequest {
    /// The first day of the break: not before the start, not in the future.
    pub starts_on: NaiveDate,
    /// Why (1–2,000 characters, no patient data).
    pub reason: String,
}

/// Start a break in learning. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "breaks",
    security(("bearer" = [])),
    request_body = StartBreakRequest,
    params(crate::api::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = BreakResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "a break already open, an overlap, or a bad date or reason", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/{id}/breaks")]
pub async fn start_break(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    idempotency: IdempotencyKey,
    body: Json<StartBreakRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    policy::manage_breaks(&auth.actor, &apprenticeship.parties())?;
    let reason = required_reason(&body.reason, "say why learning is paused")?;
    let today = calendar::today();
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body).await? {
                return Ok::<_, AppError>(replay);
            }
            crate::api::gateway::ensure_active(conn, apprenticeship.id).await?;
            let existing: Vec<BreakPeriod> = periods(conn, apprenticeship.id)
                .await?
                .iter()
                .map(LearningBreak::period)
                .collect();
            breaks::check_start(&existing, body.starts_on, apprenticeship.start_date, today)
                .map_err(refused("starts_on"))?;
            let row = db_breaks::insert(
                conn,
                apprenticeship.id,
                body.starts_on,
                &reason,
                auth.actor.user_id,
            )
            .await
            .map_err(|e| match unique_violation(&e) {
                Some("learning_breaks_one_open_key") => {
                    AppError::invalid("starts_on", "a break is already open; end it first")
                }
                _ => e.into(),
            })?;
            reviews::refresh(conn, apprenticeship.id, apprenticeship.start_date).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "break.started",
                    "learning_break",
                    row.id,
                    organisations(&apprenticeship),
                    serde_json::json!({
                        "apprenticeship_id": apprenticeship.id,
                        "starts_on": row.starts_on,
                        "reason": row.reason,
                    }),
                ),
            )
            .await?;
            idempotency
                .store(conn, &auth, StatusCode::CREATED, &response(row))
                .await
        })
        .await?;
    Ok(created.into_response())
}
