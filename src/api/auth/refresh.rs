//! `POST /api/v1/auth/refresh`: a new access token for a refresh token, which rotates; a reused one
//! revokes its whole session.

use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use diesel_async::AsyncConnection;

use super::{RefreshRequest, TokenResponse, client_addr, issue_tokens, respond};
use crate::api::audit_entry;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::refresh_cookie::{self};
use crate::auth::tokens;
use crate::db::audit::{self as db_audit, AuditEntry};
use crate::db::{sessions, users};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

fn invalid_refresh() -> AppError {
    AppError::Unauthorized("The refresh token is not valid any more; sign in again.".into())
}

/// Exchange a refresh token for new tokens. Each refresh token works once; presenting one that
/// was already exchanged revokes the whole session (it may have been stolen). The browser
/// frontend sends no body token: its cookie counts with the `X-Ksbfolio-Client: browser` header.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> AppResult<HttpResponse> {
    let (presented, carrier) = refresh_cookie::presented(&req, body.0.refresh_token.as_deref())?;
    let hash = tokens::hash_token(&presented);
    let request_id = audit_entry::request_id(&req);
    let addr = client_addr(&req);
    let mut conn = db_conn(&state).await?;
    // The refusals must commit their audit row (and reuse its revocation) and still answer 401,
    // so the transaction returns an outcome rather than an error.
    enum Outcome {
        Issued(Box<TokenResponse>),
        Refused,
    }
    let outcome = conn
        .transaction(async |conn| {
            let Some(token) = sessions::find_token_for_update(conn, &hash).await? else {
                // Not audited: anyone can send random strings, and the trail must not fill
                // with them. Logged instead.
                tracing::warn!(client_addr = %addr, "refresh with an unknown token");
                return Ok::<_, AppError>(Outcome::Refused);
            };
            let user = users::find(conn, token.user_id).await?;
            let refusal = if !token.is_live(Utc::now()) {
                Some("session_ended_or_token_expired")
            } else if token.used_at.is_some() {
                sessions::revoke(conn, token.session_id, "refresh token reused").await?;
                Some("refresh_token_reused")
            } else if !user.as_ref().is_some_and(|u| u.active) {
                Some("user_inactive")
            } else {
                None
            };
            let user = match (refusal, user) {
                (None, Some(user)) => user,
                (refusal, user) => {
                    db_audit::record(
                        conn,
                        AuditEntry::new(
                            if refusal == Some("refresh_token_reused") {
                                "auth.refresh_token_reused"
                            } else {
                                "auth.refresh_failed"
                            },
                            "session",
                            token.session_id,
                        )
                        .by(Some(token.user_id), request_id.as_deref())
                        .concerning(user.and_then(|u| u.organisation_id).into_iter().collect())
                        .summary(serde_json::json!({
                            "reason": refusal,
                            "revoked": refusal == Some("refresh_token_reused"),
                            "client_addr": addr,
                        })),
                    )
                    .await?;
                    return Ok(Outcome::Refused);
                }
            };
            sessions::mark_used(conn, token.token_id).await?;
            let response = issue_tokens(&state, conn, &user, token.session_id).await?;
            Ok(Outcome::Issued(Box::new(response)))
        })
        .await?;
    match outcome {
        Outcome::Issued(response) => respond(carrier, *response),
        Outcome::Refused => Err(invalid_refresh()),
    }
}
