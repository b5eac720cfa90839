//! Passwords a person can manage: `POST /api/v1/me/password` (change your own),
//! `POST /api/v1/users/{id}/password-link` (an administrator makes a single-use link to set one)
//! and `POST /api/v1/auth/password-link/redeem` (the person sets it through the link).
//!
//! Security decisions: changing a password needs the current one, and guesses at it are counted
//! by the sign-in throttle like sign-ins; every other session of the user ends. A link is 32
//! random bytes kept only as SHA-256, valid 24 hours, single use, void once a newer one is made;
//! until e-mail notifications exist it is shown once to the administrator who made it. Setting a
//! password through a link ends every session of the user. A used, expired or unknown link gets
//! one answer.

use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::audit::entry;
use super::auth::client_addr;
use super::extract::Json;
use super::{db_conn, sign_in_throttle};
use crate::auth::password::{self, Verified};
use crate::auth::{Authenticated, tokens};
use crate::db::audit::{self, AuditEntry};
use crate::db::{password_links, sessions, users};
use crate::domain::identity;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// 12 to 256 characters.
    pub new_password: String,
}

fn new_password(raw: &str, field: &str) -> AppResult<()> {
    identity::check_password(raw).map_err(|m| AppError::invalid(field, m))
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

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordLinkResponse {
    /// The path to open (on this server) to set the password. Shown once: only its hash is kept.
    pub path: String,
    pub expires_at: DateTime<Utc>,
}

/// Make a single-use link, valid 24 hours, with which the person sets their password (an
/// administrator gives it to them; a newer link voids the older ones). Administrators only.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 201, body = PasswordLinkResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/password-link")]
pub async fn create_password_link(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let target = users::visible(&mut conn, &auth.actor, *id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    policy::issue_password_link(&auth.actor)?;
    let (token, hash) = tokens::new_refresh_token();
    let expires_at = conn
        .transaction(async |conn| {
            let expires_at =
                password_links::create(conn, target.id, &hash, auth.actor.user_id).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "user.password_link_created",
                    "user",
                    target.id,
                    target.organisation_id.into_iter().collect(),
                    serde_json::json!({ "expires_at": expires_at }),
                ),
            )
            .await?;
            Ok::<_, AppError>(expires_at)
        })
        .await?;
    Ok(HttpResponse::Created().json(PasswordLinkResponse {
        path: format!("/set-password?token={token}"),
        expires_at,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct RedeemPasswordLinkRequest {
    pub token: String,
    /// 12 to 256 characters.
    pub new_password: String,
}

fn invalid_link() -> AppError {
    AppError::Unauthorized(
        "This password link is not valid: it was used already, has expired, or a newer one was \
         made. Ask your administrator for a new link."
            .into(),
    )
}

/// Set your password with a link an administrator gave you. Every session of yours ends; sign
/// in with the new password.
#[utoipa::path(
    tag = "auth",
    request_body = RedeemPasswordLinkRequest,
    responses(
        (status = 204, description = "password set"),
        (status = 401, description = "a used, expired or unknown link (one answer for all)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-link/redeem")]
pub async fn redeem_password_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<RedeemPasswordLinkRequest>,
) -> AppResult<HttpResponse> {
    let RedeemPasswordLinkRequest {
        token,
        new_password: new,
    } = body.0;
    new_password(&new, "new_password")?;
    // Hashed before the link is spent, so a slow hash never holds the link's row lock.
    let new_hash = password::hash_blocking(new, state.settings.password_hashing).await?;
    let token_hash = tokens::hash_token(token.trim());
    let request_id = super::audit::request_id(&req);
    let mut conn = db_conn(&state).await?;
    conn.transaction(async |conn| {
        let Some(user_id) = password_links::spend(conn, &token_hash).await? else {
            return Err(invalid_link());
        };
        let user = users::find(conn, user_id)
            .await?
            .filter(|u| u.active)
            .ok_or_else(invalid_link)?;
        users::set_password_hash(conn, user.id, &new_hash).await?;
        let revoked = sessions::revoke_all_for_user(conn, user.id, "password set by link").await?;
        audit::record(
            conn,
            AuditEntry {
                actor_id: Some(user.id),
                request_id: request_id.as_deref(),
                action: "user.password_set_by_link",
                entity_type: "user",
                entity_id: user.id.to_string(),
                organisation_ids: user.organisation_id.into_iter().collect(),
                summary: serde_json::json!({ "revoked_sessions": revoked }),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
