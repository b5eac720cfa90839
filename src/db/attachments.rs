//! Attachment rows; the bytes are in [`crate::storage`].

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::attachments;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = attachments)]
pub struct Attachment {
    pub id: Uuid,
    pub evidence_id: Uuid,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut AsyncPgConnection, row: &Attachment) -> QueryResult<()> {
    diesel::insert_into(attachments::table)
        .values(row)
        .execute(conn)
        .await
        .map(drop)
}

pub async fn list(conn: &mut AsyncPgConnection, evidence_id: Uuid) -> QueryResult<Vec<Attachment>> {
    attachments::table
        .filter(attachments::evidence_id.eq(evidence_id))
        .order((attachments::created_at, attachments::id))
        .select(Attachment::as_select())
        .load(conn)
        .await
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    evidence_id: Uuid,
    id: Uuid,
) -> QueryResult<Option<Attachment>> {
    attachments::table
        .filter(attachments::evidence_id.eq(evidence_id))
        .filter(attachments::id.eq(id))
        .select(Attachment::as_select())
        .first(conn)
        .await
        .optional()
}

/// Deletes one attachment row of the evidence, returning it; `None` when there is none.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    evidence_id: Uuid,
    id: Uuid,
) -> QueryResult<Option<Attachment>> {
    diesel::delete(
        attachments::table
            .filter(attachments::evidence_id.eq(evidence_id))
            .filter(attachments::id.eq(id)),
    )
    .returning(Attachment::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn storage_keys(
    conn: &mut AsyncPgConnection,
    evidence_id: Uuid,
) -> QueryResult<Vec<String>> {
    attachments::table
        .filter(attachments::evidence_id.eq(evidence_id))
        .select(attachments::storage_key)
        .load(conn)
        .await
}

/// Which of `keys` belong to an attachment row (for the orphan sweep).
pub async fn existing_keys(
    conn: &mut AsyncPgConnection,
    keys: &[String],
) -> QueryResult<Vec<String>> {
    attachments::table
        .filter(attachments::storage_key.eq_any(keys))
        .select(attachments::storage_key)
        .load(conn)
        .await
}
