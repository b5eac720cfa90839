//! Breaks in learning: `GET/POST /api/v1/apprenticeships/{id}/breaks` and
//! `POST /api/v1/apprenticeships/{id}/breaks/{break_id}/end`, by staff of the apprenticeship's
//! provider. While a break is open the apprenticeship is `on_break`, no review falls due and the
//! expected OTJ time stops growing; when it ends, the review deadline and the expected end date
//! move later by its length. The rules are `domain::breaks`, checked under the
//! apprenticeship's row lock.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::apprenticeships::find_visible;
use super::audit::entry;
use super::db_conn;
use super::extract::Json;
use super::idempotency::IdempotencyKey;
use super::patient_data::required_reason;
use crate::auth::Authenticated;
use crate::db::apprenticeships::{self, Apprenticeship};
use crate::db::breaks::{self as db_breaks, LearningBreak};
use crate::db::{audit, reviews};
use crate::domain::breaks::{self, BreakError, BreakPeriod};
use crate::domain::policy;
use crate::error::{AppError, AppResult, unique_violation};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct BreakResponse {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub starts_on: NaiveDate,
    /// The last day of the break; `null` while it is open.
    pub ends_on: Option<NaiveDate>,
    /// Days of a closed break, both ends included.
    pub length_days: Option<i64>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

fn response(b: LearningBreak) -> BreakResponse {
    BreakResponse {
        length_days: b.period().length_days(),
        id: b.id,
        apprenticeship_id: b.apprenticeship_id,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        reason: b.reason,
        created_at: b.created_at,
        ended_at: b.ended_at,
    }
}

fn refused(e: BreakError) -> AppError {
    AppError::invalid(e.field(), e.to_string())
}

fn organisations(a: &Apprenticeship) -> Vec<Uuid> {
    vec![a.employer_id, a.provider_id]
}

async fn periods(conn: &AsyncPgConnection, id: Uuid) -> AppResult<Vec<LearningBreak>> {
    Ok(db_breaks::of_apprenticeship(conn, id).await?)
}

/// Every break of an apprenticeship, oldest first.
#[utoipa::path(
    tag = "breaks",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<BreakResponse>),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}/breaks")]
pub async fn list_breaks(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<Vec<BreakResponse>>> {
    let mut conn = db_conn(&state).await?;
    let apprenticeship = find_visible(&mut conn, &auth.actor, *id).await?;
    let rows = periods(&conn, apprenticeship.id).await?;
    Ok(web::Json(rows.into_iter().map(response).collect()))
}

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
    params(("Idempotency-Key" = Option<String>, Header, description = "retry safely: same key and body give the first response")),
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
    let apprenticeship = find_visible(&mut conn, &auth.actor, *id).await?;
    policy::manage_breaks(&auth.actor, &apprenticeship.parties())?;
    let reason = required_reason(&body.reason, "say why learning is paused")?;
    let today = Utc::now().date_naive();
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body).await? {
                return Ok::<_, AppError>(replay);
            }
            apprenticeships::lock(conn, apprenticeship.id).await?;
            let existing: Vec<BreakPeriod> = periods(conn, apprenticeship.id)
                .await?
                .iter()
                .map(LearningBreak::period)
                .collect();
            breaks::check_start(&existing, body.starts_on, apprenticeship.start_date, today)
                .map_err(refused)?;
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
    let apprenticeship = find_visible(&mut conn, &auth.actor, id).await?;
    policy::manage_breaks(&auth.actor, &apprenticeship.parties())?;
    let today = Utc::now().date_naive();
    let ended = conn
        .transaction(async |conn| {
            apprenticeships::lock(conn, apprenticeship.id).await?;
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
            breaks::check_end(&others, &this, body.0.ends_on, today).map_err(refused)?;
            let row = db_breaks::end(conn, break_id, body.0.ends_on, auth.actor.user_id)
                .await?
                .ok_or_else(|| refused(BreakError::AlreadyEnded))?;
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
