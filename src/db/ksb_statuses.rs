//! The kept status of every KSB of an apprenticeship, with its evidence counts. A new
//! apprenticeship's rows are computed from the raw rows ([`initialise`]); every later change
//! moves the counts of the KSBs it touches by its own delta under row locks ([`apply`]), so two
//! changes at once cannot lose one another, and recomputes their status with the domain rule.
//! The apprenticeship's and its duties' kept progress move by the same delta in the same
//! transaction. Each row also keeps since when its KSB has been evidenced (`evidenced_at`,
//! the rule in `domain::evidenced_at`): the moment the inbox and the caseload show it waiting
//! since. A test checks the kept rows always equal a recomputation from the raw rows
//! ([`compute`]).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::progress::{self, ProgressScope};
use super::schema::{evidence, evidence_ksbs, ksb_statuses, ksbs, signoffs};
use crate::domain::coverage::{EvidenceCounts, KsbStatus, ksb_status};
use crate::domain::evidence::EvidenceStatus;
use crate::domain::evidenced_at;
use crate::domain::status_delta::StatusDelta;

/// One KSB's kept status, with what the coverage endpoint shows of it.
#[derive(Debug, Clone, Queryable)]
pub struct KsbState {
    pub ksb_id: Uuid,
    pub status: KsbStatus,
    pub counts: KeptCounts,
    pub signed_off_at: Option<DateTime<Utc>>,
    pub signed_off_by: Option<Uuid>,
}

/// A KSB's kept evidence counts, by the evidence's status (the columns of `ksb_statuses`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct KeptCounts {
    pub draft: i32,
    pub submitted: i32,
    pub accepted: i32,
    pub changes_requested: i32,
}

impl From<KeptCounts> for EvidenceCounts {
    fn from(kept: KeptCounts) -> Self {
        Self {
            draft: kept.draft,
            submitted: kept.submitted,
            accepted: kept.accepted,
            changes_requested: kept.changes_requested,
        }
    }
}

/// How many times this process repaired kept figures by a full recomputation (logged each time).
pub static KEPT_FIGURE_REPAIRS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A KSB's active sign-off: when, and by whom (`None`: none).
pub type ActiveSignoff = Option<(DateTime<Utc>, Uuid)>;

/// KsbSelection KSBs of an apprenticeship to recompute.
#[derive(Debug, Clone, Copy)]
pub enum KsbSelection<'a> {
    /// Every KSB of the standard (a new apprenticeship, a consistency check).
    All,
    /// Only these KSB rows: the ones a change touched. Keeps each write's upsert small.
    Only(&'a [Uuid]),
}

/// One KSB's status row as computed (or moved by a change), before it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Computed {
    pub ksb_id: Uuid,
    pub status: KsbStatus,
    pub counts: EvidenceCounts,
    /// The active sign-off: when, by whom.
    pub signoff: ActiveSignoff,
    /// Since when the KSB has been evidenced (`None` unless it is).
    pub evidenced_at: Option<DateTime<Utc>>,
}

/// Statuses computed from the raw rows (not written): the rule applied to what is stored.
pub async fn compute(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
    standard_id: Uuid,
    selection: KsbSelection<'_>,
) -> QueryResult<Vec<Computed>> {
    let all_ksbs: Vec<Uuid> = match selection {
        KsbSelection::All => {
            ksbs::table
                .filter(ksbs::standard_id.eq(standard_id))
                .order(ksbs::position)
                .select(ksbs::id)
                .load(&mut conn)
                .await?
        }
        KsbSelection::Only(ids) => ids.to_vec(),
    };
    // With each group's earliest change: for accepted evidence, when it was accepted.
    let counted: Vec<(Uuid, EvidenceStatus, i64, Option<DateTime<Utc>>)> = evidence::table
        .inner_join(evidence_ksbs::table)
        .filter(evidence::apprenticeship_id.eq(apprenticeship_id))
        .filter(evidence::status.ne("withdrawn"))
        .filter(evidence_ksbs::ksb_id.eq_any(&all_ksbs))
        .group_by((evidence_ksbs::ksb_id, evidence::status))
        .select((
            evidence_ksbs::ksb_id,
            evidence::status,
            diesel::dsl::count_star(),
            diesel::dsl::min(evidence::updated_at),
        ))
        .load(&mut conn)
        .await?;
    // Every sign-off, revoked ones too: the latest revocation starts a new wait.
    type SignoffRow = (Uuid, DateTime<Utc>, Uuid, Option<DateTime<Utc>>);
    let signoff_rows: Vec<SignoffRow> = signoffs::table
        .filter(signoffs::apprenticeship_id.eq(apprenticeship_id))
        .filter(signoffs::ksb_id.eq_any(&all_ksbs))
        .select((
            signoffs::ksb_id,
            signoffs::created_at,
            signoffs::signed_off_by,
            signoffs::revoked_at,
        ))
        .load(&mut conn)
        .await?;
    let mut signed: HashMap<Uuid, (DateTime<Utc>, Uuid)> = HashMap::new();
    let mut last_revoked: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    for (ksb, at, by, revoked_at) in signoff_rows {
        match revoked_at {
            None => {
                signed.insert(ksb, (at, by));
            }
            Some(revoked) => {
                let last = last_revoked.entry(ksb).or_insert(revoked);
                *last = (*last).max(revoked);
            }
        }
    }
    let mut counts: HashMap<Uuid, EvidenceCounts> = HashMap::new();
    let mut first_accepted: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    for (ksb, status, n, earliest) in counted {
        counts
            .entry(ksb)
            .or_default()
            .add(status, i32::try_from(n).unwrap_or(i32::MAX));
        if let (EvidenceStatus::Accepted, Some(at)) = (status, earliest) {
            first_accepted.insert(ksb, at);
        }
    }
    Ok(all_ksbs
        .into_iter()
        .map(|ksb| {
            let c = counts.get(&ksb).copied().unwrap_or_default();
            let signoff = signed.get(&ksb).copied();
            let status = ksb_status(&c, signoff.is_some());
            Computed {
                ksb_id: ksb,
                status,
                counts: c,
                signoff,
                evidenced_at: evidenced_at::recomputed(
                    status,
                    first_accepted.get(&ksb).copied(),
                    last_revoked.get(&ksb).copied(),
                ),
            }
        })
        .collect())
}

/// Computes and stores every KSB status of an apprenticeship from the raw rows, then its kept
/// progress: for a new apprenticeship, and to repair counts a delta could not apply to.
pub async fn initialise(
    conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
    standard_id: Uuid,
) -> QueryResult<()> {
    let rows = compute(conn, apprenticeship_id, standard_id, KsbSelection::All).await?;
    write(conn, apprenticeship_id, &rows).await?;
    progress::refresh(
        conn,
        ProgressScope::Apprenticeships(&[apprenticeship_id]),
        true,
    )
    .await
}

/// What a change did to the KSBs of one apprenticeship.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// A piece of evidence went from `before` to `after` (its status and KSB rows); `None`
    /// before: it is new; `None` after: it is deleted.
    Evidence {
        before: Option<(EvidenceStatus, &'a [Uuid])>,
        after: Option<(EvidenceStatus, &'a [Uuid])>,
    },
    /// These KSBs' active sign-offs were made (`Some`: when, by whom; one or a bulk sign-off)
    /// or revoked (`None`).
    SignOff {
        ksbs: &'a [Uuid],
        active: ActiveSignoff,
    },
}

/// Applies a change to the kept statuses of the KSBs it touches and to the kept progress, and
/// marks activity on the apprenticeship: what every change to a portfolio does, in its
/// transaction. Returns the KSBs the change made `evidenced` (ready to sign off).
pub async fn apply(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
    standard_id: Uuid,
    change: Change<'_>,
) -> QueryResult<Vec<Uuid>> {
    let mut deltas: HashMap<Uuid, EvidenceCounts> = HashMap::new();
    let mut signoff: Option<(&[Uuid], ActiveSignoff)> = None;
    match change {
        Change::Evidence { before, after } => {
            for (status, ksbs, n) in [(before, -1), (after, 1)]
                .into_iter()
                .filter_map(|(side, n)| side.map(|(status, ksbs)| (status, ksbs, n)))
            {
                for ksb in ksbs {
                    deltas.entry(*ksb).or_default().add(status, n);
                }
            }
            deltas.retain(|_, delta| *delta != EvidenceCounts::default());
        }
        Change::SignOff { ksbs, active } => signoff = Some((ksbs, active)),
    }
    let mut touched: Vec<Uuid> = deltas
        .keys()
        .copied()
        .chain(signoff.into_iter().flat_map(|s| s.0.iter().copied()))
        .collect();
    touched.sort();
    touched.dedup();
    let mut delta = StatusDelta::default();
    if !touched.is_empty() {
        // Locked, so a concurrent change to the same KSBs waits and then sees these counts. With
        // the transaction's time: the moment a KSB this change makes evidenced became so.
        let kept: Vec<(KsbState, Option<DateTime<Utc>>, DateTime<Utc>)> = ksb_statuses::table
            .filter(ksb_statuses::apprenticeship_id.eq(apprenticeship_id))
            .filter(ksb_statuses::ksb_id.eq_any(&touched))
            .select((
                (
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
                ),
                ksb_statuses::evidenced_at,
                diesel::dsl::sql::<diesel::sql_types::Timestamptz>("now()"),
            ))
            .for_update()
            .load(&mut conn)
            .await?;
        let mut rows: Vec<Computed> = Vec::with_capacity(kept.len());
        for (row, kept_evidenced_at, now) in &kept {
            let ksb = &row.ksb_id;
            let mut counts = EvidenceCounts::from(row.counts);
            if let Some(delta) = deltas.get(ksb) {
                counts.merge(delta);
            }
            let active = match signoff {
                Some((signed, active)) if signed.contains(ksb) => active,
                _ => row.signed_off_at.zip(row.signed_off_by),
            };
            let old = row.status;
            let new = ksb_status(&counts, active.is_some());
            delta.record(*ksb, old, new);
            rows.push(Computed {
                ksb_id: *ksb,
                status: new,
                counts,
                signoff: active,
                evidenced_at: evidenced_at::after_change(old, new, *kept_evidenced_at, *now),
            });
        }
        let missing = kept.len() != touched.len();
        if missing || rows.iter().any(|r| !r.counts.is_possible()) {
            // Kept rows missing or counts that cannot be: recompute from the raw rows instead,
            // and say so: a repair means something wrote around the kept figures.
            let reason = if missing {
                "kept status rows missing"
            } else {
                "a kept count would go negative"
            };
            let repairs =
                KEPT_FIGURE_REPAIRS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            tracing::warn!(
                %apprenticeship_id,
                reason,
                repairs_since_start = repairs,
                "kept KSB figures repaired by a full recomputation"
            );
            // The repair reports no KSB as newly evidenced: it knows no before.
            return initialise(conn, apprenticeship_id, standard_id)
                .await
                .map(|()| Vec::new());
        }
        // Pipelined: the statuses and the progress they moved in one round trip.
        futures_util::try_join!(
            write(conn, apprenticeship_id, &rows),
            progress::apply(conn, apprenticeship_id, &delta)
        )?;
        return Ok(delta.became_evidenced());
    }
    progress::apply(conn, apprenticeship_id, &delta).await?;
    Ok(Vec::new())
}

/// Stores these statuses (insert or replace).
async fn write(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
    computed: &[Computed],
) -> QueryResult<()> {
    let rows: Vec<_> = computed
        .iter()
        .map(|r| {
            (
                ksb_statuses::apprenticeship_id.eq(apprenticeship_id),
                ksb_statuses::ksb_id.eq(r.ksb_id),
                ksb_statuses::status.eq(r.status.as_str()),
                ksb_statuses::draft.eq(r.counts.draft),
                ksb_statuses::submitted.eq(r.counts.submitted),
                ksb_statuses::accepted.eq(r.counts.accepted),
                ksb_statuses::changes_requested.eq(r.counts.changes_requested),
                ksb_statuses::signed_off_at.eq(r.signoff.map(|s| s.0)),
                ksb_statuses::signed_off_by.eq(r.signoff.map(|s| s.1)),
                ksb_statuses::evidenced_at.eq(r.evidenced_at),
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
            ksb_statuses::evidenced_at.eq(excluded(ksb_statuses::evidenced_at)),
        ))
        .execute(&mut conn)
        .await
        .map(drop)
}

/// The kept statuses of one apprenticeship's KSBs (in no particular order), in one query that
/// reads the covering primary key only. Takes a shared connection (pipelining).
pub async fn of_apprenticeship(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<Vec<KsbState>> {
    ksb_statuses::table
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
        ))
        .load(&mut conn)
        .await
}
