//! `POST/GET /api/v1/apprenticeships`, `GET /api/v1/apprenticeships/{id}`.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::audit::entry;
use super::db_conn;
use super::extract::{Json, Query};
use super::pagination::{PageParams, Paginated};
use crate::auth::Authenticated;
use crate::db::apprenticeships::{self, Apprenticeship, NewApprenticeship};
use crate::db::{audit, catalogue, organisations, users};
use crate::domain::identity::Role;
use crate::domain::policy;
use crate::domain::scope::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRef {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApprenticeshipResponse {
    pub id: Uuid,
    /// Standard reference, e.g. `ST0220`.
    pub standard: String,
    pub standard_version: String,
    pub apprentice_id: Uuid,
    pub employer_id: Uuid,
    pub provider_id: Uuid,
    pub mentor_id: Uuid,
    pub tutor_id: Uuid,
    pub apprentice: Option<PersonRef>,
    pub employer: Option<OrganisationRef>,
    pub provider: Option<OrganisationRef>,
    pub mentor: Option<PersonRef>,
    pub tutor: Option<PersonRef>,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateApprenticeshipRequest {
    pub apprentice_id: Uuid,
    /// Standard reference; the newest version is used.
    #[schema(example = "ST0220")]
    pub standard: String,
    pub employer_id: Uuid,
    pub provider_id: Uuid,
    pub mentor_id: Uuid,
    pub tutor_id: Uuid,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
}

/// Names for a page of apprenticeships, fetched in two queries whatever the page size.
pub struct Names {
    people: HashMap<Uuid, PersonRef>,
    orgs: HashMap<Uuid, OrganisationRef>,
    standards: HashMap<Uuid, (String, String)>,
}

impl Names {
    pub async fn load(conn: &mut AsyncPgConnection, rows: &[Apprenticeship]) -> AppResult<Self> {
        let people_ids: Vec<Uuid> = rows
            .iter()
            .flat_map(|a| [a.apprentice_id, a.mentor_id, a.tutor_id])
            .collect();
        let org_ids: Vec<Uuid> = rows
            .iter()
            .flat_map(|a| [a.employer_id, a.provider_id])
            .collect();
        let people = users::find_many(conn, &people_ids)
            .await?
            .into_iter()
            .map(|u| {
                (
                    u.id,
                    PersonRef {
                        id: u.id,
                        name: u.name,
                        email: u.email,
                    },
                )
            })
            .collect();
        let orgs = organisations::find_many(conn, &org_ids)
            .await?
            .into_iter()
            .map(|o| {
                (
                    o.id,
                    OrganisationRef {
                        id: o.id,
                        name: o.name,
                    },
                )
            })
            .collect();
        let standards = catalogue::list(conn)
            .await?
            .into_iter()
            .map(|s| (s.id, (s.reference, s.version)))
            .collect();
        Ok(Self {
            people,
            orgs,
            standards,
        })
    }

    pub fn person(&self, id: Uuid) -> Option<PersonRef> {
        self.people.get(&id).cloned()
    }

    pub fn response(&self, a: Apprenticeship) -> ApprenticeshipResponse {
        let (standard, standard_version) = self
            .standards
            .get(&a.standard_id)
            .cloned()
            .unwrap_or_default();
        ApprenticeshipResponse {
            id: a.id,
            standard,
            standard_version,
            apprentice: self.person(a.apprentice_id),
            employer: self.orgs.get(&a.employer_id).cloned(),
            provider: self.orgs.get(&a.provider_id).cloned(),
            mentor: self.person(a.mentor_id),
            tutor: self.person(a.tutor_id),
            apprentice_id: a.apprentice_id,
            employer_id: a.employer_id,
            provider_id: a.provider_id,
            mentor_id: a.mentor_id,
            tutor_id: a.tutor_id,
            start_date: a.start_date,
            expected_end_date: a.expected_end_date,
            created_at: a.created_at,
        }
    }
}

/// Checks every party of a new apprenticeship; each failure names its field.
async fn validate(
    conn: &mut AsyncPgConnection,
    body: &CreateApprenticeshipRequest,
) -> AppResult<Uuid> {
    let mut errors = Vec::new();
    let standard = catalogue::find_latest(conn, &body.standard.trim().to_uppercase()).await?;
    if standard.is_none() {
        errors.push(FieldError::new("standard", "no such standard"));
    }
    let orgs: HashMap<Uuid, String> =
        organisations::find_many(conn, &[body.employer_id, body.provider_id])
            .await?
            .into_iter()
            .map(|o| (o.id, o.kind))
            .collect();
    if orgs.get(&body.employer_id).map(String::as_str) != Some("employer") {
        errors.push(FieldError::new(
            "employer_id",
            "must be an employer organisation",
        ));
    }
    if orgs.get(&body.provider_id).map(String::as_str) != Some("provider") {
        errors.push(FieldError::new(
            "provider_id",
            "must be a training provider organisation",
        ));
    }
    let people: HashMap<Uuid, users::User> =
        users::find_many(conn, &[body.apprentice_id, body.mentor_id, body.tutor_id])
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
    let check = |id: Uuid, role: Role, org: Uuid| {
        people
            .get(&id)
            .is_some_and(|u| u.role == role.as_str() && u.organisation_id == Some(org) && u.active)
    };
    if !check(body.apprentice_id, Role::Apprentice, body.employer_id) {
        errors.push(FieldError::new(
            "apprentice_id",
            "must be an active apprentice of the employer organisation",
        ));
    }
    if !check(body.mentor_id, Role::Employer, body.employer_id) {
        errors.push(FieldError::new(
            "mentor_id",
            "must be an active employer user of the employer organisation",
        ));
    }
    if !check(body.tutor_id, Role::Provider, body.provider_id) {
        errors.push(FieldError::new(
            "tutor_id",
            "must be an active member of staff of the training provider",
        ));
    }
    if body.expected_end_date <= body.start_date {
        errors.push(FieldError::new(
            "expected_end_date",
            "must be after start_date",
        ));
    }
    match (standard, errors.is_empty()) {
        (Some(standard), true) => Ok(standard.standard.id),
        _ => Err(AppError::invalid_fields(errors)),
    }
}

/// Enrol an apprentice (admins, or provider staff for their own provider, with an apprentice
/// and a mentor who are not enrolled with another provider: `domain::policy::enrol`).
#[utoipa::path(
    tag = "apprenticeships",
    security(("bearer" = [])),
    request_body = CreateApprenticeshipRequest,
    responses(
        (status = 201, body = ApprenticeshipResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the apprentice is already enrolled on this standard", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships")]
pub async fn create_apprenticeship(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<CreateApprenticeshipRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let mut standings = users::standings(&mut conn, &[body.apprentice_id, body.mentor_id]).await?;
    let mut standing_of = |id| standings.remove(&id).unwrap_or_default();
    let (apprentice, mentor) = (standing_of(body.apprentice_id), standing_of(body.mentor_id));
    policy::enrol(&auth.actor, body.provider_id, &apprentice, &mentor)?;
    let standard_id = validate(&mut conn, &body).await?;
    let reference = body.standard.trim().to_uppercase();
    let created = conn
        .transaction(async |conn| {
            // An apprentice is enrolled once per standard: every enrolment stays active until a
            // later capability records its end.
            if let Some(existing) =
                apprenticeships::enrolment_on_standard(conn, body.apprentice_id, &reference).await?
            {
                return Err(AppError::conflict(
                    "already_enrolled",
                    format!(
                        "This apprentice is already enrolled on {reference} (apprenticeship \
                         {existing}); an apprentice has one active enrolment per standard."
                    ),
                ));
            }
            let created = apprenticeships::insert(
                conn,
                &NewApprenticeship {
                    apprentice_id: body.apprentice_id,
                    standard_id,
                    employer_id: body.employer_id,
                    provider_id: body.provider_id,
                    mentor_id: body.mentor_id,
                    tutor_id: body.tutor_id,
                    start_date: body.start_date,
                    expected_end_date: body.expected_end_date,
                },
            )
            .await?;
            // Every KSB starts as not started in the kept status table.
            crate::db::ksb_statuses::initialise(conn, created.id, created.standard_id).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "apprenticeship.created",
                    "apprenticeship",
                    created.id,
                    vec![created.employer_id, created.provider_id],
                    serde_json::json!({
                        "apprentice_id": created.apprentice_id,
                        "standard": body.standard,
                        "start_date": created.start_date,
                        "expected_end_date": created.expected_end_date,
                    }),
                ),
            )
            .await?;
            Ok::<_, AppError>(created)
        })
        .await?;
    let names = Names::load(&mut conn, std::slice::from_ref(&created)).await?;
    Ok(HttpResponse::Created().json(names.response(created)))
}

/// Apprenticeships in the caller's scope, newest first.
#[utoipa::path(
    tag = "apprenticeships",
    security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = Paginated<ApprenticeshipResponse>))
)]
#[get("/apprenticeships")]
pub async fn list_apprenticeships(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<PageParams>,
) -> AppResult<web::Json<Paginated<ApprenticeshipResponse>>> {
    let page = query.0.page()?;
    let mut conn = db_conn(&state).await?;
    let (rows, total) = apprenticeships::list(
        &mut conn,
        auth.actor.apprenticeship_scope(),
        page.limit,
        page.offset,
    )
    .await?;
    let names = Names::load(&mut conn, &rows).await?;
    let items = rows.into_iter().map(|a| names.response(a)).collect();
    Ok(web::Json(Paginated::new(items, total, page)))
}

/// The apprenticeship if the actor may see it; otherwise 404 (never 403: ids leak nothing).
pub async fn find_visible(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> AppResult<Apprenticeship> {
    apprenticeships::find(conn, id)
        .await?
        .filter(|a| actor.can_see_apprenticeship(&a.parties()))
        .ok_or_else(|| AppError::not_found("apprenticeship"))
}

/// One apprenticeship in the caller's scope.
#[utoipa::path(
    tag = "apprenticeships",
    security(("bearer" = [])),
    responses(
        (status = 200, body = ApprenticeshipResponse),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}")]
pub async fn get_apprenticeship(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<ApprenticeshipResponse>> {
    let mut conn = db_conn(&state).await?;
    let found = find_visible(&mut conn, &auth.actor, *id).await?;
    let names = Names::load(&mut conn, std::slice::from_ref(&found)).await?;
    Ok(web::Json(names.response(found)))
}
