//! Everything of one apprenticeship's portfolio for an export, in a fixed number of statements
//! whatever its size: every evidence item with its KSB codes, latest decision and attachments,
//! the sign-offs and the OTJ entries. (Reviews, coverage and readiness come from their own
//! modules.)

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::attachments::Attachment;
use super::evidence::Evidence;
use super::otj::OtjEntry;
use super::schema::{
    attachments, evidence, evidence_ksbs, evidence_reviews, ksbs, otj_entries, signoffs,
};
use super::signoffs::Signoff;

/// The latest review decision on one evidence item.
#[derive(Debug, Clone, Queryable)]
pub struct Decision {
    pub evidence_id: Uuid,
    pub reviewer_id: Uuid,
    pub decision: String,
    pub decided_at: DateTime<Utc>,
    /// Set on an imported decision: who really decided (`reviewer`).
    pub origin: Option<serde_json::Value>,
}

/// The rows of a portfolio, each list in a stable order.
#[derive(Debug, Clone, Default)]
pub struct PortfolioRows {
    /// Oldest first (by date, then creation).
    pub evidence: Vec<Evidence>,
    /// `(evidence id, KSB code)`, in the standard's order.
    pub evidence_ksbs: Vec<(Uuid, String)>,
    /// The latest decision per evidence item that has one.
    pub decisions: Vec<Decision>,
    pub attachments: Vec<Attachment>,
    /// Live and revoked, with the KSB code and, for an imported one, its origin.
    pub signoffs: Vec<(Signoff, String, Option<serde_json::Value>)>,
    pub otj: Vec<OtjEntry>,
}

/// Six statements, pipelined on the shared connection.
pub async fn rows(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<PortfolioRows> {
    let of_apprenticeship = evidence::apprenticeship_id.eq(apprenticeship_id);
    let mut c1 = conn;
    let mut c2 = conn;
    let mut c3 = conn;
    let mut c4 = conn;
    let mut c5 = conn;
    let evidence_rows = evidence::table
        .filter(of_apprenticeship)
        .order((
            evidence::occurred_on.asc(),
            evidence::created_at.asc(),
            evidence::id.asc(),
        ))
        .select(Evidence::as_select())
        .load(&mut conn);
    let codes = evidence_ksbs::table
        .inner_join(evidence::table)
        .inner_join(ksbs::table)
        .filter(of_apprenticeship)
        .order((evidence_ksbs::evidence_id.asc(), ksbs::position.asc()))
        .select((evidence_ksbs::evidence_id, ksbs::code))
        .load::<(Uuid, String)>(&mut c1);
    let decisions = evidence_reviews::table
        .inner_join(evidence::table)
        .filter(of_apprenticeship)
        .distinct_on(evidence_reviews::evidence_id)
        .order((
            evidence_reviews::evidence_id.asc(),
            evidence_reviews::created_at.desc(),
        ))
        .select((
            evidence_reviews::evidence_id,
            evidence_reviews::reviewer_id,
            evidence_reviews::decision,
            evidence_reviews::created_at,
            evidence_reviews::origin,
        ))
        .load::<Decision>(&mut c2);
    let files = attachments::table
        .inner_join(evidence::table)
        .filter(of_apprenticeship)
        .order((
            attachments::evidence_id.asc(),
            attachments::created_at.asc(),
            attachments::id.asc(),
        ))
        .select(Attachment::as_select())
        .load(&mut c3);
    let signed = signoffs::table
        .inner_join(ksbs::table)
        .filter(signoffs::apprenticeship_id.eq(apprenticeship_id))
        .order((ksbs::position.asc(), signoffs::created_at.asc()))
        .select((Signoff::as_select(), ksbs::code, signoffs::origin))
        .load::<(Signoff, String, Option<serde_json::Value>)>(&mut c4);
    let time = otj_entries::table
        .filter(otj_entries::apprenticeship_id.eq(apprenticeship_id))
        .order((
            otj_entries::occurred_on.asc(),
            otj_entries::created_at.asc(),
        ))
        .select(OtjEntry::as_select())
        .load(&mut c5);
    let (evidence, evidence_ksbs, decisions, attachments, signoffs, otj) =
        futures_util::try_join!(evidence_rows, codes, decisions, files, signed, time)?;
    Ok(PortfolioRows {
        evidence,
        evidence_ksbs,
        decisions,
        attachments,
        signoffs,
        otj,
    })
}
