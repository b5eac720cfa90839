//! `POST/GET /api/v1/organisations`: training providers and employers.

use actix_web::{HttpResponse, get, post, web};
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
use crate::db::{audit, organisations};
use crate::domain::identity::{self, OrganisationKind, Role};
use crate::domain::policy;
use crate::error::{AppError, AppResult, unique_violation};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct OrganisationResponse {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
    pub created_at: DateTime<Utc>,
}

impl From<organisations::Organisation> for OrganisationResponse {
    fn from(org: organisations::Organisation) -> Self {
        Self {
            kind: OrganisationKind::parse(&org.kind).unwrap_or(OrganisationKind::Employer),
            id: org.id,
            name: org.name,
            created_at: org.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateOrganisationRequest {
    pub name: String,
    pub kind: OrganisationKind,
}

/// Create an organisation (admins).
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
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
    body: Json<CreateOrganisationRequest>,
) -> AppResult<HttpResponse> {
    policy::create_organisation(&auth.actor)?;
    let name = identity::parse_name(&body.0.name).map_err(|m| AppError::invalid("name", m))?;
    let kind = body.0.kind;
    let mut conn = db_conn(&state).await?;
    let org = conn
        .transaction(async |conn| {
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
            Ok::<_, AppError>(org)
        })
        .await?;
    Ok(HttpResponse::Created().json(OrganisationResponse::from(org)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    pub kind: Option<OrganisationKind>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// Items to skip, 0–1,000,000 (default 0).
    #[param(minimum = 0, maximum = 1_000_000, default = 0)]
    pub offset: Option<i64>,
}

/// Organisations by name. Admins see all; provider staff see employers (to enrol apprentices
/// with them) and their own organisation; others are refused.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(OrganisationQuery),
    responses(
        (status = 200, body = Paginated<OrganisationResponse>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<OrganisationQuery>,
) -> AppResult<web::Json<Paginated<OrganisationResponse>>> {
    let query = query.0;
    let page = PageParams {
        limit: query.limit,
        offset: query.offset,
    }
    .page()?;
    let mut conn = db_conn(&state).await?;
    policy::list_organisations(&auth.actor)?;
    let provider_view = match auth.actor.role {
        Role::Admin => None,
        _ => Some(auth.actor.organisation_id.unwrap_or_default()),
    };
    let kind = query.kind.map(|k| k.as_str());
    let (items, total) =
        organisations::list(&mut conn, kind, provider_view, page.limit, page.offset).await?;
    Ok(web::Json(Paginated::new(
        items.into_iter().map(Into::into).collect(),
        total,
        page,
    )))
}
