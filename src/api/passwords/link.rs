//! `POST /api/v1/users/{id}/password-link`: an administrator makes a single-use link to set a
//! password.

use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::auth::tokens;
use crate::db::audit::{self};
use crate::db::{password_links, users};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordLinkResponse {
    /// The path to open (on this server) to set the password. Shown once: only its hash is kept.
    pub path: String,
    pub expires_at: DateTime<Utc>,
}

/// Make a single-use link, valid 24 hours, with which the person sets their password (an
/// administrator gives it to them; a newer link voids the older ones). Administrators only.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 201, body = PasswordLinkResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/password-link")]
pub async fn create_password_link(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let target = users::visible(&mut conn, &auth.actor, *id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    policy::issue_password_link(&auth.actor)?;
    let (token, hash) = tokens::new_refresh_token();
    let expires_at = conn
        .transaction(async |conn| {
            let expires_at =
                password_links::create(conn, target.id, &hash, auth.actor.user_id).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "user.password_link_created",
                    "user",
                    target.id,
                    target.organisation_id.into_iter().collect(),
                    serde_json::json!({ "expires_at": expires_at }),
                ),
            )
            .await?;
            Ok::<_, AppError>(expires_at)
        })
        .await?;
    Ok(HttpResponse::Created().json(PasswordLinkResponse {
        path: format!("/set-password?token={token}"),
        expires_at,
    }))
}
