//! The import's `multipart/form-data` body: the archive (`file`, streamed to a spool file and
//! never held in memory) and the new apprenticeship's parties and dates, each a short text part
//! whose problems are named by field.

use actix_multipart::Multipart;
use chrono::NaiveDate;
use uuid::Uuid;

use crate::api::attachments::upload::{Pace, disk_full, unreadable};
use crate::error::{AppError, AppResult, FieldError};
use crate::storage::spool::{Finished, Spool, is_disk_full};

/// The most a `portfolio.zip` may be: every attachment of a long apprenticeship and its pack.
pub const ARCHIVE_MAX_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// The most a text part may hold.
const TEXT_MAX_BYTES: usize = 1024;

/// The form's parts, as sent.
#[derive(Default)]
pub struct ImportForm {
    pub file: Option<Finished>,
    pub employer_id: Option<Uuid>,
    pub mentor_id: Option<Uuid>,
    pub tutor_id: Option<Uuid>,
    pub start_date: Option<NaiveDate>,
    pub expected_end_date: Option<NaiveDate>,
}

/// The parts of a complete form.
#[derive(Debug)]
pub struct Parties {
    pub employer_id: Uuid,
    pub mentor_id: Uuid,
    pub tutor_id: Uuid,
    pub start_date: NaiveDate,
    /// `None`: as long after the start as the original apprenticeship ran.
    pub expected_end_date: Option<NaiveDate>,
}

/// Reads every part; a text part that does not parse is named with the others.
pub async fn receive(
    mut form: Multipart,
    spool: &Spool,
    pace: Pace,
) -> AppResult<(Finished, Parties)> {
    let mut parsed = ImportForm::default();
    let mut errors = Vec::new();
    while let Some(field) = pace.next(&mut form).await? {
        let mut field = field.map_err(unreadable)?;
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let io = |e: std::io::Error| {
                if is_disk_full(&e) {
                    disk_full()
                } else {
                    AppError::internal(e)
                }
            };
            let mut spooled = spool.create().await.map_err(io)?;
            while let Some(chunk) = pace.next(&mut field).await? {
                let chunk = chunk.map_err(unreadable)?;
                if spooled.size() + chunk.len() as u64 > ARCHIVE_MAX_BYTES {
                    return Err(AppError::PayloadTooLarge(format!(
                        "A portfolio archive may be at most {} GiB.",
                        ARCHIVE_MAX_BYTES / (1024 * 1024 * 1024)
                    )));
                }
                spooled.write(&chunk).await.map_err(io)?;
            }
            parsed.file = Some(spooled.finish().await.map_err(io)?);
            continue;
        }
        let mut text = Vec::new();
        while let Some(chunk) = pace.next(&mut field).await? {
            let chunk = chunk.map_err(unreadable)?;
            if text.len() + chunk.len() > TEXT_MAX_BYTES {
                return Err(AppError::invalid(name, "is too long"));
            }
            text.extend_from_slice(&chunk);
        }
        let text = String::from_utf8_lossy(&text).trim().to_string();
        let uuid = |errors: &mut Vec<FieldError>| {
            Uuid::parse_str(&text)
                .map_err(|_| errors.push(FieldError::new(name.clone(), "must be an id")))
                .ok()
        };
        let date = |errors: &mut Vec<FieldError>| {
            NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map_err(|_| {
                    errors.push(FieldError::new(
                        name.clone(),
                        "must be a date such as 2027-01-04",
                    ))
                })
                .ok()
        };
        match name.as_str() {
            "employer_id" => parsed.employer_id = uuid(&mut errors),
            "mentor_id" => parsed.mentor_id = uuid(&mut errors),
            "tutor_id" => parsed.tutor_id = uuid(&mut errors),
            "start_date" => parsed.start_date = date(&mut errors),
            "expected_end_date" if text.is_empty() => {}
            "expected_end_date" => parsed.expected_end_date = date(&mut errors),
            _ => {}
        }
    }
    let mut missing = |present: bool, field: &str, message: &str| {
        if !present && !errors.iter().any(|e| e.field == field) {
            errors.push(FieldError::new(field, message));
        }
    };
    missing(
        parsed.file.is_some(),
        "file",
        "send the portfolio.zip as a part named `file`",
    );
    missing(parsed.employer_id.is_some(), "employer_id", "is required");
    missing(parsed.mentor_id.is_some(), "mentor_id", "is required");
    missing(parsed.tutor_id.is_some(), "tutor_id", "is required");
    missing(parsed.start_date.is_some(), "start_date", "is required");
    match (
        parsed.file,
        parsed.employer_id,
        parsed.mentor_id,
        parsed.tutor_id,
        parsed.start_date,
    ) {
        (Some(file), Some(employer_id), Some(mentor_id), Some(tutor_id), Some(start_date))
            if errors.is_empty() =>
        {
            Ok((
                file,
                Parties {
                    employer_id,
                    mentor_id,
                    tutor_id,
                    start_date,
                    expected_end_date: parsed.expected_end_date,
                },
            ))
        }
        _ => Err(AppError::invalid_fields(errors)),
    }
}

/// The form as the OpenAPI document describes it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ImportPortfolioForm {
    /// The `portfolio.zip` exported by `GET /api/v1/apprenticeships/{id}/portfolio.zip`.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// The employer the apprentice now works for.
    pub employer_id: Uuid,
    /// The workplace mentor: an active employer user of that employer.
    pub mentor_id: Uuid,
    /// The tutor: active staff of the caller's provider.
    pub tutor_id: Uuid,
    /// When learning starts with the new provider.
    pub start_date: NaiveDate,
    /// Default: as long after `start_date` as the original apprenticeship ran.
    pub expected_end_date: Option<NaiveDate>,
}
