//! The work queues (review, sign-off; OTJ in `otj_queue`): pages over many apprenticeships in
//! one statement each, the page and its total together (`count(*) OVER ()`).

use chrono::{DateTime, Utc};
use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::scope::ApprenticeshipScope;

/// `(SQL condition on alias a, bound uuid)` for a scope. Column names come from this fixed list,
/// never from input.
pub fn scope_sql(scope: ApprenticeshipScope) -> (&'static str, Option<Uuid>) {
    match scope {
        ApprenticeshipScope::All => ("$1::uuid IS NULL", None),
        ApprenticeshipScope::Apprentice(id) => ("a.apprentice_id = $1", Some(id)),
        ApprenticeshipScope::Employer(id) => ("a.employer_id = $1", Some(id)),
        ApprenticeshipScope::Provider(id) => ("a.provider_id = $1", Some(id)),
        ApprenticeshipScope::TutoredBy(id) => ("a.tutor_id = $1", Some(id)),
        ApprenticeshipScope::MentoredBy(id) => ("a.mentor_id = $1", Some(id)),
        ApprenticeshipScope::Nothing => ("a.id IS NULL AND $1::uuid IS NULL", None),
    }
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
