//! `POST /api/v1/apprenticeships/{id}/reviews` (provider staff record a review, with a
//! snapshot of coverage and OTJ time) and `GET` of the same (the list).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use utoipa::IntoParams;
use uuid::Uuid;

use super::{ProgressReviewResponse, ReviewInput, build, organisations, responses, validate};
use crate::api::apprenticeships::find_visible;
use crate::api::audit::entry;
use crate::api::db_conn;
use crate::api::extract::{Json, Query};
use crate::api::idempotency::IdempotencyKey;
use crate::api::otj::summary_of;
use crate::api::pagination::{PageParams, Paginated};
use crate::auth::Authenticated;
use crate::db::apprenticeships::{self, Apprenticeship};
use crate::db::reviews as db_reviews;
use crate::db::{audit, caseload};
use crate::domain::coverage::{Totals, percent};
use crate::domain::policy;
use crate::domain::review::{DutySnapshot, ReviewParty, ReviewSnapshot};
use crate::error::{AppError, AppResult};
use crate::notifications;
use crate::state::AppState;

/// Coverage totals, duty percentages and the OTJ summary of an apprenticeship now, from its
/// kept figures.
pub async fn snapshot(
    conn: &AsyncPgConnection,
    apprenticeship: &Apprenticeship,
) -> AppResult<ReviewSnapshot> {
    let (duties, otj) = futures_util::try_join!(
        async {
            caseload::duty_progress(conn, &[apprenticeship.id])
                .await
                .map_err(AppError::from)
        },
        summary_of(conn, apprenticeship),
    )?;
    let a = apprenticeship;
    Ok(ReviewSnapshot {
        totals: Totals {
            ksbs: a.ksbs_total,
            not_started: a.ksbs_total - a.ksbs_in_progress - a.ksbs_evidenced - a.ksbs_signed_off,
            in_progress: a.ksbs_in_progress,
            evidenced: a.ksbs_evidenced,
            signed_off: a.ksbs_signed_off,
        },
        duties: duties
            .into_iter()
            .map(|d| DutySnapshot {
                percent_evidenced: percent(d.evidenced + d.signed_off, d.ksbs),
                percent_signed_off: percent(d.signed_off, d.ksbs),
                code: d.code,
            })
            .collect(),
        otj,
    })
}

/// Record a progress review (a draft until all three parties sign). Staff of the
/// apprenticeship's provider only. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    request_body = ReviewInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "retry safely: same key and body give the first response")),
    responses(
        (status = 201, body = ProgressReviewResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "an invalid field or an NHS number in the text", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/{id}/reviews")]
pub async fn create_review(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    idempotency: IdempotencyKey,
    body: Json<ReviewInput>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let apprenticeship = find_visible(&mut conn, &auth.actor, *id).await?;
    policy::write_review(&auth.actor, &apprenticeship.parties())?;
    let fields = validate(&body, &apprenticeship)?;
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body).await? {
                return Ok::<_, AppError>(replay);
            }
            apprenticeships::lock(conn, apprenticeship.id).await?;
            // The kept figures as they are under the lock.
            let current = apprenticeships::find(conn, apprenticeship.id)
                .await?
                .ok_or_else(|| AppError::not_found("apprenticeship"))?;
            let taken = snapshot(conn, &current).await?;
            let snapshot_json = serde_json::to_value(&taken).map_err(AppError::internal)?;
            let row =
                db_reviews::insert(conn, current.id, &fields, snapshot_json, auth.actor.user_id)
                    .await?;
            let figures = db_reviews::refresh(conn, current.id, current.start_date).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "review.created",
                    "progress_review",
                    row.id,
                    organisations(&current),
                    serde_json::json!({
                        "apprenticeship_id": current.id,
                        "held_on": row.held_on,
                        "next_review_due_by": figures.next_review_due_by,
                    }),
                ),
            )
            .await?;
            notifications::review_to_sign(
                conn,
                auth.actor.user_id,
                &current,
                row.id,
                row.held_on,
                ReviewParty::ALL,
            )
            .await?;
            let dto = build(row, Vec::new())?;
            idempotency
                .store(conn, &auth, StatusCode::CREATED, &dto)
                .await
        })
        .await?;
    Ok(created.into_response())
}

#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewListQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// Items to skip, 0–1,000,000 (default 0).
    #[param(minimum = 0, maximum = 1_000_000, default = 0)]
    pub offset: Option<i64>,
}

/// The reviews of an apprenticeship, latest held first, with their signatures.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(ReviewListQuery),
    responses(
        (status = 200, body = Paginated<ProgressReviewResponse>),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}/reviews")]
pub async fn list_reviews(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    query: Query<ReviewListQuery>,
) -> AppResult<web::Json<Paginated<ProgressReviewResponse>>> {
    let page = PageParams {
        limit: query.0.limit,
        offset: query.0.offset,
    }
    .page()?;
    let mut conn = db_conn(&state).await?;
    let apprenticeship = find_visible(&mut conn, &auth.actor, *id).await?;
    let (rows, total) =
        db_reviews::list(&mut conn, apprenticeship.id, page.limit, page.offset).await?;
    let items = responses(&mut conn, rows).await?;
    Ok(web::Json(Paginated::new(items, total, page)))
}
