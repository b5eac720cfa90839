//! The browser's refresh token lives in a cookie no script can read.
//!
//! Security decision: the frontend keeps its access token in memory only and its refresh token
//! in an `HttpOnly; Secure; SameSite=Strict` cookie scoped to `/api/v1/auth`, so an XSS payload
//! cannot steal a session and every tab of the browser shares one sign-in (a tab opened with
//! Ctrl+click is signed in). Because the browser sends a cookie on its own, a refresh or sign-out
//! through the cookie also needs the `X-Ksbfolio-Client: browser` header: another site cannot
//! add a custom header without a CORS preflight this server never grants, so together with
//! SameSite=Strict no forged request can use the cookie. Other API clients keep sending the
//! refresh token in the body and get it back in the body.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse};

use crate::db::sessions::REFRESH_TOKEN_DAYS;
use crate::error::AppError;

/// The cookie's name.
pub const COOKIE: &str = "ksbfolio_refresh";
/// The header that marks the browser frontend (and is its CSRF defence).
pub const CLIENT_HEADER: &str = "x-ksbfolio-client";
const PATH: &str = "/api/v1/auth";

/// Where a refresh token travels for this client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// In the JSON body, both ways (API clients).
    Body,
    /// In the HttpOnly cookie, never in a body (the browser frontend).
    Cookie,
}

/// Whether the request comes from the browser frontend.
pub fn is_browser(req: &HttpRequest) -> bool {
    req.headers()
        .get(CLIENT_HEADER)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"browser"))
}

/// The carrier a sign-in answers with.
pub fn for_sign_in(req: &HttpRequest) -> Carrier {
    if is_browser(req) {
        Carrier::Cookie
    } else {
        Carrier::Body
    }
}

/// The refresh token a request presents: the body's when it sends one, else the cookie's, which
/// counts only with the browser header (a cookie alone is what a forged request would carry).
pub fn presented(req: &HttpRequest, body: Option<&str>) -> Result<(String, Carrier), AppError> {
    if let Some(token) = body.map(str::trim).filter(|t| !t.is_empty()) {
        return Ok((token.to_string(), Carrier::Body));
    }
    match req.cookie(COOKIE) {
        Some(cookie) if is_browser(req) => Ok((cookie.value().to_string(), Carrier::Cookie)),
        Some(_) => Err(AppError::Unauthorized(format!(
            "A refresh through the session cookie must carry the `{CLIENT_HEADER}: browser` header."
        ))),
        None => Err(AppError::invalid(
            "refresh_token",
            "is required (or sign in again in the browser)",
        )),
    }
}

fn cookie(value: String, max_age: CookieDuration) -> Cookie<'static> {
    Cookie::build(COOKIE, value)
        .path(PATH)
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .max_age(max_age)
        .finish()
}

/// Sets the cookie holding `token`.
pub fn set(response: &mut HttpResponse, token: String) -> Result<(), AppError> {
    response
        .add_cookie(&cookie(token, CookieDuration::days(REFRESH_TOKEN_DAYS)))
        .map_err(AppError::internal)
}

/// Removes the cookie (sign-out, or a refresh that failed).
pub fn clear(response: &mut HttpResponse) -> Result<(), AppError> {
    response
        .add_cookie(&cookie(String::new(), CookieDuration::ZERO))
        .map_err(AppError::internal)
}
