//! The gateway's rows: English and maths, the declarations, the portfolio index a declaration
//! attests, and the freeze (`apprenticeships.gateway_declared_at`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{apprenticeships, english_maths, evidence, gateway_declarations};
use crate::domain::enrolment::ApprenticeshipStatus;
use crate::domain::gateway::{FunctionalSkillStatus, IndexedEvidence};
use crate::domain::review::ReviewParty;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = english_maths)]
pub struct EnglishMathsRow {
    pub apprenticeship_id: Uuid,
    pub english: FunctionalSkillStatus,
    pub maths: FunctionalSkillStatus,
    pub note: String,
    pub recorded_by: Uuid,
    pub recorded_at: DateTime<Utc>,
}

/// Takes a shared connection, so it can run pipelined with other reads.
pub async fn english_maths(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<Option<EnglishMathsRow>> {
    english_maths::table
        .find(apprenticeship_id)
        .select(EnglishMathsRow::as_select())
        .first(&mut conn)
        .await
        .optional()
}

/// Writes the record, replacing any earlier one.
pub async fn put_english_maths(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    english: FunctionalSkillStatus,
    maths: FunctionalSkillStatus,
    note: &str,
    recorded_by: Uuid,
) -> QueryResult<EnglishMathsRow> {
    let values = (
        english_maths::apprenticeship_id.eq(apprenticeship_id),
        english_maths::english.eq(english),
        english_maths::maths.eq(maths),
        english_maths::note.eq(note),
        english_maths::recorded_by.eq(recorded_by),
        english_maths::recorded_at.eq(diesel::dsl::now),
    );
    diesel::insert_into(english_maths::table)
        .values(values)
        .on_conflict(english_maths::apprenticeship_id)
        .do_update()
        .set(values)
        .returning(EnglishMathsRow::as_returning())
        .get_result(conn)
        .await
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = gateway_declarations)]
pub struct DeclarationRow {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub role: ReviewParty,
    pub signer_id: Uuid,
    pub signed_at: DateTime<Utc>,
    pub content_sha256: String,
    pub voided_at: Option<DateTime<Utc>>,
    pub voided_by: Option<Uuid>,
    pub void_reason: Option<String>,
}

/// Every declaration of the apprenticeship, live and voided, oldest first. Shared connection.
pub async fn declarations(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<Vec<DeclarationRow>> {
    gateway_declarations::table
        .filter(gateway_declarations::apprenticeship_id.eq(apprenticeship_id))
        .order((
            gateway_declarations::signed_at.asc(),
            gateway_declarations::id.asc(),
        ))
        .select(DeclarationRow::as_select())
        .load(&mut conn)
        .await
}

pub async fn insert_declaration(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    role: ReviewParty,
    signer_id: Uuid,
    content_sha256: &str,
) -> QueryResult<DeclarationRow> {
    diesel::insert_into(gateway_declarations::table)
        .values((
            gateway_declarations::apprenticeship_id.eq(apprenticeship_id),
            gateway_declarations::role.eq(role),
            gateway_declarations::signer_id.eq(signer_id),
            gateway_declarations::content_sha256.eq(content_sha256),
        ))
        .returning(DeclarationRow::as_returning())
        .get_result(conn)
        .await
}

/// Voids the live declarations among `ids` (all live ones when `ids` is `None`); `voided_by`
/// is `None` when the system voids them (the portfolio changed after they were made). Returns
/// how many were voided.
pub async fn void_declarations(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    ids: Option<&[Uuid]>,
    voided_by: Option<Uuid>,
    reason: &str,
) -> QueryResult<usize> {
    let mut target = gateway_declarations::table
        .filter(gateway_declarations::apprenticeship_id.eq(apprenticeship_id))
        .filter(gateway_declarations::voided_at.is_null())
        .into_boxed();
    if let Some(ids) = ids {
        target = target.filter(gateway_declarations::id.eq_any(ids.to_vec()));
    }
    let ids: Vec<Uuid> = target.select(gateway_declarations::id).load(conn).await?;
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::update(gateway_declarations::table.filter(gateway_declarations::id.eq_any(&ids)))
        .set((
            gateway_declarations::voided_at.eq(diesel::dsl::now),
            gateway_declarations::voided_by.eq(voided_by),
            gateway_declarations::void_reason.eq(reason),
        ))
        .execute(conn)
        .await
}

/// Freezes (`Some`) or unfreezes (`None`) the portfolio.
pub async fn set_declared_at(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    declared_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    diesel::update(apprenticeships::table.find(apprenticeship_id))
        .set(apprenticeships::gateway_declared_at.eq(declared_at))
        .execute(conn)
        .await
        .map(drop)
}

/// The portfolio index: every evidence item with its revision. Shared connection.
pub async fn evidence_index(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<Vec<IndexedEvidence>> {
    let rows: Vec<(Uuid, i32)> = evidence::table
        .filter(evidence::apprenticeship_id.eq(apprenticeship_id))
        .select((evidence::id, evidence::version))
        .load(&mut conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, revision)| IndexedEvidence { id, revision })
        .collect())
}

/// Locks the apprenticeship's row until the transaction ends (as
/// [`super::apprenticeships::lock`]) and tells whether the portfolio is frozen at gateway: the
/// declaration that freezes it takes the same lock, so a change that passes this check commits
/// before the portfolio freezes, or waits and is refused.
pub async fn lock_and_read_declared_at(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<Option<DateTime<Utc>>> {
    apprenticeships::table
        .find(apprenticeship_id)
        .select(apprenticeships::gateway_declared_at)
        .for_update()
        .first(conn)
        .await
}

/// As [`lock_and_read_declared_at`], with where the enrolment stands: a change checks both
/// under the one lock (the import that ends an enrolment as `transferred` takes it too).
pub async fn lock_and_read_standing(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<(Option<DateTime<Utc>>, ApprenticeshipStatus)> {
    apprenticeships::table
        .find(apprenticeship_id)
        .select((
            apprenticeships::gateway_declared_at,
            apprenticeships::status,
        ))
        .for_update()
        .first(conn)
        .await
}

/// When the portfolio was frozen at gateway, without a lock (for reads). Shared connection.
pub async fn declared_at(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<Option<DateTime<Utc>>> {
    apprenticeships::table
        .find(apprenticeship_id)
        .select(apprenticeships::gateway_declared_at)
        .first(&mut conn)
        .await
}
