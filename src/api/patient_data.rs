//! The rule that keeps patient data out of portfolios, applied to every free text a user writes.

use crate::domain::nhs_number;
use crate::error::{AppError, FieldError};

/// 422 naming every field that contains an NHS number.
pub fn refuse_nhs_numbers(fields: &[(&str, &str)]) -> Result<(), AppError> {
    let found: Vec<&str> = fields
        .iter()
        .filter(|(_, text)| nhs_number::contains(text))
        .map(|(field, _)| *field)
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    Err(nhs_numbers_in(&found))
}

/// The 422 for `fields` that were found to contain an NHS number (a form's texts, a file).
pub fn nhs_numbers_in(fields: &[&str]) -> AppError {
    let errors: Vec<FieldError> = fields
        .iter()
        .map(|field| {
            FieldError::new(
                *field,
                "contains an NHS number; portfolios must never hold patient-identifiable data",
            )
        })
        .collect();
    let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    AppError::Validation {
        detail: format!(
            "{} contain(s) what looks like an NHS number (10 digits with a valid check digit). \
             Evidence must never carry patient data (confidentiality, K19/K20, duty D10): remove \
             the number and describe the case without anything that identifies the patient.",
            names.join(", ")
        ),
        errors,
    }
}

/// A required reason (withdrawal, revocation): trimmed, 1–2,000 characters, no NHS number.
/// `missing` says what the reason must explain.
pub fn required_reason(raw: &str, missing: &str) -> Result<String, AppError> {
    let reason = raw.trim().to_string();
    match reason.chars().count() {
        0 => Err(AppError::invalid("reason", missing)),
        1..=2000 => {
            refuse_nhs_numbers(&[("reason", &reason)])?;
            Ok(reason)
        }
        _ => Err(AppError::invalid(
            "reason",
            "must be at most 2,000 characters",
        )),
    }
}
