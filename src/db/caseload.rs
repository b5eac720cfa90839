//! The caseload and the work queues: lists over many apprenticeships, each answered with a fixed
//! number of statements (aggregates over the kept `ksb_statuses`, never a query per row).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::sql_types::{
    Array, BigInt, Date, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

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
    #[diesel(sql_type = SqlUuid)]
    pub standard_id: Uuid,
    #[diesel(sql_type = Date)]
    pub start_date: NaiveDate,
    #[diesel(sql_type = Date)]
    pub expected_end_date: NaiveDate,
    #[diesel(sql_type = Timestamptz)]
    pub last_activity_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

/// One page of the caseload, sorted in SQL over the kept statuses, with the total count.
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
        CaseloadSort::ProgressAscending => "progress ASC, a.last_activity_at ASC, a.id",
        CaseloadSort::ProgressDescending => "progress DESC, a.last_activity_at ASC, a.id",
        CaseloadSort::LastActivityAscending => "a.last_activity_at ASC, a.id",
    };
    let sql = format!(
        "SELECT a.id, a.apprentice_id, a.standard_id, a.start_date, a.expected_end_date, \
                a.last_activity_at, count(*) OVER () AS total \
         FROM apprenticeships a \
         JOIN LATERAL ( \
             SELECT count(*) FILTER (WHERE s.status IN ('evidenced', 'signed_off'))::float8 \
                        / greatest(count(*), 1) AS progress, \
                    count(*) FILTER (WHERE s.status = 'signed_off')::float8 \
                        / greatest(count(*), 1) AS signed_off \
             FROM ksb_statuses s WHERE s.apprenticeship_id = a.id \
         ) p ON true \
         WHERE {condition} \
           AND ($2::int IS NULL OR a.last_activity_at < now() - make_interval(days => $2)) \
           AND (NOT $3 OR p.signed_off < least(1.0, greatest(0.0, \
                (current_date - a.start_date)::float8 / greatest(a.expected_end_date - a.start_date, 1)))) \
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
