//! Everything open on a set of apprenticeships, and who holds it: the rows of the inbox, and
//! ([`oldest_open`]) the recomputation that the caseload's kept `waiting_on` rows must equal
//! (migration `000400_kept_waiting` keeps them with the same branches, the review deadline left
//! to `domain::inbox::oldest_waiting`; a test compares the two). Each list is one
//! statement whatever its size (`UNION ALL` of one branch per kind of item, over the
//! apprenticeships of a scope); the meaning of each kind is `domain::inbox::InboxKind`. A KSB
//! waits since the moment it became evidenced, kept on its status row (`ksb_statuses.
//! evidenced_at`, see `db::ksb_statuses`), so the page's evidence is not read for it.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::prepared_sql::{Bind, PreparedSql};
use super::queues::scope_sql;
use crate::domain::review::{DUE_SOON_DAYS, ReviewParty};
use crate::domain::scope::ApprenticeshipScope;

/// The open items (`items`: kind, holder, apprenticeship_id, apprentice_id, subject, target_id,
/// waiting_since) of the apprenticeships matching `condition` (on alias `a`, with `$1`), on the
/// day `$2`. The condition comes from a fixed list (`scope_sql`, or the caseload's ids), never
/// from input.
fn open_items(condition: &str) -> String {
    let soon = DUE_SOON_DAYS;
    format!(
        "WITH scoped AS MATERIALIZED ( \
             SELECT a.id, a.apprentice_id, a.next_review_due_by FROM apprenticeships a \
             WHERE {condition} \
         ), \
         items AS ( \
             SELECT 'ksb_ready'::text AS kind, 'employer'::text AS holder, \
                    a.id AS apprenticeship_id, a.apprentice_id, k.code AS subject, \
                    NULL::uuid AS target_id, s.evidenced_at AS waiting_since \
             FROM scoped a JOIN ksb_statuses s ON s.apprenticeship_id = a.id \
             JOIN ksbs k ON k.id = s.ksb_id \
             WHERE s.status = 'evidenced' \
           UNION ALL \
             SELECT 'evidence_to_review', 'provider', a.id, a.apprentice_id, e.title, e.id, \
                    coalesce(e.submitted_at, e.updated_at) \
             FROM scoped a JOIN evidence e ON e.apprenticeship_id = a.id \
             WHERE e.status = 'submitted' \
           UNION ALL \
             SELECT 'evidence_sent_back', 'apprentice', a.id, a.apprentice_id, e.title, e.id, \
                    e.updated_at \
             FROM scoped a JOIN evidence e ON e.apprenticeship_id = a.id \
             WHERE e.status = 'changes_requested' \
           UNION ALL \
             SELECT CASE o.status WHEN 'pending' THEN 'otj_to_approve' ELSE 'otj_rejected' END, \
                    CASE o.status WHEN 'pending' THEN 'provider' ELSE 'apprentice' END, \
                    a.id, a.apprentice_id, \
                    o.minutes || ' minutes of off-the-job training on ' \
                        || to_char(o.occurred_on, 'FMDD FMMonth YYYY'), \
                    o.id, coalesce(o.reviewed_at, o.updated_at) \
             FROM scoped a JOIN otj_entries o ON o.apprenticeship_id = a.id \
             WHERE o.status IN ('pending', 'rejected') \
           UNION ALL \
             SELECT CASE WHEN a.next_review_due_by < $2 THEN 'review_overdue' \
                         ELSE 'review_due' END, \
                    'provider', a.id, a.apprentice_id, \
                    'Progress review due by ' || to_char(a.next_review_due_by, 'FMDD FMMonth YYYY'), \
                    NULL::uuid, \
                    (CASE WHEN a.next_review_due_by < $2 THEN a.next_review_due_by + 1 \
                          ELSE a.next_review_due_by - {soon} END)::timestamp AT TIME ZONE 'UTC' \
             FROM scoped a WHERE a.next_review_due_by <= $2 + {soon} \
           UNION ALL \
             SELECT 'review_to_sign', p.party, a.id, a.apprentice_id, \
                    'Progress review held on ' || to_char(r.held_on, 'FMDD FMMonth YYYY'), r.id, \
                    greatest(r.created_at, (SELECT max(v.voided_at) FROM review_signatures v \
                                            WHERE v.review_id = r.id)) \
             FROM scoped a JOIN progress_reviews r ON r.apprenticeship_id = a.id \
             CROSS JOIN (VALUES ('apprentice'), ('employer'), ('provider')) AS p (party) \
             WHERE r.status <> 'signed' AND NOT EXISTS ( \
                 SELECT 1 FROM review_signatures g \
                 WHERE g.review_id = r.id AND g.role = p.party AND g.voided_at IS NULL) \
         ) "
    )
}

#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct InboxRow {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = SqlUuid)]
    pub apprenticeship_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub apprentice_id: Uuid,
    #[diesel(sql_type = Text)]
    pub subject: String,
    /// The evidence, OTJ entry or review the item is about (`None` for KSBs and deadlines).
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub target_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    pub waiting_since: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

/// A page of the items `party` holds on the apprenticeships of `scope`, oldest first, with the
/// total of all of them: one statement, kept prepared.
pub async fn page(
    conn: &mut AsyncPgConnection,
    scope: ApprenticeshipScope,
    party: ReviewParty,
    today: NaiveDate,
    limit: i64,
    offset: i64,
) -> diesel::QueryResult<Vec<InboxRow>> {
    let (condition, bound) = scope_sql(scope);
    let sql = format!(
        "{} SELECT i.kind, i.apprenticeship_id, i.apprentice_id, i.subject, i.target_id, \
                   i.waiting_since, count(*) OVER () AS total \
            FROM items i WHERE i.holder = $3 \
            ORDER BY i.waiting_since, i.kind, i.apprenticeship_id, i.subject, i.target_id \
            LIMIT $4 OFFSET $5",
        open_items(condition)
    );
    let binds = vec![
        Bind::NullableUuid(bound),
        Bind::Date(today),
        Bind::Text(party.as_str()),
        Bind::BigInt(limit),
        Bind::BigInt(offset),
    ];
    PreparedSql::new(sql, binds).load(conn).await
}

#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct WaitingRow {
    #[diesel(sql_type = SqlUuid)]
    pub apprenticeship_id: Uuid,
    /// The party holding the oldest open item.
    #[diesel(sql_type = Text)]
    pub holder: String,
    #[diesel(sql_type = Timestamptz)]
    pub waiting_since: DateTime<Utc>,
}

/// For each of these apprenticeships with anything open, who holds the oldest open item and
/// since when, recomputed from every open item: what the kept rows the caseload reads give
/// (`domain::inbox::oldest_waiting`). One statement, kept prepared. Takes a shared connection
/// (pipelining).
pub async fn oldest_open(
    mut conn: &AsyncPgConnection,
    apprenticeship_ids: &[Uuid],
    today: NaiveDate,
) -> diesel::QueryResult<Vec<WaitingRow>> {
    let sql = format!(
        "{} SELECT DISTINCT ON (i.apprenticeship_id) i.apprenticeship_id, i.holder, \
                   i.waiting_since \
            FROM items i ORDER BY i.apprenticeship_id, i.waiting_since, i.holder",
        open_items("a.id = ANY($1)")
    );
    PreparedSql::new(
        sql,
        vec![Bind::Uuids(apprenticeship_ids), Bind::Date(today)],
    )
    .load(&mut conn)
    .await
}
