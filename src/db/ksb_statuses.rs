//! The kept status of every KSB of an apprenticeship. [`refresh`] recomputes one apprenticeship
//! from its raw evidence and sign-off rows with the domain rule; every change calls it in its
//! own transaction, so the table always equals a recomputation.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::progress::{self, Whose};
use super::schema::{evidence, evidence_ksbs, ksb_statuses, ksbs, signoffs, users};
use crate::domain::coverage::{EvidenceCounts, KsbStatus, ksb_status};
use crate::domain::evidence::EvidenceStatus;

/// One KSB's kept status, with what the coverage endpoint shows of it.
#[derive(Debug, Clone, Queryable)]
pub struct KsbState {
    pub ksb_id: Uuid,
    pub status: String,
    pub counts: (i32, i32, i32, i32),
    pub signed_off_at: Option<DateTime<Utc>>,
    pub signed_off_by: Option<Uuid>,
    pub signed_off_by_name: Option<String>,
}

/// Which KSBs of an apprenticeship to recompute.
#[derive(Debug, Clone, Copy)]
pub enum Which<'a> {
    /// Every KSB of the standard (a new apprenticeship, a consistency check).
    All,
    /// Only these KSB rows: the ones a change touched. Keeps each write's upsert small.
    Only(&'a [Uuid]),
}

/// A KSB row id, its status, its evidence counts, and its active sign-off (when, by whom).
pub type Computed = (
    Uuid,
    KsbStatus,
    EvidenceCounts,
    Option<(DateTime<Utc>, Uuid)>,
);

/// Statuses computed from the raw rows (not written): the rule applied to what is stored.
pub async fn compute(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    standard_id: Uuid,
    which: Which<'_>,
) -> QueryResult<Vec<Computed>> {
    let all_ksbs: Vec<Uuid> = match which {
        Which::All => {
            ksbs::table
                .filter(ksbs::standard_id.eq(standard_id))
                .order(ksbs::position)
                .select(ksbs::id)
                .load(conn)
                .await?
        }
        Which::Only(ids) => ids.to_vec(),
    };
    let counted: Vec<(Uuid, String, i64)> = evidence::table
        .inner_join(evidence_ksbs::table)
        .filter(evidence::apprenticeship_id.eq(apprenticeship_id))
        .filter(evidence::status.ne("withdrawn"))
        .filter(evidence_ksbs::ksb_id.eq_any(&all_ksbs))
        .group_by((evidence_ksbs::ksb_id, evidence::status))
        .select((
            evidence_ksbs::ksb_id,
            evidence::status,
            diesel::dsl::count_star(),
        ))
        .load(conn)
        .await?;
    let signed: HashMap<Uuid, (DateTime<Utc>, Uuid)> = signoffs::table
        .filter(signoffs::apprenticeship_id.eq(apprenticeship_id))
        .filter(signoffs::revoked_at.is_null())
        .filter(signoffs::ksb_id.eq_any(&all_ksbs))
        .select((
            signoffs::ksb_id,
            signoffs::created_at,
            signoffs::signed_off_by,
        ))
        .load::<(Uuid, DateTime<Utc>, Uuid)>(conn)
        .await?
        .into_iter()
        .map(|(k, at, by)| (k, (at, by)))
        .collect();
    let mut counts: HashMap<Uuid, EvidenceCounts> = HashMap::new();
    for (ksb, status, n) in counted {
        if let Some(status) = EvidenceStatus::parse(&status) {
            counts
                .entry(ksb)
                .or_default()
                .add(status, i32::try_from(n).unwrap_or(i32::MAX));
        }
    }
    Ok(all_ksbs
        .into_iter()
        .map(|ksb| {
            let c = counts.get(&ksb).copied().unwrap_or_default();
            let signoff = signed.get(&ksb).copied();
            (ksb, ksb_status(&c, signoff.is_some()), c, signoff)
        })
        .collect())
}

/// Recomputes and stores the status of the chosen KSBs of one apprenticeship, then its kept
/// progress ([`progress::refresh`]), and marks activity on it now: what every change to a
/// portfolio does, in the change's transaction.
pub async fn refresh(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    standard_id: Uuid,
    which: Which<'_>,
) -> QueryResult<()> {
    if !matches!(which, Which::Only([])) {
        store(conn, apprenticeship_id, standard_id, which).await?;
    }
    progress::refresh(conn, Whose::Apprenticeships(&[apprenticeship_id]), true).await
}

async fn store(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    standard_id: Uuid,
    which: Which<'_>,
) -> QueryResult<()> {
    let rows: Vec<_> = compute(conn, apprenticeship_id, standard_id, which)
        .await?
        .into_iter()
        .map(|(ksb, status, c, signoff)| {
            (
                ksb_statuses::apprenticeship_id.eq(apprenticeship_id),
                ksb_statuses::ksb_id.eq(ksb),
                ksb_statuses::status.eq(status.as_str()),
                ksb_statuses::draft.eq(c.draft),
                ksb_statuses::submitted.eq(c.submitted),
                ksb_statuses::accepted.eq(c.accepted),
                ksb_statuses::changes_requested.eq(c.changes_requested),
                ksb_statuses::signed_off_at.eq(signoff.map(|s| s.0)),
                ksb_statuses::signed_off_by.eq(signoff.map(|s| s.1)),
            )
        })
        .collect();
    diesel::insert_into(ksb_statuses::table)
        .values(&rows)
        .on_conflict((ksb_statuses::apprenticeship_id, ksb_statuses::ksb_id))
        .do_update()
        .set((
            ksb_statuses::status.eq(excluded(ksb_statuses::status)),
            ksb_statuses::draft.eq(excluded(ksb_statuses::draft)),
            ksb_statuses::submitted.eq(excluded(ksb_statuses::submitted)),
            ksb_statuses::accepted.eq(excluded(ksb_statuses::accepted)),
            ksb_statuses::changes_requested.eq(excluded(ksb_statuses::changes_requested)),
            ksb_statuses::signed_off_at.eq(excluded(ksb_statuses::signed_off_at)),
            ksb_statuses::signed_off_by.eq(excluded(ksb_statuses::signed_off_by)),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The kept statuses of one apprenticeship's KSBs (in no particular order), in one query.
pub async fn of_apprenticeship(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<Vec<KsbState>> {
    ksb_statuses::table
        .left_join(users::table)
        .filter(ksb_statuses::apprenticeship_id.eq(apprenticeship_id))
        .select((
            ksb_statuses::ksb_id,
            ksb_statuses::status,
            (
                ksb_statuses::draft,
                ksb_statuses::submitted,
                ksb_statuses::accepted,
                ksb_statuses::changes_requested,
            ),
            ksb_statuses::signed_off_at,
            ksb_statuses::signed_off_by,
            users::name.nullable(),
        ))
        .load(conn)
        .await
}
