//! What every change to a piece of evidence records in its transaction: a revision snapshot,
//! the kept status of each KSB it touches (`db::ksb_statuses`), the audit row, and the mentor's
//! notification for KSBs it made ready to sign off.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::api::authenticated::Authenticated;
use crate::db::apprenticeships::Apprenticeship;
use crate::db::evidence::{self as db_evidence, Evidence};
use crate::db::{audit, ksb_statuses};
use crate::domain::evidence::EvidenceStatus;
use crate::error::AppResult;
use crate::notifications;

/// The KSBs of a piece of evidence after a change.
pub enum KsbLinks<'a> {
    /// Not changed by this change: read from the database.
    Stored,
    /// Set by this change: row ids and codes in standard order, and the KSB rows it was mapped
    /// to before (none for new evidence).
    Set {
        ids: &'a [Uuid],
        codes: &'a [String],
        before: &'a [Uuid],
    },
}

/// A change to a piece of evidence, as [`record_evidence_change`] records it.
pub struct EvidenceChange<'a> {
    /// The evidence as it is now.
    pub row: &'a Evidence,
    /// Its status before the change; `None`: it is new.
    pub was: Option<EvidenceStatus>,
    pub ksbs: KsbLinks<'a>,
}

/// What every change to a piece of evidence does, in its transaction: a revision snapshot, the
/// kept status of each KSB it touches (and the apprenticeship's progress and last activity), and
/// the audit row.
pub async fn record_evidence_change(
    conn: &AsyncPgConnection,
    auth: &Authenticated,
    apprenticeship: &Apprenticeship,
    change: EvidenceChange<'_>,
    action: &str,
    summary: serde_json::Value,
) -> AppResult<()> {
    let row = change.row;
    let stored;
    let (ids, codes, before): (&[Uuid], &[String], &[Uuid]) = match change.ksbs {
        KsbLinks::Stored => {
            stored = db_evidence::ksbs(conn, row.id).await?;
            (&stored.0, &stored.1, &stored.0)
        }
        KsbLinks::Set { ids, codes, before } => (ids, codes, before),
    };
    let entry = crate::api::audit_entry::entry(
        auth,
        action,
        "evidence",
        row.id,
        vec![apprenticeship.employer_id, apprenticeship.provider_id],
        summary,
    );
    // Pipelined: the revision, the kept statuses and the audit row in as few round trips as
    // the statuses need.
    let (_, evidenced, _) = futures_util::try_join!(
        db_evidence::add_revision(conn, row, codes, auth.actor.user_id),
        ksb_statuses::apply(
            conn,
            apprenticeship.id,
            apprenticeship.standard_id,
            ksb_statuses::Change::Evidence {
                before: change.was.map(|status| (status, before)),
                after: Some((row.status, ids)),
            },
        ),
        audit::record(conn, entry),
    )?;
    let ready = ids
        .iter()
        .zip(codes)
        .filter(|(id, _)| evidenced.contains(id));
    let ready: Vec<String> = ready.map(|(_, code)| code.clone()).collect();
    notifications::ksbs_evidenced(conn, auth.actor.user_id, apprenticeship, &ready).await?;
    Ok(())
}
