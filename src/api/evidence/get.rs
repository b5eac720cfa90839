//! `GET /api/v1/evidence/{id}`: one piece of evidence with its `ETag`.

use actix_web::{HttpResponse, get, web};
use uuid::Uuid;

use super::response::{EvidenceResponse, etag_header, response};
use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::error::AppResult;
use crate::state::AppState;

/// One piece of evidence, with its `ETag`.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses(
        (status = 200, body = EvidenceResponse, headers(("ETag" = String, description = "the version to send in If-Match"))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evidence/{id}")]
pub async fn get_evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, _) = visible_evidence(&mut conn, &auth.actor, *id).await?;
    let tag = etag_header(&row);
    let dto = response(&mut conn, row).await?;
    Ok(HttpResponse::Ok().insert_header(tag).json(dto))
}
