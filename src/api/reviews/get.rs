//! `GET /api/v1/reviews/{review_id}`: one progress review with its signatures and `ETag`.

use actix_web::{HttpResponse, get, web};
use uuid::Uuid;

use super::{ProgressReviewResponse, etag_header, load_visible, response};
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::error::AppResult;
use crate::state::AppState;

/// One review with its signatures and `ETag`.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    responses(
        (status = 200, body = ProgressReviewResponse, headers(("ETag" = String, description = "the version to send in If-Match"))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reviews/{review_id}")]
pub async fn get_review(
    state: web::Data<AppState>,
    auth: Authenticated,
    review_id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, _) = load_visible(&mut conn, &auth.actor, *review_id).await?;
    let tag = etag_header(&row);
    let dto = response(&mut conn, row).await?;
    Ok(HttpResponse::Ok().insert_header(tag).json(dto))
}
