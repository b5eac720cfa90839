//! `POST /api/v1/auth/login`: signing in with e-mail and password (throttled, audited).

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{TokenResponse, client_addr, issue_tokens, respond};
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::refresh_cookie::{self};
use crate::api::{audit_entry, sign_in_throttle};
use crate::auth::password::{self, Verified};
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

fn bad_credentials() -> AppError {
    AppError::Unauthorized("The e-mail address or password is not right.".into())
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
    let request_id = audit_entry::request_id(&req);
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
                AuditEntry::new(
                    "auth.login_failed",
                    "user",
                    user.as_ref()
                        .map_or_else(|| "unknown".to_string(), |u| u.id.to_string()),
                )
                .by(user.as_ref().map(|u| u.id), request_id.as_deref())
                .concerning(
                    user.as_ref()
                        .and_then(|u| u.organisation_id)
                        .into_iter()
                        .collect(),
                )
                .summary(serde_json::json!({ "reason": reason, "client_addr": addr })),
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
                AuditEntry::new("auth.login", "session", session_id)
                    .by(Some(user.id), request_id.as_deref())
                    .concerning(user.organisation_id.into_iter().collect())
                    .summary(serde_json::json!({
                        "user_id": user.id,
                        "rehashed": matches!(verified, Verified::YesRehashed(_)),
                    })),
            )
            .await?;
            Ok::<_, AppError>(response)
        })
        .await?;
    respond(refresh_cookie::for_sign_in(&req), response)
}
