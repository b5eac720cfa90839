//! Sign-in, token refresh, sign-out and `GET /api/v1/me`.
//!
//! Security decisions made here: a wrong password and an unknown e-mail give the same 401 and
//! take the same time (an unknown e-mail still verifies a dummy hash); every attempt is counted
//! per account and per client address before any hash is checked, and refused with 429 +
//! Retry-After past the limits (`auth::throttle`); failed sign-ins and refreshes are audited;
//! refresh tokens rotate on every use and a reused one revokes its whole session.
//!
//! One file per verb (`login`, `refresh`, `logout`, `me`; `sign_in_link` asks for and redeems
//! e-mailed links); here what they share: the token
//! response, issuing tokens, the client's address.

pub mod login;
pub mod logout;
pub mod me;
pub mod refresh;
pub mod sign_in_link;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::refresh_cookie::{self, Carrier};
use crate::api::users::UserResponse;
use crate::auth::jwt::ACCESS_TOKEN_SECONDS;
use crate::auth::tokens;
use crate::db::{sessions, users};
use crate::error::AppResult;
use crate::state::AppState;

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

/// The client's address, the key of the per-address sign-in throttle: the peer, or the address
/// a trusted proxy forwarded (`auth::client_address`; a header from anyone else is ignored).
pub(crate) fn client_addr(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return peer.to_string();
    };
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        // A value that is not text is an unreadable hop: the walk stops there.
        .map(|value| value.to_str().unwrap_or("?"))
        .collect();
    state
        .settings
        .trusted_proxies
        .client(peer, &forwarded)
        .to_string()
}

/// The token answer, with the refresh token in the body or in the cookie.
pub(super) fn respond(carrier: Carrier, mut tokens: TokenResponse) -> AppResult<HttpResponse> {
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

pub(super) async fn issue_tokens(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    user: &users::User,
    session_id: Uuid,
) -> AppResult<TokenResponse> {
    let access_token = state.jwt.issue(
        user.id,
        user.role.as_str(),
        user.organisation_id,
        session_id,
    )?;
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
