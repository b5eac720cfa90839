//! Loading a cohort from CSV: `POST /api/v1/imports/users` and `/api/v1/imports/apprenticeships`
//! (`Content-Type: text/csv`, the header documented on each endpoint).
//!
//! A file is checked whole before anything is kept: every line runs in one transaction (each in
//! its own savepoint), every bad line is reported with its line number and field, and if any line
//! is bad the transaction is rolled back, so nothing is written. Re-uploading the same file is
//! safe: a line that matches what already exists is reported `unchanged` and nothing is doubled.

mod apprenticeships;
mod csv_body;
mod users;

pub use apprenticeships::import_apprenticeships;
pub use users::import_users;

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, FieldError};

/// What an import did with one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineOutcome {
    Created,
    /// The line matches what is already there (a re-upload): nothing was written.
    Unchanged,
}

/// Collects the problems of every line, each named `line N: field`.
#[derive(Debug, Default)]
struct LineErrors(Vec<FieldError>);

impl LineErrors {
    fn add(&mut self, line: u64, field: &str, message: impl Into<String>) {
        self.0
            .push(FieldError::new(format!("line {line}: {field}"), message));
    }

    /// A line's failure from the single-record rules (validation, policy, conflicts).
    fn add_error(&mut self, line: u64, error: AppError) -> Result<(), AppError> {
        match error {
            AppError::Validation { errors, .. } => {
                for e in errors {
                    self.add(line, &e.field, e.message);
                }
            }
            AppError::Forbidden(detail)
            | AppError::NotFound(detail)
            | AppError::Conflict { detail, .. } => {
                self.0.push(FieldError::new(format!("line {line}"), detail))
            }
            other => return Err(other),
        }
        Ok(())
    }

    /// 422 naming every bad line, or nothing when the file was good.
    fn into_result(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let count = self.0.len();
        let AppError::Validation { detail, errors } = AppError::invalid_fields(self.0) else {
            return Ok(());
        };
        Err(AppError::Validation {
            detail: format!("Nothing was imported: {count} problem(s) to fix first. {detail}"),
            errors,
        })
    }
}
