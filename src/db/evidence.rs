//! Evidence rows, their KSB links and their revisions.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{evidence, evidence_ksbs, evidence_revisions, ksbs, users};
use crate::domain::evidence::{EvidenceKind, EvidenceStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = evidence)]
pub struct Evidence {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub title: String,
    pub description: String,
    pub kind: EvidenceKind,
    pub occurred_on: NaiveDate,
    pub status: EvidenceStatus,
    pub version: i32,
    pub submitted_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The editable content of a piece of evidence.
#[derive(Debug, Clone)]
pub struct Content {
    pub title: String,
    pub description: String,
    pub kind: EvidenceKind,
    pub occurred_on: NaiveDate,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    content: &Content,
    created_by: Uuid,
) -> QueryResult<Evidence> {
    diesel::insert_into(evidence::table)
        .values((
            evidence::apprenticeship_id.eq(apprenticeship_id),
            evidence::title.eq(&content.title),
            evidence::description.eq(&content.description),
            evidence::kind.eq(&content.kind),
            evidence::occurred_on.eq(content.occurred_on),
            evidence::created_by.eq(created_by),
        ))
        .returning(Evidence::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Evidence>> {
    evidence::table
        .find(id)
        .select(Evidence::as_select())
        .first(conn)
        .await
        .optional()
}

/// Replaces the content if the row is still at `expected_version`; `None` when another change
/// came first (the caller answers 412).
pub async fn update_content(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    expected_version: i32,
    content: &Content,
) -> QueryResult<Option<Evidence>> {
    diesel::update(
        evidence::table
            .find(id)
            .filter(evidence::version.eq(expected_version)),
    )
    .set((
        evidence::title.eq(&content.title),
        evidence::description.eq(&content.description),
        evidence::kind.eq(&content.kind),
        evidence::occurred_on.eq(content.occurred_on),
        evidence::version.eq(evidence::version + 1),
        evidence::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Evidence::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// Moves the evidence to `status` if it is still in `from` (so two racing transitions cannot
/// both apply); `None` otherwise.
pub async fn set_status(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    from: &str,
    status: &str,
    withdrawn_reason: Option<&str>,
) -> QueryResult<Option<Evidence>> {
    // The transaction's time, as every kept figure the same change moves (a KSB this
    // acceptance makes evidenced has been so since exactly this `updated_at`).
    let now = diesel::dsl::now;
    diesel::update(evidence::table.find(id).filter(evidence::status.eq(from)))
        .set((
            evidence::status.eq(status),
            evidence::version.eq(evidence::version + 1),
            evidence::updated_at.eq(now),
            (status == "submitted").then_some(evidence::submitted_at.eq(now)),
            (status == "withdrawn").then_some(evidence::withdrawn_at.eq(now)),
            withdrawn_reason.map(|r| evidence::withdrawn_reason.eq(r)),
        ))
        .returning(Evidence::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// A new version of the evidence with the same content and status, if it is still in `status`
/// (so a change racing a submit cannot slip in after it); `None` otherwise. Locks the row.
pub async fn bump_version(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: &str,
) -> QueryResult<Option<Evidence>> {
    diesel::update(evidence::table.find(id).filter(evidence::status.eq(status)))
        .set((
            evidence::version.eq(evidence::version + 1),
            evidence::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Evidence::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// Deletes the evidence if it is (still) a draft; `false` if it was not.
pub async fn delete_draft(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::delete(
        evidence::table
            .find(id)
            .filter(evidence::status.eq("draft")),
    )
    .execute(conn)
    .await
    .map(|n| n == 1)
}

/// Links the evidence to exactly these KSB rows.
pub async fn set_ksbs(
    conn: &mut AsyncPgConnection,
    evidence_id: Uuid,
    ksb_ids: &[Uuid],
) -> QueryResult<()> {
    diesel::delete(evidence_ksbs::table.filter(evidence_ksbs::evidence_id.eq(evidence_id)))
        .execute(conn)
        .await?;
    add_ksbs(conn, evidence_id, ksb_ids).await
}

/// Links new evidence (which has no links yet) to these KSB rows.
pub async fn add_ksbs(
    mut conn: &AsyncPgConnection,
    evidence_id: Uuid,
    ksb_ids: &[Uuid],
) -> QueryResult<()> {
    let rows: Vec<_> = ksb_ids
        .iter()
        .map(|k| {
            (
                evidence_ksbs::evidence_id.eq(evidence_id),
                evidence_ksbs::ksb_id.eq(*k),
            )
        })
        .collect();
    diesel::insert_into(evidence_ksbs::table)
        .values(&rows)
        .execute(&mut conn)
        .await
        .map(drop)
}

/// The KSBs a piece of evidence is mapped to: row ids and codes, in standard order.
pub async fn ksbs(
    mut conn: &AsyncPgConnection,
    evidence_id: Uuid,
) -> QueryResult<(Vec<Uuid>, Vec<String>)> {
    let rows: Vec<(Uuid, String)> = evidence_ksbs::table
        .inner_join(ksbs::table)
        .filter(evidence_ksbs::evidence_id.eq(evidence_id))
        .order(ksbs::position)
        .select((ksbs::id, ksbs::code))
        .load(&mut conn)
        .await?;
    Ok(rows.into_iter().unzip())
}

/// The KSB rows a piece of evidence is mapped to.
pub async fn ksb_ids(conn: &mut AsyncPgConnection, evidence_id: Uuid) -> QueryResult<Vec<Uuid>> {
    evidence_ksbs::table
        .filter(evidence_ksbs::evidence_id.eq(evidence_id))
        .select(evidence_ksbs::ksb_id)
        .load(conn)
        .await
}

/// KSB codes of each piece of evidence, in standard order, in one query.
pub async fn ksb_codes(
    conn: &mut AsyncPgConnection,
    evidence_ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, Vec<String>>> {
    let rows: Vec<(Uuid, String)> = evidence_ksbs::table
        .inner_join(ksbs::table)
        .filter(evidence_ksbs::evidence_id.eq_any(evidence_ids))
        .order((evidence_ksbs::evidence_id, ksbs::position))
        .select((evidence_ksbs::evidence_id, ksbs::code))
        .load(conn)
        .await?;
    Ok(super::grouped(rows))
}

/// Filters of the evidence list.
#[derive(Debug, Clone, Default)]
pub struct EvidenceFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    /// A KSB row id.
    pub ksb_id: Option<Uuid>,
}

fn filtered(apprenticeship_id: Uuid, filter: &EvidenceFilter) -> evidence::BoxedQuery<'static, Pg> {
    let mut query = evidence::table
        .filter(evidence::apprenticeship_id.eq(apprenticeship_id))
        .into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(evidence::status.eq(status.clone()));
    }
    if let Some(kind) = &filter.kind {
        query = query.filter(evidence::kind.eq(kind.clone()));
    }
    if let Some(ksb_id) = filter.ksb_id {
        query = query.filter(
            evidence::id.eq_any(
                evidence_ksbs::table
                    .filter(evidence_ksbs::ksb_id.eq(ksb_id))
                    .select(evidence_ksbs::evidence_id),
            ),
        );
    }
    query
}

/// Newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    filter: &EvidenceFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Evidence>, i64)> {
    let total = filtered(apprenticeship_id, filter)
        .count()
        .get_result(conn)
        .await?;
    let items = filtered(apprenticeship_id, filter)
        .order((evidence::created_at.desc(), evidence::id))
        .limit(limit)
        .offset(offset)
        .select(Evidence::as_select())
        .load(conn)
        .await?;
    Ok((items, total))
}

#[derive(Debug, Clone, Queryable)]
pub struct Revision {
    pub version: i32,
    pub title: String,
    pub description: String,
    pub kind: EvidenceKind,
    pub occurred_on: NaiveDate,
    pub ksbs: Vec<Option<String>>,
    pub status: EvidenceStatus,
    pub edited_by: Uuid,
    pub edited_by_name: String,
    pub created_at: DateTime<Utc>,
    pub note: Option<String>,
}

/// Keeps a snapshot of the evidence as it is now.
pub async fn add_revision(
    conn: &AsyncPgConnection,
    row: &Evidence,
    ksb_codes: &[String],
    edited_by: Uuid,
) -> QueryResult<()> {
    add_noted_revision(conn, row, ksb_codes, edited_by, None).await
}

/// A snapshot with a note of what changed besides the content (an attachment removed).
pub async fn add_noted_revision(
    mut conn: &AsyncPgConnection,
    row: &Evidence,
    ksb_codes: &[String],
    edited_by: Uuid,
    note: Option<&str>,
) -> QueryResult<()> {
    let codes: Vec<Option<String>> = ksb_codes.iter().cloned().map(Some).collect();
    diesel::insert_into(evidence_revisions::table)
        .values((
            evidence_revisions::evidence_id.eq(row.id),
            evidence_revisions::version.eq(row.version),
            evidence_revisions::title.eq(&row.title),
            evidence_revisions::description.eq(&row.description),
            evidence_revisions::kind.eq(&row.kind),
            evidence_revisions::occurred_on.eq(row.occurred_on),
            evidence_revisions::ksbs.eq(codes),
            evidence_revisions::status.eq(&row.status),
            evidence_revisions::edited_by.eq(edited_by),
            evidence_revisions::note.eq(note),
        ))
        .execute(&mut conn)
        .await
        .map(drop)
}

/// Every revision, oldest first.
pub async fn revisions(
    conn: &mut AsyncPgConnection,
    evidence_id: Uuid,
) -> QueryResult<Vec<Revision>> {
    evidence_revisions::table
        .inner_join(users::table)
        .filter(evidence_revisions::evidence_id.eq(evidence_id))
        .order(evidence_revisions::version)
        .select((
            evidence_revisions::version,
            evidence_revisions::title,
            evidence_revisions::description,
            evidence_revisions::kind,
            evidence_revisions::occurred_on,
            evidence_revisions::ksbs,
            evidence_revisions::status,
            evidence_revisions::edited_by,
            users::name,
            evidence_revisions::created_at,
            evidence_revisions::note,
        ))
        .load(conn)
        .await
}
