//! `Authenticated`: the caller behind a valid bearer token, or 401 with `WWW-Authenticate: Bearer`.
//!
//! Security: besides the signature and claims, every request checks the database, so a
//! deactivated user or a revoked session (logout, refresh-token reuse) stops working at once. Role
//! and organisation are taken from the database, not from the token. The check runs on the
//! primary even when a read replica serves the request's reads, so revocation has no replica
//! delay; the same statement brings the user's last write position (read-your-writes,
//! `db::replica`).

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use diesel::pg::data_types::PgLsn;
use futures_util::future::LocalBoxFuture;

use crate::api::middleware::RequestId;
use crate::db::users;
use crate::domain::scope::Actor;
use crate::error::AppError;
use crate::state::AppState;

/// An authenticated request: who is calling, and the request id for the audit trail.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub actor: Actor,
    /// The sign-in session of the token.
    pub session_id: uuid::Uuid,
    pub request_id: Option<String>,
    /// The primary's WAL position after the caller's last write request (`api::read_conn`
    /// serves a read from the replica only once it has replayed that far).
    pub last_write_lsn: Option<PgLsn>,
}

/// In the request's extensions once the caller is known: whose write a write request records
/// (`api::read_your_writes`).
#[derive(Debug, Clone, Copy)]
pub struct Caller(pub uuid::Uuid);

fn unauthorized() -> AppError {
    AppError::Unauthorized(
        "Sign in first: send a valid access token as `Authorization: Bearer <token>`.".into(),
    )
}

/// The token of an `Authorization: Bearer <token>` value. The scheme name is case-insensitive
/// (RFC 9110 §11.1), so `bearer` and `BEARER` work too.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequest for Authenticated {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token)
            .map(str::to_string);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal(anyhow::anyhow!("no app state")))?;
            let claims = token
                .and_then(|t| state.jwt.verify(&t))
                .ok_or_else(unauthorized)?;
            let mut conn = crate::api::connection::db_conn(&state).await?;
            let (user, last_write_lsn) = users::find_for_session(&mut conn, claims.sub, claims.sid)
                .await
                .map_err(AppError::internal)?
                .ok_or_else(unauthorized)?;
            req.extensions_mut().insert(Caller(user.id));
            let role = user.role;
            Ok(Self {
                actor: Actor {
                    user_id: user.id,
                    role,
                    organisation_id: user.organisation_id,
                    created_by_organisation_id: user.created_by_organisation_id,
                },
                session_id: claims.sid,
                request_id,
                last_write_lsn,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn the_bearer_scheme_is_case_insensitive_and_nothing_else_passes() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer abc"), Some("abc"));
        assert_eq!(bearer_token("BEARER  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("Bearerabc"), None);
    }
}
