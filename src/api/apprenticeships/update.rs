//! `PATCH /api/v1/apprenticeships/{id}`: the mentor, the tutor, the expected end date and the
//! OTJ plan, changed by an administrator or staff of the apprenticeship's provider, with
//! `If-Match`. A new mentor or tutor is checked as at enrolment and through the policy; every
//! change is audited with its old and new values.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, patch, web};
use chrono::NaiveDate;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::response::{PartyNames, etag_header};
use super::{is_active_member, plan_errors};
use crate::api::access::visible_apprenticeship;
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::if_match::expected_versions;
use crate::db::apprenticeships::{self, ApprenticeshipEdit};
use crate::db::{audit, users};
use crate::domain::identity::Role;
use crate::domain::policy;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateApprenticeshipRequest {
    /// An active employer user of the apprenticeship's employer.
    pub mentor_id: Option<Uuid>,
    /// An active member of staff of the apprenticeship's provider.
    pub tutor_id: Option<Uuid>,
    /// After the start date.
    pub expected_end_date: Option<NaiveDate>,
    /// At least the floor of the funding rules (see `POST /apprenticeships`).
    pub planned_otj_hours: Option<i32>,
    pub rpl_reduction_hours: Option<i32>,
}

fn stale() -> AppError {
    AppError::PreconditionFailed(
        "This apprenticeship has changed since you loaded it. Reload it, then make your change \
         again."
            .into(),
    )
}

/// Change an apprenticeship. Fields left out keep their value.
#[utoipa::path(
    tag = "apprenticeships",
    security(("bearer" = [])),
    request_body = UpdateApprenticeshipRequest,
    params(("If-Match" = String, Header, description = "the ETag from GET")),
    responses(
        (status = 200, body = super::response::ApprenticeshipResponse, headers(("ETag" = String, description = "the new version"))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "stale ETag", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "no If-Match", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "an invalid party or date, or a plan below the floor", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/apprenticeships/{id}")]
pub async fn update_apprenticeship(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    body: Json<UpdateApprenticeshipRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let current = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    let new_mentor = body.mentor_id.filter(|m| *m != current.mentor_id);
    let new_tutor = body.tutor_id.filter(|t| *t != current.tutor_id);
    let mentor_standing = match new_mentor {
        Some(mentor) => Some(
            users::standings(&mut conn, &[mentor])
                .await?
                .remove(&mentor)
                .unwrap_or_default(),
        ),
        None => None,
    };
    policy::change_apprenticeship(&auth.actor, &current.parties(), mentor_standing.as_ref())?;
    let expected = expected_versions(&req)?;
    if !expected.contains(&current.version) {
        return Err(stale());
    }
    let edit = ApprenticeshipEdit {
        mentor_id: body.mentor_id.unwrap_or(current.mentor_id),
        tutor_id: body.tutor_id.unwrap_or(current.tutor_id),
        expected_end_date: body.expected_end_date.unwrap_or(current.expected_end_date),
        planned_otj_hours: body.planned_otj_hours.or(current.planned_otj_hours),
        rpl_reduction_hours: body
            .rpl_reduction_hours
            .unwrap_or(current.rpl_reduction_hours),
    };
    let people: HashMap<Uuid, users::User> = users::find_many(
        &mut conn,
        &new_mentor.into_iter().chain(new_tutor).collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|u| (u.id, u))
    .collect();
    let mut errors = Vec::new();
    if new_mentor
        .is_some_and(|m| !is_active_member(people.get(&m), Role::Employer, current.employer_id))
    {
        errors.push(FieldError::new(
            "mentor_id",
            "must be an active employer user of the apprenticeship's employer",
        ));
    }
    if new_tutor
        .is_some_and(|t| !is_active_member(people.get(&t), Role::Provider, current.provider_id))
    {
        errors.push(FieldError::new(
            "tutor_id",
            "must be an active member of staff of the apprenticeship's training provider",
        ));
    }
    if edit.expected_end_date <= current.start_date {
        errors.push(FieldError::new(
            "expected_end_date",
            format!("must be after the start date ({})", current.start_date),
        ));
    }
    if body.planned_otj_hours.is_some() || body.rpl_reduction_hours.is_some() {
        errors.extend(plan_errors(
            edit.planned_otj_hours,
            edit.rpl_reduction_hours,
            current.minimum_otj_hours,
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    let mut changes = serde_json::Map::new();
    let mut note = |field: &str, old: Value, new: Value| {
        if old != new {
            changes.insert(field.into(), json!({ "old": old, "new": new }));
        }
    };
    note("mentor_id", json!(current.mentor_id), json!(edit.mentor_id));
    note("tutor_id", json!(current.tutor_id), json!(edit.tutor_id));
    note(
        "expected_end_date",
        json!(current.expected_end_date),
        json!(edit.expected_end_date),
    );
    note(
        "planned_otj_hours",
        json!(current.planned_otj_hours),
        json!(edit.planned_otj_hours),
    );
    note(
        "rpl_reduction_hours",
        json!(current.rpl_reduction_hours),
        json!(edit.rpl_reduction_hours),
    );
    let updated = if changes.is_empty() {
        // Nothing changes: nothing to write or audit.
        current
    } else {
        conn.transaction(async |conn| {
            // A transferred enrolment is history: its parties and plan stay as they were.
            crate::api::gateway::ensure_active(conn, current.id).await?;
            // The version check and the write are one statement: of two racing edits with the
            // same ETag, exactly one applies.
            let updated = apprenticeships::update_edit(conn, current.id, current.version, &edit)
                .await?
                .ok_or_else(stale)?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "apprenticeship.updated",
                    "apprenticeship",
                    updated.id,
                    vec![updated.employer_id, updated.provider_id],
                    json!({ "version": updated.version, "changes": changes }),
                ),
            )
            .await?;
            Ok::<_, AppError>(updated)
        })
        .await?
    };
    let tag = etag_header(&updated);
    let names = PartyNames::load(&mut conn, std::slice::from_ref(&updated)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(tag)
        .json(names.response(updated)))
}
