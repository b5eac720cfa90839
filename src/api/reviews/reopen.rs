//! `POST /api/v1/reviews/{review_id}/reopen`: provider staff void the signatures (keeping them)
//! and the review is a draft again.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ProgressReviewResponse, conflict, facts, load_visible, organisations, response};
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::patient_data::required_reason;
use crate::db::audit;
use crate::db::reviews as db_reviews;
use crate::domain::policy;
use crate::domain::review::{self, ReviewParty, ReviewStatus};
use crate::error::{AppError, AppResult};
use crate::notifications;
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReopenRequest {
    /// Why the signed record must change (1–2,000 characters).
    pub reason: String,
}

/// Void every signature (they are kept, marked void with the reason) and return the review to
/// draft, so it can be corrected and signed again. Staff of the apprenticeship's provider.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    request_body = ReopenRequest,
    responses(
        (status = 200, body = ProgressReviewResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "nothing signed to reopen", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "no reason", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reviews/{review_id}/reopen")]
pub async fn reopen_review(
    state: web::Data<AppState>,
    auth: Authenticated,
    review_id: web::Path<Uuid>,
    body: Json<ReopenRequest>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *review_id).await?;
    policy::write_review(&auth.actor, &apprenticeship.parties())?;
    let reason = required_reason(&body.0.reason, "say why the signed review must change")?;
    conn.transaction(async |conn| {
        crate::api::gateway::ensure_active(conn, apprenticeship.id).await?;
        let signatures = db_reviews::signatures(conn, &[row.id])
            .await?
            .remove(&row.id)
            .unwrap_or_default();
        review::check_reopen(&facts(&signatures)?).map_err(conflict)?;
        let voided = db_reviews::void_signatures(conn, row.id, auth.actor.user_id, &reason).await?;
        db_reviews::set_status(conn, row.id, ReviewStatus::Draft).await?;
        db_reviews::refresh(conn, apprenticeship.id, apprenticeship.start_date).await?;
        audit::record(
            conn,
            entry(
                &auth,
                "review.reopened",
                "progress_review",
                row.id,
                organisations(&apprenticeship),
                serde_json::json!({ "voided_signatures": voided, "reason": reason }),
            ),
        )
        .await?;
        notifications::review_to_sign(
            conn,
            auth.actor.user_id,
            &apprenticeship,
            row.id,
            row.held_on,
            ReviewParty::ALL,
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    let current = db_reviews::find(&mut conn, row.id)
        .await?
        .ok_or_else(|| AppError::not_found("review"))?;
    let dto = response(&mut conn, current).await?;
    Ok(HttpResponse::Ok().json(dto))
}
