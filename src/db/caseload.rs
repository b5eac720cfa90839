//! The caseload and the work queues: lists over many apprenticeships, each answered with a fixed
//! number of statements over kept figures (`db::progress`, `ksb_statuses`), never a query per
//! row.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Date, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{apprenticeships, duties, duty_progress};
use crate::domain::scope::ApprenticeshipScope;

/// `(SQL condition on alias a, bound uuid)` for a scope. Column names come from this fixed list,
/// never from input.
fn scope_sql(scope: ApprenticeshipScope) -> (&'static str, Option<Uuid>) {
    match scope {
        ApprenticeshipScope::All => ("$1::uuid IS NULL", None),
        ApprenticeshipScope::Apprentice(id) => ("a.apprentice_id = $1", Some(id)),
        ApprenticeshipScope::Employer(id) => ("a.employer_id = $1", Some(id)),
        ApprenticeshipScope::Provider(id) => ("a.provider_id = $1", Some(id)),
        ApprenticeshipScope::Nothing => ("a.id IS NULL AND $1::uuid IS NULL", None),
    }
}

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
}

#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct CaseloadRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub apprentice_id: Uuid,
    #[diesel(sql_type = Text)]
    pub apprentice_name: String,
    #[diesel(sql_type = Date)]
    pub start_date: NaiveDate,
    #[diesel(sql_type = Date)]
    pub expected_end_date: NaiveDate,
    #[diesel(sql_type = Timestamptz)]
    pub last_activity_at: DateTime<Utc>,
    #[diesel(sql_type = Integer)]
    pub ksbs_total: i32,
    #[diesel(sql_type = Integer)]
    pub ksbs_in_progress: i32,
    #[diesel(sql_type = Integer)]
    pub ksbs_evidenced: i32,
    #[diesel(sql_type = Integer)]
    pub ksbs_signed_off: i32,
    /// How many apprenticeships match, over all pages.
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

/// One page of the caseload with the apprentices' names and the total count, in one statement
/// over the kept progress (sorted by the `(provider_id, progress)` index).
pub async fn page(
    conn: &mut AsyncPgConnection,
    scope: ApprenticeshipScope,
    filter: CaseloadFilter,
    sort: CaseloadSort,
    limit: i64,
    offset: i64,
) -> diesel::QueryResult<Vec<CaseloadRow>> {
    let (condition, bound) = scope_sql(scope);
    let order = match sort {
        CaseloadSort::ProgressAscending => "a.progress ASC, a.last_activity_at ASC, a.id",
        CaseloadSort::ProgressDescending => "a.progress DESC, a.last_activity_at ASC, a.id",
        CaseloadSort::LastActivityAscending => "a.last_activity_at ASC, a.id",
    };
    let matches = format!(
        "{condition} \
         AND ($2::int IS NULL OR a.last_activity_at < now() - make_interval(days => $2)) \
         AND (NOT $3 OR a.signed_off_share < least(1.0, greatest(0.0, \
              (current_date - a.start_date)::float8 / greatest(a.expected_end_date - a.start_date, 1))))"
    );
    let sql = format!(
        "SELECT a.id, a.apprentice_id, u.name AS apprentice_name, a.start_date, \
                a.expected_end_date, a.last_activity_at, a.ksbs_total, a.ksbs_in_progress, \
                a.ksbs_evidenced, a.ksbs_signed_off, \
                (SELECT count(*) FROM apprenticeships a WHERE {matches}) AS total \
         FROM apprenticeships a JOIN users u ON u.id = a.apprentice_id \
         WHERE {matches} \
         ORDER BY {order} LIMIT $4 OFFSET $5"
    );
    diesel::sql_query(sql)
        .bind::<Nullable<SqlUuid>, _>(bound)
        .bind::<Nullable<Integer>, _>(filter.inactive_days)
        .bind::<diesel::sql_types::Bool, _>(filter.behind_plan)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
        .await
}

/// One duty's kept progress on one apprenticeship.
#[derive(Debug, Clone, Queryable)]
pub struct DutyProgressRow {
    pub apprenticeship_id: Uuid,
    pub code: String,
    pub ksbs: Option<i32>,
    pub evidenced: Option<i32>,
    pub signed_off: Option<i32>,
}

/// The kept progress of every duty of these apprenticeships, in duty order (a duty without
/// KSBs has no kept row and comes back empty).
pub async fn duty_progress(
    conn: &mut AsyncPgConnection,
    apprenticeship_ids: &[Uuid],
) -> diesel::QueryResult<Vec<DutyProgressRow>> {
    apprenticeships::table
        .inner_join(duties::table.on(duties::standard_id.eq(apprenticeships::standard_id)))
        .left_join(
            duty_progress::table.on(duty_progress::apprenticeship_id
                .eq(apprenticeships::id)
                .and(duty_progress::duty_id.eq(duties::id))),
        )
        .filter(apprenticeships::id.eq_any(apprenticeship_ids))
        .order((apprenticeships::id, duties::position))
        .select((
            apprenticeships::id,
            duties::code,
            duty_progress::ksbs.nullable(),
            duty_progress::evidenced.nullable(),
            duty_progress::signed_off.nullable(),
        ))
        .load(conn)
        .await
}

#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct SignoffQueueRow {
    #[diesel(sql_type = SqlUuid)]
    pub apprenticeship_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub apprentice_id: Uuid,
    #[diesel(sql_type = Array<Text>)]
    pub ksbs: Vec<String>,
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

/// Apprenticeships in scope with evidenced KSBs not yet signed off, and those KSBs.
pub async fn signoff_queue(
    conn: &mut AsyncPgConnection,
    scope: ApprenticeshipScope,
    limit: i64,
    offset: i64,
) -> diesel::QueryResult<Vec<SignoffQueueRow>> {
    let (condition, bound) = scope_sql(scope);
    let sql = format!(
        "SELECT a.id AS apprenticeship_id, a.apprentice_id, \
                array_agg(k.code ORDER BY k.position) AS ksbs, count(*) OVER () AS total \
         FROM ksb_statuses s \
         JOIN apprenticeships a ON a.id = s.apprenticeship_id \
         JOIN ksbs k ON k.id = s.ksb_id \
         WHERE s.status = 'evidenced' AND {condition} \
         GROUP BY a.id \
         ORDER BY min(a.last_activity_at), a.id LIMIT $2 OFFSET $3"
    );
    diesel::sql_query(sql)
        .bind::<Nullable<SqlUuid>, _>(bound)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
        .await
}

#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct ReviewQueueRow {
    #[diesel(sql_type = SqlUuid)]
    pub evidence_id: Uuid,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub submitted_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = SqlUuid)]
    pub apprenticeship_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub apprentice_id: Uuid,
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

/// Submitted evidence in scope, oldest submission first.
pub async fn review_queue(
    conn: &mut AsyncPgConnection,
    scope: ApprenticeshipScope,
    limit: i64,
    offset: i64,
) -> diesel::QueryResult<Vec<ReviewQueueRow>> {
    let (condition, bound) = scope_sql(scope);
    let sql = format!(
        "SELECT e.id AS evidence_id, e.title, e.kind, e.submitted_at, a.id AS apprenticeship_id, \
                a.apprentice_id, count(*) OVER () AS total \
         FROM evidence e JOIN apprenticeships a ON a.id = e.apprenticeship_id \
         WHERE e.status = 'submitted' AND {condition} \
         ORDER BY e.submitted_at ASC, e.id LIMIT $2 OFFSET $3"
    );
    diesel::sql_query(sql)
        .bind::<Nullable<SqlUuid>, _>(bound)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
        .await
}
