//! Breaks in learning of an apprenticeship. The rules (overlap, one open break, end not before
//! start) are `domain::breaks`, checked under the apprenticeship's row lock; the table's
//! constraints guard the same.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::learning_breaks;
use crate::domain::breaks::BreakPeriod;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = learning_breaks)]
pub struct LearningBreak {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub reason: String,
    pub started_by: Uuid,
    pub ended_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl LearningBreak {
    pub fn period(&self) -> BreakPeriod {
        BreakPeriod {
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        }
    }
}

/// Every break of an apprenticeship, in order. Takes a shared connection (pipelining).
pub async fn of_apprenticeship(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<Vec<LearningBreak>> {
    learning_breaks::table
        .filter(learning_breaks::apprenticeship_id.eq(apprenticeship_id))
        .order((learning_breaks::starts_on, learning_breaks::id))
        .select(LearningBreak::as_select())
        .load(&mut conn)
        .await
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    starts_on: NaiveDate,
    reason: &str,
    started_by: Uuid,
) -> QueryResult<LearningBreak> {
    diesel::insert_into(learning_breaks::table)
        .values((
            learning_breaks::apprenticeship_id.eq(apprenticeship_id),
            learning_breaks::starts_on.eq(starts_on),
            learning_breaks::reason.eq(reason),
            learning_breaks::started_by.eq(started_by),
        ))
        .returning(LearningBreak::as_returning())
        .get_result(conn)
        .await
}

/// Ends an open break; `None` if it was ended meanwhile.
pub async fn end(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    ends_on: NaiveDate,
    ended_by: Uuid,
) -> QueryResult<Option<LearningBreak>> {
    diesel::update(
        learning_breaks::table
            .filter(learning_breaks::id.eq(id))
            .filter(learning_breaks::ends_on.is_null()),
    )
    .set((
        learning_breaks::ends_on.eq(ends_on),
        learning_breaks::ended_by.eq(ended_by),
        learning_breaks::ended_at.eq(diesel::dsl::now),
    ))
    .returning(LearningBreak::as_returning())
    .get_result(conn)
    .await
    .optional()
}
