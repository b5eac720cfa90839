//! `POST /api/v1/auth/logout`: ending the session of a refresh token.

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;

use super::RefreshRequest;
use crate::api::audit_entry;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::refresh_cookie::{self};
use crate::auth::tokens;
use crate::db::audit::{self as db_audit, AuditEntry};
use crate::db::sessions;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Sign out: ends the session of this refresh token, and with it every token of the session.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "signed out (also when the token was already invalid)"))
)]
#[post("/auth/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> AppResult<HttpResponse> {
    // Nothing to end (no token, or a cookie without the browser header) is still a sign-out.
    let hash = refresh_cookie::presented(&req, body.0.refresh_token.as_deref())
        .ok()
        .map(|(token, _)| tokens::hash_token(&token));
    let request_id = audit_entry::request_id(&req);
    let mut conn = db_conn(&state).await?;
    conn.transaction(async |conn| {
        let Some(hash) = hash else { return Ok(()) };
        if let Some(token) = sessions::find_token_for_update(conn, &hash).await?
            && token.session_revoked_at.is_none()
        {
            sessions::revoke(conn, token.session_id, "signed out").await?;
            db_audit::record(
                conn,
                AuditEntry::new("auth.logout", "session", token.session_id)
                    .by(Some(token.user_id), request_id.as_deref()),
            )
            .await?;
        }
        Ok::<_, AppError>(())
    })
    .await?;
    let mut response = HttpResponse::NoContent().finish();
    refresh_cookie::clear(&mut response)?;
    Ok(response)
}
