//! `GET /api/v1/apprenticeships/{id}/signoffs`: every sign-off of an apprenticeship, revoked ones
//! included.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{SignoffResponse, responses};
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::db::signoffs;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct SignoffList {
    pub items: Vec<SignoffResponse>,
}

/// Every sign-off of the apprenticeship, revoked ones too, newest first.
#[utoipa::path(
    tag = "signoffs",
    security(("bearer" = [])),
    responses((status = 200, body = SignoffList))
)]
#[get("/apprenticeships/{id}/signoffs")]
pub async fn list_signoffs(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<SignoffList>> {
    let mut conn = read_conn(&state, &auth).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    let rows = signoffs::list(&mut conn, apprenticeship.id).await?;
    Ok(web::Json(SignoffList {
        items: responses(&mut conn, rows).await?,
    }))
}
