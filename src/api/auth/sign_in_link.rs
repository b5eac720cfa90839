//! Passwordless sign-in: `POST /api/v1/auth/sign-in-link` (e-mail me a link) and
//! `POST /api/v1/auth/sign-in-link/redeem` (sign in with it), for everyone and designed for
//! employers who never keep a password.
//!
//! Security decisions: the request always answers 202 with one body, and runs the same
//! statements whether or not the account exists (one `INSERT … SELECT` that writes a message
//! only for an active account), so neither answer nor timing tells which e-mails have accounts.
//! Requests are counted by the sign-in throttle per e-mail and per client address, each as a
//! failed sign-in would be, so nobody can fill a person's inbox. The link itself is made when
//! the e-mail is sent (`notifications::worker`): 32 random bytes, kept only as SHA-256, valid 15
//! minutes, single use, void once a newer one is sent; links inside notification e-mails live
//! 72 hours and open their item. A used, expired or unknown link gets one 401. Requests and
//! redemptions are audited; unknown tokens are logged, not audited (anyone can send noise).

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{TokenResponse, client_addr, issue_tokens, respond};
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::{audit_entry, refresh_cookie, sign_in_throttle};
use crate::auth::tokens;
use crate::db::audit::{self as db_audit, AuditEntry};
use crate::db::{outbox, sessions, sign_in_attempts, sign_in_links, users};
use crate::domain::identity::{Email, SignInMethod};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct SignInLinkRequest {
    #[schema(example = "mentor@example.nhs.uk")]
    pub email: String,
}

#[derive(Serialize, ToSchema)]
pub struct SignInLinkAccepted {
    /// The same words whether or not the address has an account.
    pub detail: &'static str,
}

const ACCEPTED: &str = "If this e-mail address has an account, a sign-in link is on its way. \
                        It works once, for 15 minutes.";

/// E-mail me a sign-in link. Always 202 with the same body, whether or not the address has an
/// account; an active account gets an e-mail with a single-use link valid 15 minutes (a newer
/// link voids it).
#[utoipa::path(
    tag = "auth",
    request_body = SignInLinkRequest,
    responses(
        (status = 202, body = SignInLinkAccepted),
        (status = 422, description = "not an e-mail address", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many requests for this address or from this client; see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/sign-in-link")]
pub async fn request_sign_in_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<SignInLinkRequest>,
) -> AppResult<HttpResponse> {
    let email = Email::parse(body.0.email.trim()).map_err(|m| AppError::invalid("email", m))?;
    let email = email.as_str();
    let addr = client_addr(&req);
    let policy = state.settings.login_throttle;
    let request_id = audit_entry::request_id(&req);
    let mut conn = db_conn(&state).await?;
    // Counted like a failed sign-in: five requests lock the address's links (and sign-ins) for
    // a minute, growing as password guesses do.
    let attempt = sign_in_throttle::admit(&mut conn, policy, email, &addr).await?;
    sign_in_throttle::failed(&mut conn, policy, email, attempt).await?;
    conn.transaction(async |conn| {
        let recipient = outbox::enqueue_sign_in_link(conn, email).await?;
        let user = recipient.map_or_else(|| "unknown".to_string(), |id| id.to_string());
        db_audit::record(
            conn,
            AuditEntry::new("auth.sign_in_link_requested", "user", user)
                .by(recipient, request_id.as_deref())
                .summary(serde_json::json!({ "client_addr": addr, "sent": recipient.is_some() })),
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(HttpResponse::Accepted().json(SignInLinkAccepted { detail: ACCEPTED }))
}

#[derive(Deserialize, ToSchema)]
pub struct RedeemSignInLinkRequest {
    /// The `token` of the link.
    pub token: String,
}

fn invalid_link() -> AppError {
    AppError::Unauthorized(
        "This sign-in link is not valid: it was used already, has expired, or a newer one was \
         sent. Ask for a new link, or sign in with your password."
            .into(),
    )
}

/// Sign in with a link from an e-mail: the same tokens as `/auth/login` (the session records
/// the `link` method), and `next`, the page the link opens.
#[utoipa::path(
    tag = "auth",
    request_body = RedeemSignInLinkRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "a used, expired or unknown link (one answer for all)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/sign-in-link/redeem")]
pub async fn redeem_sign_in_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<RedeemSignInLinkRequest>,
) -> AppResult<HttpResponse> {
    let token_hash = tokens::hash_token(body.0.token.trim());
    let request_id = audit_entry::request_id(&req);
    let addr = client_addr(&req);
    let mut conn = db_conn(&state).await?;
    // A refusal for a deactivated account commits its audit row and the spent link, and still
    // answers 401, so the transaction returns an outcome rather than an error.
    let issued = conn
        .transaction(async |conn| {
            let Some(spent) = sign_in_links::spend(conn, &token_hash).await? else {
                tracing::warn!(client_addr = %addr, "sign-in link unknown, used or expired");
                return Ok::<_, AppError>(None);
            };
            let user = users::find(conn, spent.user_id).await?;
            let (session, action) = match user.as_ref().filter(|u| u.active) {
                Some(user) => {
                    let session = sessions::create_with(conn, user.id, SignInMethod::Link).await?;
                    sign_in_attempts::clear_account(conn, &user.email).await?;
                    (Some(session), "auth.sign_in_link_redeemed")
                }
                None => (None, "auth.sign_in_link_refused"),
            };
            let organisations = user.as_ref().and_then(|u| u.organisation_id);
            db_audit::record(
                conn,
                AuditEntry::new(action, "user", spent.user_id)
                    .by(Some(spent.user_id), request_id.as_deref())
                    .concerning(organisations.into_iter().collect())
                    .summary(serde_json::json!({
                        "session_id": session,
                        "method": SignInMethod::Link,
                        "purpose": spent.purpose,
                        "client_addr": addr,
                    })),
            )
            .await?;
            let (Some(session), Some(user)) = (session, user) else {
                return Ok(None);
            };
            let mut response = issue_tokens(&state, conn, &user, session).await?;
            response.next = Some(spent.target);
            Ok(Some(response))
        })
        .await?;
    let response = issued.ok_or_else(invalid_link)?;
    respond(refresh_cookie::for_sign_in(&req), response)
}
