//! `GET /api/v1/apprenticeships/{id}/gateway`: readiness, declarations, English and maths.

use actix_web::{get, web};
use uuid::Uuid;

use super::{GatewayResponse, readiness, response};
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::error::AppResult;
use crate::state::AppState;

/// Whether the apprentice is ready for end-point assessment: each check with what is missing in
/// words, who has declared and who declares next. Everyone who can see the apprenticeship.
#[utoipa::path(
    tag = "gateway",
    security(("bearer" = [])),
    responses(
        (status = 200, body = GatewayResponse),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}/gateway")]
pub async fn get_gateway(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<GatewayResponse>> {
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    let computed = readiness(&state, &mut conn, &apprenticeship).await?;
    Ok(web::Json(
        response(&mut conn, &apprenticeship, computed).await?,
    ))
}
