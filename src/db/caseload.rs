//! The caseload: a provider's apprenticeships with their kept figures (`db::progress`,
//! `ksb_statuses`), a page in a fixed number of statements, never a query per row.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Date;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::apprenticeships::in_scope;
use super::schema::{apprenticeships, duties, duty_progress};
use crate::domain::review::DueRange;
use crate::domain::scope::ApprenticeshipScope;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseloadSort {
    /// Least evidenced first.
    ProgressAscending,
    ProgressDescending,
    /// Longest without activity first.
    LastActivityAscending,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct CaseloadFilter {
    /// Only apprenticeships with no activity for this many days.
    pub inactive_days: Option<i32>,
    /// Only apprenticeships whose signed-off share is below the share of their time elapsed.
    pub behind_plan: bool,
    /// Only apprenticeships whose next review deadline is in this range
    /// (`domain::review::DueRange`, so the state follows the domain's rule).
    pub review_due: Option<DueRange>,
    /// Only apprenticeships with a review not yet signed by all three.
    pub unsigned: bool,
}

diesel::define_sql_function! {
    /// The share of the planned time between these dates that has passed today, 0 to 1
    /// (migration `000901_kept_progress`).
    fn elapsed_share(start_date: Date, expected_end_date: Date) -> Double;
}

#[derive(Debug, Clone, Queryable)]
pub struct CaseloadRow {
    pub id: Uuid,
    pub apprentice_id: Uuid,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    pub last_activity_at: DateTime<Utc>,
    /// KSBs: all, in progress, evidenced, signed off.
    pub counts: (i32, i32, i32, i32),
    /// Kept review figures: last review, next deadline, unsigned reviews, the oldest unsigned
    /// one, on break.
    pub reviews: (
        Option<NaiveDate>,
        Option<NaiveDate>,
        i32,
        Option<NaiveDate>,
        bool,
    ),
}

/// The apprenticeships of a scope that pass the filter.
fn matching(
    scope: ApprenticeshipScope,
    filter: CaseloadFilter,
) -> apprenticeships::BoxedQuery<'static, Pg> {
    let mut query = in_scope(scope);
    if let Some(days) = filter.inactive_days {
        let cutoff = Utc::now() - chrono::Duration::days(i64::from(days));
        query = query.filter(apprenticeships::last_activity_at.lt(cutoff));
    }
    if filter.behind_plan {
        query = query.filter(apprenticeships::signed_off_share.lt(elapsed_share(
            apprenticeships::start_date,
            apprenticeships::expected_end_date,
        )));
    }
    if let Some(range) = filter.review_due {
        let due = apprenticeships::next_review_due_by;
        query = match (range.from, range.to, range.or_none) {
            (Some(from), Some(to), _) => query.filter(due.between(from, to)),
            (Some(from), None, true) => query.filter(due.ge(from).or(due.is_null())),
            (Some(from), None, false) => query.filter(due.ge(from)),
            (None, Some(to), _) => query.filter(due.le(to)),
            (None, None, true) => query,
            (None, None, false) => query.filter(due.is_not_null()),
        };
    }
    if filter.unsigned {
        query = query.filter(apprenticeships::unsigned_reviews.gt(0));
    }
    query
}

/// One page of the caseload over the kept progress (sorted by the `(provider_id, progress)`
/// index), and how many match in all when the page tells (a last page); else see [`count`].
pub async fn page(
    conn: &mut AsyncPgConnection,
    scope: ApprenticeshipScope,
    filter: CaseloadFilter,
    sort: CaseloadSort,
    limit: i64,
    offset: i64,
) -> diesel::QueryResult<(Vec<CaseloadRow>, Option<i64>)> {
    use apprenticeships::{id, last_activity_at, progress};
    let query = matching(scope, filter);
    let query = match sort {
        CaseloadSort::ProgressAscending => {
            query.order((progress.asc(), last_activity_at.asc(), id.asc()))
        }
        CaseloadSort::ProgressDescending => {
            query.order((progress.desc(), last_activity_at.asc(), id.asc()))
        }
        CaseloadSort::LastActivityAscending => query.order((last_activity_at.asc(), id.asc())),
    };
    let rows: Vec<CaseloadRow> = query
        .limit(limit)
        .offset(offset)
        .select((
            apprenticeships::id,
            apprenticeships::apprentice_id,
            apprenticeships::start_date,
            apprenticeships::expected_end_date,
            apprenticeships::last_activity_at,
            (
                apprenticeships::ksbs_total,
                apprenticeships::ksbs_in_progress,
                apprenticeships::ksbs_evidenced,
                apprenticeships::ksbs_signed_off,
            ),
            (
                apprenticeships::last_review_on,
                apprenticeships::next_review_due_by,
                apprenticeships::unsigned_reviews,
                apprenticeships::oldest_unsigned_review_on,
                apprenticeships::on_break,
            ),
        ))
        .load(conn)
        .await?;
    let seen = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    // A page that is not full is the last one: the total is everything before it and on it.
    let total = (seen < limit && (seen > 0 || offset == 0)).then_some(offset + seen);
    Ok((rows, total))
}

/// How many apprenticeships of the scope pass the filter. Takes a shared connection
/// (pipelining).
pub async fn count(
    mut conn: &AsyncPgConnection,
    scope: ApprenticeshipScope,
    filter: CaseloadFilter,
) -> diesel::QueryResult<i64> {
    matching(scope, filter).count().get_result(&mut conn).await
}

/// One duty's kept progress on one apprenticeship.
#[derive(Debug, Clone, Queryable)]
pub struct DutyProgressRow {
    pub apprenticeship_id: Uuid,
    pub code: String,
    pub ksbs: i32,
    pub evidenced: i32,
    pub signed_off: i32,
}

/// The kept progress of every duty of these apprenticeships, in duty order. Takes a shared
/// connection (pipelining).
pub async fn duty_progress(
    mut conn: &AsyncPgConnection,
    apprenticeship_ids: &[Uuid],
) -> diesel::QueryResult<Vec<DutyProgressRow>> {
    duty_progress::table
        .inner_join(duties::table)
        .filter(duty_progress::apprenticeship_id.eq_any(apprenticeship_ids))
        .order((duty_progress::apprenticeship_id, duties::position))
        .select((
            duty_progress::apprenticeship_id,
            duties::code,
            duty_progress::ksbs,
            duty_progress::evidenced,
            duty_progress::signed_off,
        ))
        .load(&mut conn)
        .await
}
