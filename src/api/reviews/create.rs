//! `POST /api/v1/apprenticeships/{id}/reviews`: provider staff record a progress review, with a
//! snapshot of coverage and OTJ time.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::{ProgressReviewResponse, ReviewInput, build, organisations, validate};
use crate::api::access::visible_apprenticeship;
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::idempotency::IdempotencyKey;
use crate::api::otj::summary_of;
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
    params(crate::api::idempotency::IdempotencyHeader),
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
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    policy::write_review(&auth.actor, &apprenticeship.parties())?;
    let fields = validate(&body, &apprenticeship)?;
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body).await? {
                return Ok::<_, AppError>(replay);
            }
            crate::api::gateway::ensure_active(conn, apprenticeship.id).await?;
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
