//! Breaks in learning: `list`, `start`, `end`, and what they share (the response, the refusal,
//! the organisations an audit row concerns). The rules are `domain::breaks`.

pub mod end;
pub mod list;
pub mod start;

use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::apprenticeships::Apprenticeship;
use crate::db::breaks::{self as db_breaks, LearningBreak};
use crate::domain::breaks::BreakError;
use crate::error::{AppError, AppResult};

#[derive(Debug, Serialize, ToSchema)]
pub struct BreakResponse {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub starts_on: NaiveDate,
    /// The last day of the break; `null` while it is open.
    pub ends_on: Option<NaiveDate>,
    /// Days of a closed break, both ends included.
    pub length_days: Option<i64>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

pub(super) fn response(b: LearningBreak) -> BreakResponse {
    BreakResponse {
        length_days: b.period().length_days(),
        id: b.id,
        apprenticeship_id: b.apprenticeship_id,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        reason: b.reason,
        created_at: b.created_at,
        ended_at: b.ended_at,
    }
}

/// A refused start or end, on the one date its request gives (`starts_on` or `ends_on`): the
/// same rule ("must not be in the future") is about either.
pub(super) fn refused(field: &'static str) -> impl Fn(BreakError) -> AppError {
    move |e| AppError::invalid(field, e.to_string())
}

pub(super) fn organisations(a: &Apprenticeship) -> Vec<Uuid> {
    vec![a.employer_id, a.provider_id]
}

pub(super) async fn periods(conn: &AsyncPgConnection, id: Uuid) -> AppResult<Vec<LearningBreak>> {
    Ok(db_breaks::of_apprenticeship(conn, id).await?)
}
