//! Off-the-job training: `POST/GET /api/v1/apprenticeships/{id}/otj` ([`create`], [`list`]),
//! `GET/PATCH/DELETE /api/v1/otj/{entry_id}` ([`edit`]), `POST /api/v1/otj/{entry_id}/review`
//! ([`review`]), `GET /api/v1/apprenticeships/{id}/otj/summary` ([`summary`]) and the provider's
//! queue of entries waiting for a decision, `GET /api/v1/otj-queue` ([`queue`]). This file
//! holds what the verbs share: loading with scope, validation, the response, the kept figures'
//! move and the summary. The rules are `domain::otj`.

pub mod create;
pub mod delete;
pub mod get;
pub mod list;
pub mod queue;
pub mod review;
pub mod summary;
pub mod update;

use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::ksb_codes;
use super::patient_data::refuse_nhs_numbers;
use crate::db::apprenticeships::{self, Apprenticeship};
use crate::db::breaks;
use crate::db::catalogue::cache::CachedStandard;
use crate::db::otj::{self as db_otj, OtjContent, OtjEntry};
use crate::domain::calendar;
use crate::domain::otj::{self, OtjActivity, OtjFacts, OtjStatus, OtjSummary};
use crate::domain::scope::Actor;
use crate::error::{AppError, AppResult, FieldError};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OtjEntryResponse {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub occurred_on: NaiveDate,
    pub minutes: i32,
    pub activity: OtjActivity,
    pub description: String,
    /// KSB codes, in standard order.
    pub ksbs: Vec<String>,
    pub status: OtjStatus,
    /// Also sent as the `ETag` header; send it back in `If-Match` to edit.
    pub version: i32,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Why the provider rejected it.
    pub rejection_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn response(row: OtjEntry, ksbs: Vec<String>) -> AppResult<OtjEntryResponse> {
    Ok(OtjEntryResponse {
        activity: row.activity,
        status: row.status,
        ksbs,
        id: row.id,
        apprenticeship_id: row.apprenticeship_id,
        occurred_on: row.occurred_on,
        minutes: row.minutes,
        description: row.description,
        version: row.version,
        reviewed_by: row.reviewed_by,
        reviewed_at: row.reviewed_at,
        rejection_reason: row.rejection_reason,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Responses for a page of entries: one query for their KSB codes.
pub async fn responses(
    conn: &mut AsyncPgConnection,
    rows: Vec<OtjEntry>,
) -> AppResult<Vec<OtjEntryResponse>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut codes = db_otj::ksb_codes(conn, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let ksbs = codes.remove(&row.id).unwrap_or_default();
            response(row, ksbs)
        })
        .collect()
}

pub fn etag_header(
    row: &OtjEntry,
) -> (
    actix_web::http::header::HeaderName,
    actix_web::http::header::HeaderValue,
) {
    use actix_web::http::header::{ETAG, HeaderValue};
    (
        ETAG,
        HeaderValue::from_str(&format!("\"{}\"", row.version))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\"")),
    )
}

/// The entry and its apprenticeship, if the actor may see them; 404 otherwise.
pub async fn load_visible(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> AppResult<(OtjEntry, Apprenticeship)> {
    let not_found = || AppError::not_found("off-the-job entry");
    let row = db_otj::find(conn, id).await?.ok_or_else(not_found)?;
    let apprenticeship = apprenticeships::find(conn, row.apprenticeship_id)
        .await?
        .filter(|a| actor.can_see_apprenticeship(&a.parties()))
        .ok_or_else(not_found)?;
    Ok((row, apprenticeship))
}

/// A validated entry.
pub struct ValidOtj {
    pub content: OtjContent,
    pub ksb_ids: Vec<Uuid>,
    pub ksb_codes: Vec<String>,
}

/// Checks an entry against the apprenticeship and its standard; every failure names its field.
pub fn validate(
    standard: &CachedStandard,
    apprenticeship: &Apprenticeship,
    occurred_on: NaiveDate,
    minutes: i32,
    activity: OtjActivity,
    description: &str,
    ksbs: &[String],
) -> AppResult<ValidOtj> {
    let mut errors = Vec::new();
    let cap = otj::DAILY_CAP_MINUTES;
    if !(1..=cap).contains(&i64::from(minutes)) {
        errors.push(FieldError::new(
            "minutes",
            format!("must be between 1 and {cap} (12 hours)"),
        ));
    }
    if occurred_on > calendar::today() {
        errors.push(FieldError::new("occurred_on", "must not be in the future"));
    }
    if occurred_on < apprenticeship.start_date {
        errors.push(FieldError::new(
            "occurred_on",
            format!(
                "must not be before the apprenticeship started ({})",
                apprenticeship.start_date
            ),
        ));
    }
    let description = description.trim().to_string();
    match description.chars().count() {
        0 => errors.push(FieldError::new(
            "description",
            "must say what the training was",
        )),
        1..=2000 => {}
        _ => errors.push(FieldError::new(
            "description",
            "must be at most 2,000 characters",
        )),
    }
    let codes = ksb_codes::check(standard, ksbs, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    refuse_nhs_numbers(&[("description", &description)])?;
    let mapped = ksb_codes::mapped(standard, &codes);
    Ok(ValidOtj {
        ksb_ids: mapped.ids,
        ksb_codes: mapped.codes,
        content: OtjContent {
            occurred_on,
            minutes,
            activity: activity.as_str().to_string(),
            description,
        },
    })
}

/// 422 on `minutes` when the day's total would pass the cap (`domain::otj::check_daily_cap`).
/// Run after the apprenticeship's row lock.
pub async fn check_day(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    content: &OtjContent,
    except: Option<Uuid>,
) -> AppResult<()> {
    let already = db_otj::day_total(conn, apprenticeship_id, content.occurred_on, except).await?;
    otj::check_daily_cap(already, i64::from(content.minutes)).map_err(|over| {
        AppError::invalid("minutes", format!("{over} (on {})", content.occurred_on))
    })
}

/// The OTJ summary of an apprenticeship now, from its kept figures and breaks.
pub async fn summary_of(
    conn: &AsyncPgConnection,
    apprenticeship: &Apprenticeship,
) -> AppResult<OtjSummary> {
    let periods: Vec<_> = breaks::of_apprenticeship(conn, apprenticeship.id)
        .await?
        .iter()
        .map(|b| b.period())
        .collect();
    Ok(otj::summary(&OtjFacts {
        planned_otj_hours: apprenticeship.planned_otj_hours,
        rpl_reduction_hours: apprenticeship.rpl_reduction_hours,
        minimum_otj_hours: apprenticeship.minimum_otj_hours,
        approved_minutes: apprenticeship.otj_approved_minutes,
        pending_minutes: apprenticeship.otj_pending_minutes,
        start_date: apprenticeship.start_date,
        expected_end_date: apprenticeship.expected_end_date,
        breaks: &periods,
        today: calendar::today(),
    }))
}

/// The organisations an OTJ change concerns (for its audit row).
pub fn organisations(apprenticeship: &Apprenticeship) -> Vec<Uuid> {
    vec![apprenticeship.employer_id, apprenticeship.provider_id]
}

/// 409: an approved entry is frozen.
pub(super) fn frozen(e: crate::domain::otj::NotAllowed) -> AppError {
    AppError::conflict("otj_frozen", e.0)
}
