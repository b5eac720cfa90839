//! `POST /api/v1/auth/password-link/redeem`: the person sets their password through the link.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;

use super::new_password;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::auth::password::{self};
use crate::auth::tokens;
use crate::db::audit::{self, AuditEntry};
use crate::db::{password_links, sessions, users};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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
    let request_id = crate::api::audit_entry::request_id(&req);
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
            AuditEntry::new("user.password_set_by_link", "user", user.id)
                .by(Some(user.id), request_id.as_deref())
                .concerning(user.organisation_id.into_iter().collect())
                .summary(serde_json::json!({ "revoked_sessions": revoked })),
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
