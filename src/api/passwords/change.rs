//! `POST /api/v1/me/password`: changing your own password (signs out your other sessions).

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;

use super::new_password;
use crate::api::audit_entry::entry;
use crate::api::auth::client_addr;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::sign_in_throttle;
use crate::auth::password::{self, Verified};
use crate::db::audit::{self};
use crate::db::{sessions, users};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// 12 to 256 characters.
    pub new_password: String,
}

/// Change your own password. Every other session of yours ends; this one stays signed in.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "changed; every other session ended"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "the current password is not right, or the new one is too short or too long", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many wrong current passwords; see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<ChangePasswordRequest>,
) -> AppResult<HttpResponse> {
    let ChangePasswordRequest {
        current_password,
        new_password: new,
    } = body.0;
    new_password(&new, "new_password")?;
    let policy = state.settings.login_throttle;
    let mut conn = db_conn(&state).await?;
    let user = users::find(&mut conn, auth.actor.user_id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    let (_, hash) = users::find_with_hash_by_email(&mut conn, &user.email)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    // Guessing the current password here is guessing a sign-in: the same throttle counts it.
    let attempt =
        sign_in_throttle::admit(&mut conn, policy, &user.email, &client_addr(&req)).await?;
    drop(conn);
    let params = state.settings.password_hashing;
    let verified = password::verify_blocking(current_password, hash, params).await?;
    if matches!(verified, Verified::No) {
        let mut conn = db_conn(&state).await?;
        sign_in_throttle::failed(&mut conn, policy, &user.email, attempt).await?;
        return Err(AppError::invalid(
            "current_password",
            "is not your current password",
        ));
    }
    let new_hash = password::hash_blocking(new, params).await?;
    let mut conn = db_conn(&state).await?;
    conn.transaction(async |conn| {
        sign_in_throttle::succeeded(conn, &user.email, attempt).await?;
        users::set_password_hash(conn, user.id, &new_hash).await?;
        let revoked =
            sessions::revoke_all_but(conn, user.id, auth.session_id, "password changed").await?;
        audit::record(
            conn,
            entry(
                &auth,
                "user.password_changed",
                "user",
                user.id,
                user.organisation_id.into_iter().collect(),
                serde_json::json!({ "revoked_sessions": revoked }),
            ),
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
