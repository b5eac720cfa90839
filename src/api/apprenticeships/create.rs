//! `POST /api/v1/apprenticeships`: enrolling an apprentice; `enrol` is also each line of a cohort
//! import (`api::imports`).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::response::{ApprenticeshipResponse, PartyNames};
use super::{is_active_member, plan_errors};
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::idempotency::IdempotencyKey;
use crate::db::apprenticeships::{self, Apprenticeship, NewApprenticeship};
use crate::db::{audit, catalogue, organisations, users};
use crate::domain::identity::{OrganisationKind, Role};
use crate::domain::policy;
use crate::domain::review::{self};
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;

#[derive(Deserialize, Serialize, ToSchema)]
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
    let orgs: HashMap<Uuid, OrganisationKind> =
        organisations::find_many(conn, &[body.employer_id, body.provider_id])
            .await?
            .into_iter()
            .map(|o| (o.id, o.kind))
            .collect();
    if orgs.get(&body.employer_id) != Some(&OrganisationKind::Employer) {
        errors.push(FieldError::new(
            "employer_id",
            "must be an employer organisation",
        ));
    }
    if orgs.get(&body.provider_id) != Some(&OrganisationKind::Provider) {
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
/// and a mentor who are not enrolled with another provider: `domain::policy::enrol`). Honours
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "apprenticeships",
    security(("bearer" = [])),
    params(crate::api::idempotency::IdempotencyHeader),
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
    idempotency: IdempotencyKey,
    body: Json<CreateApprenticeshipRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body).await? {
                return Ok::<_, AppError>(replay);
            }
            let created = enrol(conn, &auth, &body).await?;
            let names = PartyNames::load(conn, std::slice::from_ref(&created)).await?;
            idempotency
                .store(conn, &auth, StatusCode::CREATED, &names.response(created))
                .await
        })
        .await?;
    Ok(created.into_response())
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
    // An apprentice has one active enrolment per standard; only a move of provider (the
    // portfolio import) ends one and enrols them again.
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
            id: None,
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
            origin: None,
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
