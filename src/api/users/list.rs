//! `GET /api/v1/users`: the accounts in the caller's scope, searchable by name or e-mail.

use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::UserResponse;
use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::api::search::search_term;
use crate::db::users;
use crate::domain::identity::Role;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    pub role: Option<Role>,
    pub organisation_id: Option<Uuid>,
    /// Only people whose name or e-mail address contains this (any case; 1–200 characters).
    pub q: Option<String>,
}

/// Users in the caller's scope, oldest first.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(UserQuery, PageParams),
    responses((status = 200, body = Paginated<UserResponse>))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<UserQuery>,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<UserResponse>>> {
    let query = query.0;
    let page = page_params.0.page()?;
    let filter = users::UserFilter {
        role: query.role,
        organisation_id: query.organisation_id,
        search: search_term(query.q.as_deref())?,
    };
    let mut conn = read_conn(&state, &auth).await?;
    let (items, total) =
        users::list(&mut conn, &auth.actor, &filter, page.limit, page.offset).await?;
    Ok(web::Json(Paginated::new(
        items.into_iter().map(Into::into).collect(),
        total,
        page,
    )))
}
