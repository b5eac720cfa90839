//! `POST /api/v1/organisations`: adding an employer or a training provider.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::OrganisationResponse;
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::idempotency::IdempotencyKey;
use crate::db::{audit, organisations};
use crate::domain::identity::{self, OrganisationKind};
use crate::domain::policy;
use crate::error::{AppError, AppResult, unique_violation};
use crate::state::AppState;

#[derive(Deserialize, Serialize, ToSchema)]
pub struct CreateOrganisationRequest {
    pub name: String,
    pub kind: OrganisationKind,
}

/// Create an organisation (admins). Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(crate::api::idempotency::IdempotencyHeader),
    request_body = CreateOrganisationRequest,
    responses(
        (status = 201, body = OrganisationResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations")]
pub async fn create_organisation(
    state: web::Data<AppState>,
    auth: Authenticated,
    idempotency: IdempotencyKey,
    body: Json<CreateOrganisationRequest>,
) -> AppResult<HttpResponse> {
    policy::create_organisation(&auth.actor)?;
    let name = identity::parse_name(&body.0.name).map_err(|m| AppError::invalid("name", m))?;
    let kind = body.0.kind;
    let mut conn = db_conn(&state).await?;
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body.0).await? {
                return Ok::<_, AppError>(replay);
            }
            let org = organisations::insert(conn, &name, kind.as_str())
                .await
                .map_err(|e| match unique_violation(&e) {
                    Some("organisations_name_key") => AppError::conflict(
                        "organisation_exists",
                        "An organisation with this name already exists.",
                    ),
                    _ => e.into(),
                })?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "organisation.created",
                    "organisation",
                    org.id,
                    vec![org.id],
                    serde_json::json!({ "name": org.name, "kind": org.kind }),
                ),
            )
            .await?;
            idempotency
                .store(
                    conn,
                    &auth,
                    StatusCode::CREATED,
                    &OrganisationResponse::from(org),
                )
                .await
        })
        .await?;
    Ok(created.into_response())
}
