//! `PATCH /api/v1/reviews/{review_id}`: editing a review (with `If-Match`); after the first
//! signature the content is frozen (409 saying who signed) until staff reopen the review.

use actix_web::{HttpRequest, HttpResponse, patch, web};
use diesel_async::AsyncConnection;
use uuid::Uuid;

use super::{
    ProgressReviewResponse, ReviewInput, etag_header, facts, json_columns, load_visible,
    organisations, response, validate,
};
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::if_match::expected_versions;
use crate::db::audit;
use crate::db::reviews as db_reviews;
use crate::domain::policy;
use crate::domain::review::{self, ReviewStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

fn stale() -> AppError {
    AppError::PreconditionFailed(
        "This review has changed since you loaded it. Reload it, then make your edit again.".into(),
    )
}

/// Rewrite a review's fields (the whole record; the snapshot stays as taken). Staff of the
/// apprenticeship's provider, before anyone has signed.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    request_body = ReviewInput,
    params(("If-Match" = String, Header, description = "the ETag from GET")),
    responses(
        (status = 200, body = ProgressReviewResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "signed: frozen until reopened", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "stale ETag", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "no If-Match", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/reviews/{review_id}")]
pub async fn update_review(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authenticated,
    review_id: web::Path<Uuid>,
    body: Json<ReviewInput>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *review_id).await?;
    policy::write_review(&auth.actor, &apprenticeship.parties())?;
    let expected = expected_versions(&req)?;
    let fields = validate(&body, &apprenticeship)?;
    let updated = conn
        .transaction(async |conn| {
            crate::api::gateway::ensure_active(conn, apprenticeship.id).await?;
            // Signatures are added under the same lock, so none can slip in after this check.
            let signatures = db_reviews::signatures(conn, &[row.id])
                .await?
                .remove(&row.id)
                .unwrap_or_default();
            review::check_edit(&facts(&signatures)?)
                .map_err(|e| AppError::conflict("review_frozen", e.to_string()))?;
            if !expected.contains(&row.version) {
                return Err(stale());
            }
            let updated = db_reviews::update(conn, row.id, row.version, &fields)
                .await?
                .ok_or_else(stale)?;
            db_reviews::set_status(conn, row.id, ReviewStatus::Draft).await?;
            let figures =
                db_reviews::refresh(conn, apprenticeship.id, apprenticeship.start_date).await?;
            let before = json_columns(&row)?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "review.updated",
                    "progress_review",
                    row.id,
                    organisations(&apprenticeship),
                    serde_json::json!({
                        "version": updated.version,
                        "held_on": { "old": row.held_on, "new": updated.held_on },
                        "next_actions": {
                            "old": before.next_actions.len(), "new": body.next_actions.len(),
                        },
                        "next_review_due_by": figures.next_review_due_by,
                    }),
                ),
            )
            .await?;
            Ok::<_, AppError>(updated)
        })
        .await?;
    let tag = etag_header(&updated);
    let dto = response(&mut conn, updated).await?;
    Ok(HttpResponse::Ok().insert_header(tag).json(dto))
}
