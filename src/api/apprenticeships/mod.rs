//! `POST/GET /api/v1/apprenticeships`, `GET /api/v1/apprenticeships/{id}`; `PATCH` is in
//! [`edit`]. Every apprenticeship answers with its OTJ plan and where it stands on reviews.

pub mod edit;

use std::collections::HashMap;

use actix_web::http::header::{self, HeaderValue};
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
use crate::domain::review::{self, ReviewState};
use crate::domain::scope::Actor;
use crate::domain::{otj, policy};
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
    /// Planned off-the-job training hours; `null` until a plan is set.
    pub planned_otj_hours: Option<i32>,
    /// Hours of recognised prior learning taken off the standard's minimum.
    pub rpl_reduction_hours: i32,
    #[serde(flatten)]
    pub reviews: ReviewStanding,
    /// Also sent as the `ETag` header of `GET`; send it back in `If-Match` to change it.
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// Where an apprenticeship stands on progress reviews (kept figures, `db::reviews`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewStanding {
    pub last_review_on: Option<NaiveDate>,
    /// The last day the next review may be held; `null` while a break in learning is open.
    pub next_review_due_by: Option<NaiveDate>,
    pub review_state: ReviewState,
    /// Reviews not yet signed by all three parties.
    pub unsigned_reviews: i32,
    /// Whether a review has stayed unsigned for 14 days or more since it was held.
    pub unsigned_overdue: bool,
    /// A break in learning is open.
    pub on_break: bool,
}

impl ReviewStanding {
    pub fn of(
        last_review_on: Option<NaiveDate>,
        next_review_due_by: Option<NaiveDate>,
        unsigned_reviews: i32,
        oldest_unsigned_review_on: Option<NaiveDate>,
        on_break: bool,
        today: NaiveDate,
    ) -> Self {
        Self {
            last_review_on,
            next_review_due_by,
            review_state: review::review_state(next_review_due_by, today),
            unsigned_reviews,
            unsigned_overdue: oldest_unsigned_review_on
                .is_some_and(|held_on| review::unsigned_overdue(held_on, false, today)),
            on_break,
        }
    }

    pub fn of_apprenticeship(a: &Apprenticeship, today: NaiveDate) -> Self {
        Self::of(
            a.last_review_on,
            a.next_review_due_by,
            a.unsigned_reviews,
            a.oldest_unsigned_review_on,
            a.on_break,
            today,
        )
    }
}

/// The ETag of an apprenticeship's editable fields.
pub fn etag_header(a: &Apprenticeship) -> (header::HeaderName, HeaderValue) {
    (
        header::ETAG,
        HeaderValue::from_str(&format!("\"{}\"", a.version))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\"")),
    )
}

/// Checks an OTJ plan: bounds, and the funding rules' floor (`domain::otj::check_plan`),
/// which names `planned_otj_hours` and says the floor and why.
pub fn plan_errors(
    planned_otj_hours: Option<i32>,
    rpl_reduction_hours: i32,
    minimum_otj_hours: Option<i32>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let max = otj::MAX_PLAN_HOURS;
    if !(0..=max).contains(&rpl_reduction_hours) {
        errors.push(FieldError::new(
            "rpl_reduction_hours",
            format!("must be between 0 and {max}"),
        ));
    } else if let Some(planned) = planned_otj_hours {
        if planned > max {
            errors.push(FieldError::new(
                "planned_otj_hours",
                format!("must be at most {max} hours"),
            ));
        } else if let Err(below) = otj::check_plan(planned, rpl_reduction_hours, minimum_otj_hours)
        {
            errors.push(FieldError::new("planned_otj_hours", below.0));
        }
    }
    errors
}

/// Whether `user` is active, of `role`, in `organisation`: what every party must be.
pub fn is_active_member(user: Option<&users::User>, role: Role, organisation: Uuid) -> bool {
    user.is_some_and(|u| {
        u.role == role.as_str() && u.organisation_id == Some(organisation) && u.active
    })
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
    /// Planned off-the-job training hours: at least the floor of the funding rules
    /// (187, or the standard's minimum less `rpl_reduction_hours` when that is more).
    pub planned_otj_hours: Option<i32>,
    /// Hours of recognised prior learning (default 0).
    #[serde(default)]
    pub rpl_reduction_hours: i32,
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
        let reviews = ReviewStanding::of_apprenticeship(&a, Utc::now().date_naive());
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
            planned_otj_hours: a.planned_otj_hours,
            rpl_reduction_hours: a.rpl_reduction_hours,
            reviews,
            version: a.version,
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
    let check = |id: Uuid, role: Role, org: Uuid| is_active_member(people.get(&id), role, org);
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
    errors.extend(plan_errors(
        body.planned_otj_hours,
        body.rpl_reduction_hours,
        standard.as_ref().and_then(|s| s.standard.minimum_otj_hours),
    ));
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
    let created = conn
        .transaction(async |conn| enrol(conn, &auth, &body).await)
        .await?;
    let names = Names::load(&mut conn, std::slice::from_ref(&created)).await?;
    Ok(HttpResponse::Created().json(names.response(created)))
}

/// Enrols one apprentice inside the caller's transaction: the policy (403), every field (422),
/// one enrolment per standard (409), the row, its kept statuses and its audit row. Also used by
/// the enrolment import, which runs it for every line of a file in one transaction.
pub async fn enrol(
    conn: &mut AsyncPgConnection,
    auth: &Authenticated,
    body: &CreateApprenticeshipRequest,
) -> AppResult<Apprenticeship> {
    let mut standings = users::standings(conn, &[body.apprentice_id, body.mentor_id]).await?;
    let mut standing_of = |id| standings.remove(&id).unwrap_or_default();
    let (apprentice, mentor) = (standing_of(body.apprentice_id), standing_of(body.mentor_id));
    policy::enrol(&auth.actor, body.provider_id, &apprentice, &mentor)?;
    let standard_id = validate(conn, body).await?;
    let reference = body.standard.trim().to_uppercase();
    // An apprentice is enrolled once per standard: every enrolment stays active until a later
    // capability records its end.
    if let Some(existing) =
        apprenticeships::enrolment_on_standard(conn, body.apprentice_id, &reference).await?
    {
        return Err(AppError::conflict(
            "already_enrolled",
            format!(
                "This apprentice is already enrolled on {reference} (apprenticeship {existing}); \
                 an apprentice has one active enrolment per standard."
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
            planned_otj_hours: body.planned_otj_hours,
            rpl_reduction_hours: body.rpl_reduction_hours,
            next_review_due_by: Some(review::calendar_deadline(body.start_date)),
        },
    )
    .await?;
    // Every KSB starts as not started in the kept status table.
    crate::db::ksb_statuses::initialise(conn, created.id, created.standard_id).await?;
    audit::record(
        conn,
        entry(
            auth,
            "apprenticeship.created",
            "apprenticeship",
            created.id,
            vec![created.employer_id, created.provider_id],
            serde_json::json!({
                "apprentice_id": created.apprentice_id,
                "standard": body.standard,
                "start_date": created.start_date,
                "expected_end_date": created.expected_end_date,
                "planned_otj_hours": created.planned_otj_hours,
                "rpl_reduction_hours": created.rpl_reduction_hours,
            }),
        ),
    )
    .await?;
    Ok(created)
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

/// One apprenticeship in the caller's scope, with its `ETag`.
#[utoipa::path(
    tag = "apprenticeships",
    security(("bearer" = [])),
    responses(
        (status = 200, body = ApprenticeshipResponse, headers(("ETag" = String, description = "the version to send in If-Match"))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}")]
pub async fn get_apprenticeship(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let found = find_visible(&mut conn, &auth.actor, *id).await?;
    let tag = etag_header(&found);
    let names = Names::load(&mut conn, std::slice::from_ref(&found)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(tag)
        .json(names.response(found)))
}
