//! Employer sign-offs of KSBs. At most one active sign-off per KSB (a partial unique index).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{ksbs, signoffs};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = signoffs)]
pub struct Signoff {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub ksb_id: Uuid,
    pub signed_off_by: Uuid,
    pub comment: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<Uuid>,
    pub revoked_reason: Option<String>,
    /// `None` only until the start-up backfill reaches a sign-off made before hashes were kept.
    pub content_sha256: Option<String>,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    ksb_id: Uuid,
    by: Uuid,
    comment: &str,
) -> QueryResult<Signoff> {
    insert_many(conn, apprenticeship_id, &[ksb_id], by, comment)
        .await?
        .pop()
        .ok_or(diesel::result::Error::NotFound)
}

/// One sign-off per KSB row, all made now by `by` with the same comment (a bulk sign-off), in
/// one statement; the partial unique index refuses a KSB already signed off.
pub async fn insert_many(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    ksb_ids: &[Uuid],
    by: Uuid,
    comment: &str,
) -> QueryResult<Vec<Signoff>> {
    let rows: Vec<_> = ksb_ids
        .iter()
        .map(|ksb_id| {
            (
                signoffs::apprenticeship_id.eq(apprenticeship_id),
                signoffs::ksb_id.eq(*ksb_id),
                signoffs::signed_off_by.eq(by),
                signoffs::comment.eq(comment),
            )
        })
        .collect();
    diesel::insert_into(signoffs::table)
        .values(rows)
        .returning(Signoff::as_returning())
        .get_results(conn)
        .await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Signoff>> {
    signoffs::table
        .find(id)
        .select(Signoff::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Revokes an active sign-off; `None` if it was already revoked.
pub async fn revoke(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    by: Uuid,
    reason: &str,
) -> QueryResult<Option<Signoff>> {
    diesel::update(
        signoffs::table
            .find(id)
            .filter(signoffs::revoked_at.is_null()),
    )
    .set((
        signoffs::revoked_at.eq(diesel::dsl::now),
        signoffs::revoked_by.eq(by),
        signoffs::revoked_reason.eq(reason),
    ))
    .returning(Signoff::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// Every sign-off of an apprenticeship, revoked ones too, newest first, with the KSB code.
pub async fn list(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<Vec<(Signoff, String)>> {
    signoffs::table
        .inner_join(ksbs::table)
        .filter(signoffs::apprenticeship_id.eq(apprenticeship_id))
        .order((signoffs::created_at.desc(), signoffs::id))
        .select((Signoff::as_select(), ksbs::code))
        .load(conn)
        .await
}
