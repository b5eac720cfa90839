//! `GET /api/v1/apprenticeships`: the apprenticeships in the caller's scope, newest first,
//! searchable by the apprentice's name or e-mail and the employer's or provider's name.

use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::response::{ApprenticeshipResponse, PartyNames};
use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::api::search::search_term;
use crate::db::apprenticeships::{self};
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApprenticeshipQuery {
    /// Only apprenticeships whose apprentice's name or e-mail address, employer's name or
    /// provider's name contains this (any case; 1–200 characters).
    pub q: Option<String>,
}

/// Apprenticeships in the caller's scope, newest first.
#[utoipa::path(
    tag = "apprenticeships",
    security(("bearer" = [])),
    params(ApprenticeshipQuery, PageParams),
    responses((status = 200, body = Paginated<ApprenticeshipResponse>))
)]
#[get("/apprenticeships")]
pub async fn list_apprenticeships(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<ApprenticeshipQuery>,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<ApprenticeshipResponse>>> {
    let page = page_params.0.page()?;
    let search = search_term(query.0.q.as_deref())?;
    let mut conn = read_conn(&state, &auth).await?;
    let (rows, total) = apprenticeships::list(
        &mut conn,
        auth.actor.apprenticeship_scope(),
        search.as_deref(),
        page.limit,
        page.offset,
    )
    .await?;
    let names = PartyNames::load(&mut conn, &rows).await?;
    let items = rows.into_iter().map(|a| names.response(a)).collect();
    Ok(web::Json(Paginated::new(items, total, page)))
}
