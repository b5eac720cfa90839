//! `POST/GET /api/v1/users`, `GET/PATCH /api/v1/users/{id}`.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::audit::entry;
use super::db_conn;
use super::extract::{Json, Query};
use super::pagination::{PageParams, Paginated};
use crate::auth::Authenticated;
use crate::auth::password;
use crate::db::sessions;
use crate::db::{audit, organisations, users};
use crate::domain::identity::{self, Email, Role};
use crate::domain::policy::{self, TargetUser, UserChange};
use crate::error::{AppError, AppResult, FieldError, unique_violation};
use crate::state::AppState;

/// "an apprentice", "a provider".
fn with_article(word: &str) -> String {
    let article = if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {word}")
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<Uuid>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<users::User> for UserResponse {
    fn from(user: users::User) -> Self {
        Self {
            role: Role::parse(&user.role).unwrap_or(Role::Apprentice),
            id: user.id,
            email: user.email,
            name: user.name,
            organisation_id: user.organisation_id,
            active: user.active,
            created_at: user.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateUserRequest {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Required for every role but `admin`, which must have none.
    pub organisation_id: Option<Uuid>,
    /// 12 to 256 characters.
    pub password: String,
}

/// Create a user. Admins create any role; provider staff create apprentices only (403 for any
/// other role: employer users are created by an administrator).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = CreateUserRequest,
    responses(
        (status = 201, body = UserResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "e-mail already registered", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<CreateUserRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    policy::create_user(&auth.actor, body.role)?;
    let mut errors = Vec::new();
    let email = Email::parse(&body.email)
        .map_err(|m| errors.push(FieldError::new("email", m)))
        .ok();
    let name = identity::parse_name(&body.name)
        .map_err(|m| errors.push(FieldError::new("name", m)))
        .ok();
    if let Err(m) = identity::check_password(&body.password) {
        errors.push(FieldError::new("password", m));
    }
    let mut conn = db_conn(&state).await?;
    match (body.role.organisation_kind(), body.organisation_id) {
        (None, Some(_)) => errors.push(FieldError::new(
            "organisation_id",
            "must be empty for an admin",
        )),
        (Some(_), None) => errors.push(FieldError::new("organisation_id", "is required")),
        (Some(kind), Some(org_id)) => match organisations::find(&mut conn, org_id).await? {
            None => errors.push(FieldError::new("organisation_id", "no such organisation")),
            Some(org) if org.kind != kind.as_str() => errors.push(FieldError::new(
                "organisation_id",
                format!(
                    "{} user must belong to {} organisation",
                    with_article(body.role.as_str()),
                    with_article(kind.as_str())
                ),
            )),
            Some(_) => {}
        },
        (None, None) => {}
    }
    let (Some(email), Some(name), true) = (email, name, errors.is_empty()) else {
        return Err(AppError::invalid_fields(errors));
    };

    let hash = password::hash_blocking(body.password, state.settings.password_hashing).await?;
    let created_by = match auth.actor.role {
        Role::Provider => auth.actor.organisation_id,
        _ => None,
    };
    let user = conn
        .transaction(async |conn| {
            let user = users::insert(
                conn,
                &users::NewUser {
                    email: email.as_str(),
                    name: &name,
                    role: body.role.as_str(),
                    organisation_id: body.organisation_id,
                    created_by_organisation_id: created_by,
                    password_hash: &hash,
                },
            )
            .await
            .map_err(|e| match unique_violation(&e) {
                Some("users_email_key") => AppError::conflict(
                    "email_taken",
                    "A user with this e-mail address already exists.",
                ),
                _ => e.into(),
            })?;
            let orgs = user
                .organisation_id
                .into_iter()
                .chain(created_by)
                .collect();
            audit::record(
                conn,
                entry(
                    &auth,
                    "user.created",
                    "user",
                    user.id,
                    orgs,
                    serde_json::json!({ "email": user.email, "name": user.name, "role": user.role, "organisation_id": user.organisation_id }),
                ),
            )
            .await?;
            Ok::<_, AppError>(user)
        })
        .await?;
    Ok(HttpResponse::Created().json(UserResponse::from(user)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    pub role: Option<Role>,
    pub organisation_id: Option<Uuid>,
    /// Only people whose name or e-mail address contains this (any case; 1–200 characters).
    pub q: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// Items to skip, 0–1,000,000 (default 0).
    #[param(minimum = 0, maximum = 1_000_000, default = 0)]
    pub offset: Option<i64>,
}

/// Users in the caller's scope, oldest first.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(UserQuery),
    responses((status = 200, body = Paginated<UserResponse>))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<UserQuery>,
) -> AppResult<web::Json<Paginated<UserResponse>>> {
    let query = query.0;
    let page = PageParams {
        limit: query.limit,
        offset: query.offset,
    }
    .page()?;
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if search.is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::invalid("q", "must be at most 200 characters"));
    }
    let filter = users::UserFilter {
        role: query.role,
        organisation_id: query.organisation_id,
        search: search.map(str::to_string),
    };
    let mut conn = db_conn(&state).await?;
    let (items, total) =
        users::list(&mut conn, &auth.actor, &filter, page.limit, page.offset).await?;
    Ok(web::Json(Paginated::new(
        items.into_iter().map(Into::into).collect(),
        total,
        page,
    )))
}

/// One user in the caller's scope.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, body = UserResponse),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<UserResponse>> {
    let mut conn = db_conn(&state).await?;
    let user = users::visible(&mut conn, &auth.actor, *id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    Ok(web::Json(user.into()))
}

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
