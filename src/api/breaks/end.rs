//! `POST /api/v1/apprenticeships/{id}/breaks/{break_id}/end`: the apprentice returns.

use actix_web::{post, web};
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
use crate::db::apprenticeships::{self};
use crate::db::breaks::{self as db_breaks, LearningBreak};
use crate::db::{audit, reviews};
use crate::domain::breaks::{self, BreakError, BreakPeriod};
use crate::domain::calendar;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EndBreakRequest {
    /// The last day of the break: not before its first, not in the future.
    pub ends_on: NaiveDate,
}

/// End an open break: the review deadline and the expected end date move later by its length.
#[utoipa::path(
    tag = "breaks",
    security(("bearer" = [])),
    request_body = EndBreakRequest,
    responses(
        (status = 200, body = BreakResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "an end before the start or in the future, an overlap, or already ended", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/{id}/breaks/{break_id}/end")]
pub async fn end_break(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<EndBreakRequest>,
) -> AppResult<web::Json<BreakResponse>> {
    let (id, break_id) = path.into_inner();
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, id).await?;
    policy::manage_breaks(&auth.actor, &apprenticeship.parties())?;
    let today = calendar::today();
    let ended = conn
        .transaction(async |conn| {
            crate::api::gateway::ensure_active(conn, apprenticeship.id).await?;
            let all = periods(conn, apprenticeship.id).await?;
            let this = all
                .iter()
                .find(|b| b.id == break_id)
                .ok_or_else(|| AppError::not_found("break in learning"))?
                .period();
            let others: Vec<BreakPeriod> = all
                .iter()
                .filter(|b| b.id != break_id)
                .map(LearningBreak::period)
                .collect();
            breaks::check_end(&others, &this, body.0.ends_on, today).map_err(refused("ends_on"))?;
            let row = db_breaks::end(conn, break_id, body.0.ends_on, auth.actor.user_id)
                .await?
                .ok_or_else(|| refused("ends_on")(BreakError::AlreadyEnded))?;
            // Re-read under the lock: the end date may have moved since the first read.
            let current = apprenticeships::find(conn, apprenticeship.id)
                .await?
                .ok_or_else(|| AppError::not_found("apprenticeship"))?;
            let length = row.period().length_days().unwrap_or(0);
            let moved_end = breaks::later_by(current.expected_end_date, length);
            apprenticeships::move_expected_end(conn, current.id, moved_end).await?;
            let figures = reviews::refresh(conn, current.id, current.start_date).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "break.ended",
                    "learning_break",
                    row.id,
                    organisations(&current),
                    serde_json::json!({
                        "apprenticeship_id": current.id,
                        "starts_on": row.starts_on,
                        "ends_on": row.ends_on,
                        "length_days": length,
                        "expected_end_date": { "old": current.expected_end_date, "new": moved_end },
                        "next_review_due_by": figures.next_review_due_by,
                    }),
                ),
            )
            .await?;
            Ok::<_, AppError>(row)
        })
        .await?;
    Ok(web::Json(response(ended)))
}
