//! `GET /api/v1/otj/{entry_id}`: one off-the-job entry with its `ETag`.

use actix_web::{HttpResponse, get, web};
use uuid::Uuid;

use super::{OtjEntryResponse, etag_header, load_visible, response};
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::db::otj as db_otj;
use crate::error::AppResult;
use crate::state::AppState;

/// One off-the-job entry, with its `ETag`.
#[utoipa::path(
    tag = "otj",
    security(("bearer" = [])),
    responses(
        (status = 200, body = OtjEntryResponse, headers(("ETag" = String, description = "the version to send in If-Match"))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/otj/{entry_id}")]
pub async fn get_otj(
    state: web::Data<AppState>,
    auth: Authenticated,
    entry_id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, _) = load_visible(&mut conn, &auth.actor, *entry_id).await?;
    let codes = db_otj::ksb_codes(&mut conn, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let tag = etag_header(&row);
    Ok(HttpResponse::Ok()
        .insert_header(tag)
        .json(response(row, codes)?))
}
