//! `GET /api/v1/apprenticeships/{id}/breaks`: an apprenticeship's breaks in learning.

use actix_web::{get, web};
use uuid::Uuid;

use super::{BreakResponse, periods, response};
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::error::AppResult;
use crate::state::AppState;

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
    let mut conn = read_conn(&state, &auth).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    let rows = periods(&conn, apprenticeship.id).await?;
    Ok(web::Json(rows.into_iter().map(response).collect()))
}
