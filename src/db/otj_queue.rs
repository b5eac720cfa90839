//! The provider's queue of off-the-job entries waiting for a decision: one statement for a page
//! (with the total of the whole queue), whatever the page size.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::queues::scope_sql;
use crate::domain::scope::ApprenticeshipScope;

#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct OtjQueueRow {
    #[diesel(sql_type = SqlUuid)]
    pub entry_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub apprenticeship_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub apprentice_id: Uuid,
    #[diesel(sql_type = Date)]
    pub occurred_on: NaiveDate,
    #[diesel(sql_type = Integer)]
    pub minutes: i32,
    #[diesel(sql_type = Text)]
    pub activity: String,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

/// Pending entries of the apprenticeships in scope, longest waiting first.
pub async fn pending(
    conn: &mut AsyncPgConnection,
    scope: ApprenticeshipScope,
    limit: i64,
    offset: i64,
) -> diesel::QueryResult<Vec<OtjQueueRow>> {
    let (condition, bound) = scope_sql(scope);
    let sql = format!(
        "SELECT o.id AS entry_id, o.apprenticeship_id, a.apprentice_id, o.occurred_on, o.minutes, \
                o.activity, o.description, o.created_at, count(*) OVER () AS total \
         FROM otj_entries o JOIN apprenticeships a ON a.id = o.apprenticeship_id \
         WHERE o.status = 'pending' AND {condition} \
         ORDER BY o.created_at ASC, o.id LIMIT $2 OFFSET $3"
    );
    diesel::sql_query(sql)
        .bind::<Nullable<SqlUuid>, _>(bound)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
        .await
}
