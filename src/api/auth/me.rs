//! `GET /api/v1/me`: the signed-in caller's own account.

use actix_web::{get, web};

use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::users::UserResponse;
use crate::db::users;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The signed-in user.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = UserResponse),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> AppResult<web::Json<UserResponse>> {
    let mut conn = db_conn(&state).await?;
    let user = users::find(&mut conn, auth.actor.user_id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    Ok(web::Json(user.into()))
}
