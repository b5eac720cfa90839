//! `POST /api/v1/users`: adding an account (who may add whom: `domain::policy::create_user`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{UserResponse, with_article};
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::idempotency::IdempotencyKey;
use crate::auth::password;
use crate::db::{audit, organisations, users};
use crate::domain::identity::{self, Email, Role};
use crate::domain::policy::{self};
use crate::error::{AppError, AppResult, FieldError, unique_violation};
use crate::state::AppState;

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

/// What a retry must repeat to be recognised as one: everything but the password, so that no fast
/// hash of a password is ever kept.
#[derive(Serialize)]
struct Fingerprint<'a> {
    email: &'a str,
    name: &'a str,
    role: Role,
    organisation_id: Option<Uuid>,
}

/// Create a user. Admins create any role; provider staff create apprentices only (403 for any
/// other role: employer users are created by an administrator). Honours `Idempotency-Key` (the
/// password is not compared: a retry is recognised by the other fields).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(crate::api::idempotency::IdempotencyHeader),
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
    idempotency: IdempotencyKey,
    body: Json<CreateUserRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let fingerprint = Fingerprint {
        email: &body.email,
        name: &body.name,
        role: body.role,
        organisation_id: body.organisation_id,
    };
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
            Some(org) if org.kind != kind => errors.push(FieldError::new(
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
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &fingerprint).await? {
                return Ok::<_, AppError>(replay);
            }
            let user = users::insert(
                conn,
                &users::NewUser {
                    email: email.as_str(),
                    name: &name,
                    role: body.role,
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
            let orgs = user.organisation_id.into_iter().chain(created_by).collect();
            audit::record(
                conn,
                entry(
                    &auth,
                    "user.created",
                    "user",
                    user.id,
                    orgs,
                    serde_json::json!({
                        "email": user.email, "name": user.name, "role": user.role,
                        "organisation_id": user.organisation_id,
                    }),
                ),
            )
            .await?;
            idempotency
                .store(conn, &auth, StatusCode::CREATED, &UserResponse::from(user))
                .await
        })
        .await?;
    Ok(created.into_response())
}
