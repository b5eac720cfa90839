//! `GET /api/v1/apprenticeships`: the apprenticeships in the caller's scope, newest first.

use actix_web::{get, web};

use super::response::{ApprenticeshipResponse, PartyNames};
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::db::apprenticeships::{self};
use crate::error::AppResult;
use crate::state::AppState;

/// Apprenticeships in the caller's scope, newest first.
#[utoipa::path(
    tag = "apprenticeships",
    security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = Paginated<ApprenticeshipResponse>))
)]
#[get("/apprenticeships")]
pub async fn list_apprenticeships(
    state: web::Data<AppState>,
    auth: Authenticated,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<ApprenticeshipResponse>>> {
    let page = page_params.0.page()?;
    let mut conn = db_conn(&state).await?;
    let (rows, total) = apprenticeships::list(
        &mut conn,
        auth.actor.apprenticeship_scope(),
        page.limit,
        page.offset,
    )
    .await?;
    let names = PartyNames::load(&mut conn, &rows).await?;
    let items = rows.into_iter().map(|a| names.response(a)).collect();
    Ok(web::Json(Paginated::new(items, total, page)))
}
