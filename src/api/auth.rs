//! Sign-in, token refresh, sign-out and `GET /api/v1/me`.
//!
//! Security decisions made here: a wrong password and an unknown e-mail give the same 401 and
//! take the same time (an unknown e-mail still verifies a dummy hash); every attempt is counted
//! per account and per client address before any hash is checked, and refused with 429 +
//! Retry-After past the limits (`auth::throttle`); failed sign-ins and refreshes are audited;
//! refresh tokens rotate on every use and a reused one revokes its whole session.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::Json;
use super::refresh_cookie::{self, Carrier};
use super::users::UserResponse;
use super::{audit, db_conn, sign_in_throttle};
use crate::auth::jwt::ACCESS_TOKEN_SECONDS;
use crate::auth::password::{self, Verified};
use crate::auth::{Authenticated, tokens};
use crate::db::audit::{self as db_audit, AuditEntry};
use crate::db::{sessions, users};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "apprentice@example.nhs.uk")]
    pub email: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// The refresh token. The browser frontend sends none: its token is in the HttpOnly cookie,
    /// used only with the `X-Ksbfolio-Client: browser` header (`api::refresh_cookie`).
    #[serde(default)]
    pub refresh_token: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// JWT for `Authorization: Bearer`, valid `expires_in` seconds.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    pub expires_in: i64,
    /// Opaque; exchange it at `/auth/refresh` for new tokens. Single use; valid 14 days, and never
    /// past the session's end 30 days after sign-in. Absent for the browser frontend
    /// (`X-Ksbfolio-Client: browser`), which gets it as an HttpOnly cookie instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub user: UserResponse,
    /// Signing in with a link from an e-mail: the page of this application the link opens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

fn bad_credentials() -> AppError {
    AppError::Unauthorized("The e-mail address or password is not right.".into())
}

/// The peer's address, the key of the per-address sign-in throttle.
pub(crate) fn client_addr(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Sign in with e-mail and password. With `X-Ksbfolio-Client: browser` the refresh token comes
/// as an `HttpOnly; Secure; SameSite=Strict` cookie for `/api/v1/auth`, not in the body.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "wrong e-mail or password (the same answer for both)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many failed attempts; see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let LoginRequest { email, password } = body.0;
    let email = email.trim().to_string();
    let addr = client_addr(&req);
    let policy = state.settings.login_throttle;
    let request_id = audit::request_id(&req);
    let mut conn = db_conn(&state).await?;

    // Counted before any hash is checked: concurrent guesses check at most the limit.
    let attempt = sign_in_throttle::admit(&mut conn, policy, &email, &addr).await?;
    let found = users::find_with_hash_by_email(&mut conn, &email).await?;
    // Hashing is slow on purpose: do not hold a pooled connection meanwhile.
    drop(conn);
    let params = state.settings.password_hashing;
    let (user, verified) = match found {
        Some((user, hash)) => {
            let verified = password::verify_blocking(password, hash, params).await?;
            (Some(user), verified)
        }
        None => {
            // Same work as a real check, so timing does not tell which e-mails exist.
            let dummy = state.dummy_password_hash.as_ref().clone();
            password::verify_blocking(password, dummy, params).await?;
            (None, Verified::No)
        }
    };
    let mut conn = db_conn(&state).await?;
    let user = match (user, &verified) {
        (Some(user), Verified::Yes | Verified::YesRehashed(_)) if user.active => user,
        (user, _) => {
            sign_in_throttle::failed(&mut conn, policy, &email, attempt).await?;
            let reason = match &user {
                None => "unknown_account",
                Some(u) if !u.active => "deactivated",
                Some(_) => "wrong_password",
            };
            // Unknown e-mails are not written down: people type passwords into the e-mail box.
            db_audit::record(
                &conn,
                AuditEntry {
                    actor_id: user.as_ref().map(|u| u.id),
                    request_id: request_id.as_deref(),
                    action: "auth.login_failed",
                    entity_type: "user",
                    entity_id: user
                        .as_ref()
                        .map_or_else(|| "unknown".to_string(), |u| u.id.to_string()),
                    organisation_ids: user
                        .as_ref()
                        .and_then(|u| u.organisation_id)
                        .into_iter()
                        .collect(),
                    summary: serde_json::json!({ "reason": reason, "client_addr": addr }),
                },
            )
            .await?;
            return Err(bad_credentials());
        }
    };

    let response = conn
        .transaction(async |conn| {
            if let Verified::YesRehashed(new_hash) = &verified {
                users::set_password_hash(conn, user.id, new_hash).await?;
            }
            sign_in_throttle::succeeded(conn, &email, attempt).await?;
            let session_id = sessions::create(conn, user.id).await?;
            let response = issue_tokens(&state, conn, &user, session_id).await?;
            db_audit::record(
                conn,
                AuditEntry {
                    actor_id: Some(user.id),
                    request_id: request_id.as_deref(),
                    action: "auth.login",
                    entity_type: "session",
                    entity_id: session_id.to_string(),
                    organisation_ids: user.organisation_id.into_iter().collect(),
                    summary: serde_json::json!({ "user_id": user.id, "rehashed": matches!(verified, Verified::YesRehashed(_)) }),
                },
            )
            .await?;
            Ok::<_, AppError>(response)
        })
        .await?;
    respond(refresh_cookie::for_sign_in(&req), response)
}

/// The token answer, with the refresh token in the body or in the cookie.
pub(crate) fn respond(carrier: Carrier, mut tokens: TokenResponse) -> AppResult<HttpResponse> {
    match (carrier, tokens.refresh_token.take()) {
        (Carrier::Cookie, Some(refresh_token)) => {
            let mut response = HttpResponse::Ok().json(tokens);
            refresh_cookie::set(&mut response, refresh_token)?;
            Ok(response)
        }
        (_, refresh_token) => {
            tokens.refresh_token = refresh_token;
            Ok(HttpResponse::Ok().json(tokens))
        }
    }
}

pub(crate) async fn issue_tokens(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    user: &users::User,
    session_id: Uuid,
) -> AppResult<TokenResponse> {
    let access_token = state
        .jwt
        .issue(user.id, &user.role, user.organisation_id, session_id)?;
    let (refresh_token, hash) = tokens::new_refresh_token();
    sessions::add_refresh_token(conn, session_id, &hash).await?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
        refresh_token: Some(refresh_token),
        user: UserResponse::from(user.clone()),
        next: None,
    })
}

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
    let request_id = audit::request_id(&req);
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
                        AuditEntry {
                            actor_id: Some(token.user_id),
                            request_id: request_id.as_deref(),
                            action: if refusal == Some("refresh_token_reused") {
                                "auth.refresh_token_reused"
                            } else {
                                "auth.refresh_failed"
                            },
                            entity_type: "session",
                            entity_id: token.session_id.to_string(),
                            organisation_ids: user
                                .and_then(|u| u.organisation_id)
                                .into_iter()
                                .collect(),
                            summary: serde_json::json!({
                                "reason": refusal,
                                "revoked": refusal == Some("refresh_token_reused"),
                                "client_addr": addr,
                            }),
                        },
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
    let request_id = audit::request_id(&req);
    let mut conn = db_conn(&state).await?;
    conn.transaction(async |conn| {
        let Some(hash) = hash else { return Ok(()) };
        if let Some(token) = sessions::find_token_for_update(conn, &hash).await?
            && token.session_revoked_at.is_none()
        {
            sessions::revoke(conn, token.session_id, "signed out").await?;
            db_audit::record(
                conn,
                AuditEntry {
                    actor_id: Some(token.user_id),
                    request_id: request_id.as_deref(),
                    action: "auth.logout",
                    entity_type: "session",
                    entity_id: token.session_id.to_string(),
                    organisation_ids: Vec::new(),
                    summary: serde_json::json!({}),
                },
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
