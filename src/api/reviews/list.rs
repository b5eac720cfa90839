//! `GET /api/v1/apprenticeships/{id}/reviews`: an apprenticeship's progress reviews, newest first.

use actix_web::{get, web};
use utoipa::IntoParams;
use uuid::Uuid;

use super::{ProgressReviewResponse, responses};
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::db::reviews as db_reviews;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewListQuery {}

/// The reviews of an apprenticeship, latest held first, with their signatures.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(ReviewListQuery, PageParams),
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
    _query: Query<ReviewListQuery>,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<ProgressReviewResponse>>> {
    let page = page_params.0.page()?;
    let mut conn = read_conn(&state, &auth).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    let (rows, total) =
        db_reviews::list(&mut conn, apprenticeship.id, page.limit, page.offset).await?;
    let items = responses(&mut conn, rows).await?;
    Ok(web::Json(Paginated::new(items, total, page)))
}
