//! What a mentor needs beside each KSB waiting for sign-off: its statement and the accepted
//! evidence behind it, for a whole page of the sign-off queue in one statement.

use chrono::NaiveDate;
use diesel::sql_types::{Array, Date, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::evidence::EvidenceKind;

/// One KSB waiting for sign-off on one apprenticeship, with one piece of its accepted evidence
/// (`evidence_id` is `None` only if the kept status ran ahead of the evidence, which the kept
/// figures' tests rule out; the KSB is listed anyway).
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct WaitingKsbRow {
    #[diesel(sql_type = SqlUuid)]
    pub apprenticeship_id: Uuid,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = Text)]
    pub text: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub evidence_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub kind: Option<EvidenceKind>,
    #[diesel(sql_type = Nullable<Date>)]
    pub occurred_on: Option<NaiveDate>,
}

/// The evidenced (not yet signed-off) KSBs of these apprenticeships, in standard order, each
/// with its accepted evidence, newest first: one row per KSB and piece of evidence. Takes a
/// shared connection (pipelining).
pub async fn waiting_ksbs(
    mut conn: &AsyncPgConnection,
    apprenticeship_ids: &[Uuid],
) -> diesel::QueryResult<Vec<WaitingKsbRow>> {
    // The page's accepted evidence is read through the evidence-by-apprenticeship index, not
    // per KSB across every apprenticeship of the standard.
    diesel::sql_query(
        "WITH accepted AS ( \
             SELECT ev.apprenticeship_id, ek.ksb_id, ev.id, ev.title, ev.kind, ev.occurred_on \
             FROM evidence ev JOIN evidence_ksbs ek ON ek.evidence_id = ev.id \
             WHERE ev.apprenticeship_id = ANY($1) AND ev.status = 'accepted' \
         ) \
         SELECT s.apprenticeship_id, k.code, k.text, a.id AS evidence_id, a.title, a.kind, \
                a.occurred_on \
         FROM ksb_statuses s \
         JOIN ksbs k ON k.id = s.ksb_id \
         LEFT JOIN accepted a ON a.apprenticeship_id = s.apprenticeship_id AND a.ksb_id = s.ksb_id \
         WHERE s.apprenticeship_id = ANY($1) AND s.status = 'evidenced' \
         ORDER BY s.apprenticeship_id, k.position, a.occurred_on DESC, a.id",
    )
    .bind::<Array<SqlUuid>, _>(apprenticeship_ids)
    .load(&mut conn)
    .await
}
