//! `GET /api/v1/apprenticeships/{id}`: one apprenticeship with its `ETag`.

use actix_web::{HttpResponse, get, web};
use uuid::Uuid;

use super::response::{ApprenticeshipResponse, PartyNames, etag_header};
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::error::AppResult;
use crate::state::AppState;

/// One apprenticeship in the caller's scope, with its `ETag`.
#[utoipa::path(
    tag = "apprenticeships",
    security(("bearer" = [])),
    responses(
        (status = 200, body = ApprenticeshipResponse, headers(("ETag" = String, description = "the version to send in If-Match"))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}")]
pub async fn get_apprenticeship(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let found = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    let tag = etag_header(&found);
    let names = PartyNames::load(&mut conn, std::slice::from_ref(&found)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(tag)
        .json(names.response(found)))
}
