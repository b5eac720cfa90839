//! The caseload: a provider's apprenticeships with their kept figures (`db::progress`,
//! `ksb_statuses`), a page in a fixed number of statements, never a query per row.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Date, Integer};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::apprenticeships::in_scope;
use super::reviews::ReviewFigures;
use super::schema::{apprenticeship_waiting, apprenticeships, duties, duty_progress};
use crate::domain::inbox::KeptWaiting;
use crate::domain::plan;
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
    /// Only apprenticeships behind plan (red or amber, `domain::plan`) on this day.
    pub behind_plan_on: Option<NaiveDate>,
    /// Only apprenticeships whose next review deadline is in this range
    /// (`domain::review::DueRange`, so the state follows the domain's rule).
    pub review_due: Option<DueRange>,
    /// Only apprenticeships with a review not yet signed by all three.
    pub unsigned: bool,
}

diesel::define_sql_function! {
    /// `domain::plan::behind_by_more_than` in SQL (migration `000870_plan_status`).
    fn plan_behind_by_more_than(
        start_date: Date,
        expected_end_date: Date,
        on_day: Date,
        ksbs: Integer,
        evidenced: Integer,
        points: Integer,
    ) -> Bool;
}

#[derive(Debug, Clone, Queryable)]
pub struct CaseloadRow {
    pub id: Uuid,
    pub apprentice_id: Uuid,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    pub last_activity_at: DateTime<Utc>,
    pub counts: KsbCounts,
    pub reviews: ReviewFigures,
}

/// An apprenticeship's kept KSB counts: all of its standard's, and those in each status.
#[derive(Debug, Clone, Copy, Queryable)]
pub struct KsbCounts {
    pub ksbs: i32,
    pub in_progress: i32,
    pub evidenced: i32,
    pub signed_off: i32,
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
    if let Some(today) = filter.behind_plan_on {
        // Amber or worse: more than the amber threshold behind.
        query = query.filter(plan_behind_by_more_than(
            apprenticeships::start_date,
            apprenticeships::expected_end_date,
            today,
            apprenticeships::ksbs_total,
            apprenticeships::ksbs_evidenced + apprenticeships::ksbs_signed_off,
            plan::AMBER_POINTS,
        ));
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

/// Who each of these apprenticeships waits on, as kept (migration `000400_kept_waiting`); an
/// apprenticeship without a row has nothing open. Takes a shared connection (pipelining).
pub async fn kept_waiting(
    mut conn: &AsyncPgConnection,
    apprenticeship_ids: &[Uuid],
) -> diesel::QueryResult<Vec<(Uuid, KeptWaiting)>> {
    type Since = Option<DateTime<Utc>>;
    let rows: Vec<(Uuid, Since, Since, Since)> = apprenticeship_waiting::table
        .filter(apprenticeship_waiting::apprenticeship_id.eq_any(apprenticeship_ids))
        .select((
            apprenticeship_waiting::apprenticeship_id,
            apprenticeship_waiting::apprentice_since,
            apprenticeship_waiting::employer_since,
            apprenticeship_waiting::provider_since,
        ))
        .load(&mut conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, apprentice, employer, provider)| {
            let kept = KeptWaiting {
                apprentice,
                employer,
                provider,
            };
            (id, kept)
        })
        .collect())
}
