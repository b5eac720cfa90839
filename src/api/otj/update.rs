//! `PATCH /api/v1/otj/{entry_id}`: the apprentice edits a pending or rejected entry (with
//! `If-Match`); an edited rejected entry goes back to pending, an approved one is frozen (409).

use actix_web::{HttpRequest, HttpResponse, patch, web};
use chrono::NaiveDate;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::frozen;
use super::{
    OtjEntryResponse, check_day, etag_header, load_visible, organisations, response, validate,
};
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::catalogue::standard_of;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::if_match::expected_versions;
use crate::db::otj as db_otj;
use crate::db::{apprenticeships, audit};
use crate::domain::otj::{self, OtjAction, OtjActivity, OtjStatus};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

fn stale() -> AppError {
    AppError::PreconditionFailed(
        "This entry has changed since you loaded it. Reload it, then make your edit again.".into(),
    )
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOtjRequest {
    pub occurred_on: Option<NaiveDate>,
    pub minutes: Option<i32>,
    pub activity: Option<OtjActivity>,
    pub description: Option<String>,
    pub ksbs: Option<Vec<String>>,
}

/// Edit a pending or rejected entry (it becomes pending).
#[utoipa::path(
    tag = "otj",
    security(("bearer" = [])),
    request_body = UpdateOtjRequest,
    params(("If-Match" = String, Header, description = "the ETag from GET")),
    responses(
        (status = 200, body = OtjEntryResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "approved: frozen", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "stale ETag", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "no If-Match", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/otj/{entry_id}")]
pub async fn update_otj(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authenticated,
    entry_id: web::Path<Uuid>,
    body: Json<UpdateOtjRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *entry_id).await?;
    policy::log_otj(&auth.actor, &apprenticeship.parties())?;
    let expected = expected_versions(&req)?;
    let status = OtjStatus::from_stored(&row.status)?;
    let next = otj::transition(status, OtjAction::Edit).map_err(frozen)?;
    if !expected.contains(&row.version) {
        return Err(stale());
    }
    let current_codes = db_otj::ksb_codes(&mut conn, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let standard = standard_of(&state, &mut conn, &apprenticeship).await?;
    let valid = validate(
        &standard,
        &apprenticeship,
        body.occurred_on.unwrap_or(row.occurred_on),
        body.minutes.unwrap_or(row.minutes),
        match body.activity {
            Some(activity) => activity,
            None => OtjActivity::from_stored(&row.activity)?,
        },
        body.description.as_deref().unwrap_or(&row.description),
        body.ksbs.as_deref().unwrap_or(&current_codes),
    )?;
    let updated = conn
        .transaction(async |conn| {
            apprenticeships::lock(conn, apprenticeship.id).await?;
            check_day(conn, apprenticeship.id, &valid.content, Some(row.id)).await?;
            let updated =
                db_otj::update_content(conn, row.id, row.version, status.as_str(), &valid.content)
                    .await?
                    .ok_or_else(stale)?;
            if body.ksbs.is_some() {
                db_otj::set_ksbs(conn, row.id, &valid.ksb_ids).await?;
            }
            let delta = otj::delta(Some((status, row.minutes)), Some((next, updated.minutes)));
            db_otj::move_kept(conn, apprenticeship.id, delta).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "otj.updated",
                    "otj_entry",
                    row.id,
                    organisations(&apprenticeship),
                    serde_json::json!({
                        "version": updated.version,
                        "was": status.as_str(),
                        "minutes": { "old": row.minutes, "new": updated.minutes },
                        "occurred_on": { "old": row.occurred_on, "new": updated.occurred_on },
                    }),
                ),
            )
            .await?;
            Ok::<_, AppError>(updated)
        })
        .await?;
    let tag = etag_header(&updated);
    Ok(HttpResponse::Ok()
        .insert_header(tag)
        .json(response(updated, valid.ksb_codes)?))
}
