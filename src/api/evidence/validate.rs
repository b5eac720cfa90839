//! Checking evidence content against its apprenticeship and standard; every failure names its
//! field.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::api::ksb_codes;
use crate::api::patient_data::refuse_nhs_numbers;
use crate::db::apprenticeships::Apprenticeship;
use crate::db::catalogue::cache::CachedStandard;
use crate::db::evidence::Content;
use crate::domain::calendar;
use crate::domain::evidence::EvidenceKind;
use crate::error::{AppError, AppResult, FieldError};

/// Validated content and KSB ids of a piece of evidence.
pub struct Validated {
    pub content: Content,
    /// In standard order, as are the ids.
    pub ksb_codes: Vec<String>,
    pub ksb_ids: Vec<Uuid>,
}

/// Checks content against the apprenticeship and the standard; every failure names its field.
pub fn validate(
    standard: &CachedStandard,
    apprenticeship: &Apprenticeship,
    title: &str,
    description: &str,
    kind: EvidenceKind,
    occurred_on: NaiveDate,
    ksbs: &[String],
) -> AppResult<Validated> {
    let mut errors = Vec::new();
    let title = title.trim().to_string();
    match title.chars().count() {
        0 => errors.push(FieldError::new("title", "must not be empty")),
        1..=200 => {}
        _ => errors.push(FieldError::new("title", "must be at most 200 characters")),
    }
    if description.chars().count() > 20_000 {
        errors.push(FieldError::new(
            "description",
            "must be at most 20,000 characters",
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
    let codes = ksb_codes::check(standard, ksbs, &mut errors);
    if codes.is_empty() {
        errors.push(FieldError::new("ksbs", "must name at least one KSB"));
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    refuse_nhs_numbers(&[("title", &title), ("description", description)])?;
    let mapped = ksb_codes::mapped(standard, &codes);
    Ok(Validated {
        ksb_ids: mapped.ids,
        ksb_codes: mapped.codes,
        content: Content {
            title,
            description: description.to_string(),
            kind,
            occurred_on,
        },
    })
}
