//! `POST /api/v1/users/{id}/password-link`: an administrator has a single-use link to set a
//! password e-mailed to the person.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::db::audit::{self};
use crate::db::{outbox, password_links, users};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordLinkSent {
    /// The address the link is sent to: the person's own.
    pub email: String,
    /// How long the link works once sent, in hours.
    pub valid_hours: i64,
    /// What happened, in words for the administrator.
    pub detail: String,
}

/// E-mail the person a single-use link, valid 24 hours from sending, with which they set their
/// password (a newer link voids the older ones). Administrators only. 202: the message is in
/// the outbox, written with the audit row, and the delivery worker sends it; the link itself is
/// never in the response, so whoever asks cannot use it. 409 for a deactivated account.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "the e-mail with the link is on its way", body = PasswordLinkSent),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the account is deactivated (`user_inactive`)", body = crate::error::Problem, content_type = "application/problem+json"),
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
    let inactive = || {
        AppError::conflict(
            "user_inactive",
            format!(
                "{} is deactivated: reactivate the account before sending a password link.",
                target.name
            ),
        )
    };
    if !target.active {
        return Err(inactive());
    }
    conn.transaction(async |conn| {
        // Written only while the account is active (checked again in the statement).
        if !outbox::enqueue_password_link(conn, target.id, auth.actor.user_id).await? {
            return Err(inactive());
        }
        audit::record(
            conn,
            entry(
                &auth,
                "user.password_link_sent",
                "user",
                target.id,
                target.organisation_id.into_iter().collect(),
                serde_json::json!({ "email": target.email }),
            ),
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(HttpResponse::Accepted().json(PasswordLinkSent {
        detail: format!(
            "A link to set a password was e-mailed to {}. It works once, for {} hours.",
            target.email,
            password_links::LINK_HOURS
        ),
        email: target.email,
        valid_hours: password_links::LINK_HOURS,
    }))
}
