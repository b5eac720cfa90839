//! `GET /api/v1/users/{id}`: one account in the caller's scope.

use actix_web::{get, web};
use uuid::Uuid;

use super::UserResponse;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::db::users;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// One user in the caller's scope.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, body = UserResponse),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<UserResponse>> {
    let mut conn = db_conn(&state).await?;
    let user = users::visible(&mut conn, &auth.actor, *id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    Ok(web::Json(user.into()))
}
