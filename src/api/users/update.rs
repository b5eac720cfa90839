//! `PATCH /api/v1/users/{id}`: renaming, moving, deactivating or reactivating an account.

use actix_web::{patch, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::UserResponse;
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::db::sessions;
use crate::db::{audit, users};
use crate::domain::identity::{self, Role};
use crate::domain::policy::{self, TargetUser, UserChange};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// `false` deactivates: the user cannot sign in and their tokens stop working.
    pub active: Option<bool>,
    pub name: Option<String>,
}

/// Deactivate, reactivate or rename a user. Admins may change anyone but themselves; provider
/// staff the apprentices of their own provider (see `domain::policy::change_user`).
/// Deactivation revokes every session of the user at once.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, body = UserResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    body: Json<UpdateUserRequest>,
) -> AppResult<web::Json<UserResponse>> {
    let body = body.0;
    let name = body
        .name
        .as_deref()
        .map(identity::parse_name)
        .transpose()
        .map_err(|m| AppError::invalid("name", m))?;
    let mut conn = db_conn(&state).await?;
    let target = users::visible(&mut conn, &auth.actor, *id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    let target_role = Role::parse(&target.role).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "user {} has unknown role {}",
            target.id,
            target.role
        ))
    })?;
    let standing = users::standings(&mut conn, &[target.id])
        .await?
        .remove(&target.id)
        .unwrap_or_default();
    let deactivated_by = match target.deactivated_by {
        Some(by) => users::find(&mut conn, by)
            .await?
            .and_then(|u| Role::parse(&u.role)),
        None => None,
    };
    let change = UserChange {
        renames: name.is_some(),
        deactivates: target.active && body.active == Some(false),
        reactivates: !target.active && body.active == Some(true),
        changes_role_or_organisation: false,
    };
    policy::change_user(
        &auth.actor,
        &TargetUser {
            id: target.id,
            role: target_role,
            standing,
            deactivated_by,
        },
        &change,
    )?;
    let updated = conn
        .transaction(async |conn| {
            let updated = users::update(
                conn,
                target.id,
                name.as_deref(),
                body.active,
                auth.actor.user_id,
            )
            .await?;
            // Deactivation ends every session at once; reactivation revives none of them, so
            // the person signs in again.
            let revoked_sessions = if change.deactivates {
                sessions::revoke_all_for_user(conn, target.id, "user deactivated").await?
            } else {
                0
            };
            let action = match (target.active, updated.active) {
                (true, false) => "user.deactivated",
                (false, true) => "user.reactivated",
                _ => "user.updated",
            };
            audit::record(
                conn,
                entry(
                    &auth,
                    action,
                    "user",
                    updated.id,
                    updated.organisation_id.into_iter().collect(),
                    serde_json::json!({
                        "active": { "from": target.active, "to": updated.active },
                        "name": { "from": target.name, "to": updated.name },
                        "revoked_sessions": revoked_sessions,
                    }),
                ),
            )
            .await?;
            Ok::<_, AppError>(updated)
        })
        .await?;
    Ok(web::Json(updated.into()))
}
