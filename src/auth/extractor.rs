//! `Authenticated`: the caller behind a valid bearer token, or 401 with `WWW-Authenticate: Bearer`.
//!
//! Security: besides the signature and claims, every request checks the database, so a
//! deactivated user or a revoked session (logout, refresh-token reuse) stops working at once. Role
//! and organisation are taken from the database, not from the token.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use crate::api::middleware::RequestId;
use crate::db::users;
use crate::domain::identity::Role;
use crate::domain::scope::Actor;
use crate::error::AppError;
use crate::state::AppState;

/// An authenticated request: who is calling, and the request id for the audit trail.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub actor: Actor,
    pub request_id: Option<String>,
}

fn unauthorized() -> AppError {
    AppError::Unauthorized(
        "Sign in first: send a valid access token as `Authorization: Bearer <token>`.".into(),
    )
}

impl FromRequest for Authenticated {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal(anyhow::anyhow!("no app state")))?;
            let claims = token
                .and_then(|t| state.jwt.verify(&t))
                .ok_or_else(unauthorized)?;
            let mut conn = crate::api::db_conn(&state).await?;
            let user = users::find_for_session(&mut conn, claims.sub, claims.sid)
                .await
                .map_err(AppError::internal)?
                .ok_or_else(unauthorized)?;
            let role = Role::parse(&user.role).ok_or_else(unauthorized)?;
            Ok(Self {
                actor: Actor {
                    user_id: user.id,
                    role,
                    organisation_id: user.organisation_id,
                },
                request_id,
            })
        })
    }
}
