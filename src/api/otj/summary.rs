//! `GET /api/v1/apprenticeships/{id}/otj/summary`: OTJ time against the plan, from the kept
//! figures (never a sum over the entries).

use actix_web::{get, web};
use uuid::Uuid;

use super::summary_of;
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::domain::otj::OtjSummary;
use crate::error::AppResult;
use crate::state::AppState;

/// Planned, approved, pending and expected-by-now minutes, the floor, and the status
/// (`no_plan`, `on_track`, `behind` below 90% of expected, `complete`).
#[utoipa::path(
    tag = "otj",
    security(("bearer" = [])),
    responses(
        (status = 200, body = OtjSummary),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}/otj/summary")]
pub async fn otj_summary(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<OtjSummary>> {
    let mut conn = read_conn(&state, &auth).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    Ok(web::Json(summary_of(&conn, &apprenticeship).await?))
}
