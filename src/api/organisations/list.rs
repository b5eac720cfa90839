//! `GET /api/v1/organisations`: organisations by name, within what the caller may see, searchable
//! by name.

use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::OrganisationResponse;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::api::search::search_term;
use crate::db::organisations;
use crate::domain::identity::{OrganisationKind, Role};
use crate::domain::policy;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    pub kind: Option<OrganisationKind>,
    /// Only organisations whose name contains this (any case; 1–200 characters).
    pub q: Option<String>,
}

/// Organisations by name. Admins see all; provider staff see employers (to enrol apprentices
/// with them) and their own organisation; others are refused.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(OrganisationQuery, PageParams),
    responses(
        (status = 200, body = Paginated<OrganisationResponse>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<OrganisationQuery>,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<OrganisationResponse>>> {
    let query = query.0;
    let page = page_params.0.page()?;
    let mut conn = db_conn(&state).await?;
    policy::list_organisations(&auth.actor)?;
    let provider_view = match auth.actor.role {
        Role::Admin => None,
        _ => Some(auth.actor.organisation_id.unwrap_or_default()),
    };
    let filter = organisations::OrganisationFilter {
        kind: query.kind,
        provider_view,
        search: search_term(query.q.as_deref())?,
    };
    let (items, total) = organisations::list(&mut conn, &filter, page.limit, page.offset).await?;
    Ok(web::Json(Paginated::new(
        items.into_iter().map(Into::into).collect(),
        total,
        page,
    )))
}
