//! Progress reviews and their signatures, and the apprenticeship's kept review figures.
//!
//! The kept figures (latest review, next deadline, unsigned reviews, on break) are recomputed
//! by [`refresh`] in each review or break change's transaction, under the apprenticeship's row
//! lock, from that apprenticeship's reviews and breaks alone: a handful of rows (a review every
//! three months), so a recomputation is as cheap as a delta and cannot drift. The caseload
//! reads the kept columns and never the reviews.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::breaks;
use super::schema::{apprenticeships, progress_reviews, review_signatures, users};
use crate::domain::review;
use crate::domain::review::{ReviewParty, ReviewStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = progress_reviews)]
pub struct Review {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub held_on: NaiveDate,
    pub previous_actions: String,
    pub progress_notes: String,
    pub concerns: String,
    pub next_actions: serde_json::Value,
    pub snapshot: serde_json::Value,
    pub status: ReviewStatus,
    pub version: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields a provider writes.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = progress_reviews)]
pub struct ReviewFields {
    pub held_on: NaiveDate,
    pub previous_actions: String,
    pub progress_notes: String,
    pub concerns: String,
    pub next_actions: serde_json::Value,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    fields: &ReviewFields,
    snapshot: serde_json::Value,
    created_by: Uuid,
) -> QueryResult<Review> {
    diesel::insert_into(progress_reviews::table)
        .values((
            progress_reviews::apprenticeship_id.eq(apprenticeship_id),
            fields,
            progress_reviews::snapshot.eq(snapshot),
            progress_reviews::created_by.eq(created_by),
        ))
        .returning(Review::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Review>> {
    progress_reviews::table
        .find(id)
        .select(Review::as_select())
        .first(conn)
        .await
        .optional()
}

/// Rewrites the fields if the review is still at `version`; `None` otherwise.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    version: i32,
    fields: &ReviewFields,
) -> QueryResult<Option<Review>> {
    diesel::update(
        progress_reviews::table
            .filter(progress_reviews::id.eq(id))
            .filter(progress_reviews::version.eq(version)),
    )
    .set((
        fields,
        progress_reviews::version.eq(progress_reviews::version + 1),
        progress_reviews::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Review::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn set_status(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: ReviewStatus,
) -> QueryResult<()> {
    diesel::update(progress_reviews::table.find(id))
        .set(progress_reviews::status.eq(status.as_str()))
        .execute(conn)
        .await
        .map(drop)
}

/// Newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Review>, i64)> {
    let of =
        progress_reviews::table.filter(progress_reviews::apprenticeship_id.eq(apprenticeship_id));
    let total = of.count().get_result(conn).await?;
    let items = of
        .order((
            progress_reviews::held_on.desc(),
            progress_reviews::created_at.desc(),
        ))
        .limit(limit)
        .offset(offset)
        .select(Review::as_select())
        .load(conn)
        .await?;
    Ok((items, total))
}

/// The latest review held (for a new review's pre-filled actions).
pub async fn latest(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<Option<Review>> {
    Ok(list(conn, apprenticeship_id, 1, 0).await?.0.pop())
}

#[derive(Debug, Clone, Queryable)]
pub struct Signature {
    pub id: Uuid,
    pub review_id: Uuid,
    pub role: ReviewParty,
    pub signer_id: Uuid,
    pub signer_name: String,
    pub content_sha256: String,
    pub signed_at: DateTime<Utc>,
    pub voided_at: Option<DateTime<Utc>>,
    pub voided_by: Option<Uuid>,
    pub void_reason: Option<String>,
}

/// Every signature of these reviews (voided ones too) with the signer's name (an imported
/// one's from its origin), oldest first: one query for a page.
pub async fn signatures(
    conn: &mut AsyncPgConnection,
    review_ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, Vec<Signature>>> {
    let rows: Vec<Signature> = review_signatures::table
        .inner_join(users::table.on(users::id.eq(review_signatures::signer_id)))
        .filter(review_signatures::review_id.eq_any(review_ids))
        .order((review_signatures::signed_at, review_signatures::id))
        .select((
            review_signatures::id,
            review_signatures::review_id,
            review_signatures::role,
            review_signatures::signer_id,
            // An imported signature names its original signer (who may have no account here).
            diesel::dsl::sql::<diesel::sql_types::Text>(
                "COALESCE(review_signatures.origin ->> 'signer_name', users.name)",
            ),
            review_signatures::content_sha256,
            review_signatures::signed_at,
            review_signatures::voided_at,
            review_signatures::voided_by,
            review_signatures::void_reason,
        ))
        .load(conn)
        .await?;
    let mut map: HashMap<Uuid, Vec<Signature>> = HashMap::new();
    for s in rows {
        map.entry(s.review_id).or_default().push(s);
    }
    Ok(map)
}

/// Adds a signature; the partial unique index refuses a second live one for the role.
pub async fn sign(
    conn: &mut AsyncPgConnection,
    review_id: Uuid,
    role: &str,
    signer_id: Uuid,
    content_sha256: &str,
) -> QueryResult<Uuid> {
    diesel::insert_into(review_signatures::table)
        .values((
            review_signatures::review_id.eq(review_id),
            review_signatures::role.eq(role),
            review_signatures::signer_id.eq(signer_id),
            review_signatures::content_sha256.eq(content_sha256),
        ))
        .returning(review_signatures::id)
        .get_result(conn)
        .await
}

/// Voids every live signature of a review; how many.
pub async fn void_signatures(
    conn: &mut AsyncPgConnection,
    review_id: Uuid,
    voided_by: Uuid,
    reason: &str,
) -> QueryResult<usize> {
    diesel::update(
        review_signatures::table
            .filter(review_signatures::review_id.eq(review_id))
            .filter(review_signatures::voided_at.is_null()),
    )
    .set((
        review_signatures::voided_at.eq(diesel::dsl::now),
        review_signatures::voided_by.eq(voided_by),
        review_signatures::void_reason.eq(reason),
    ))
    .execute(conn)
    .await
}

/// The kept review figures of one apprenticeship (also read by the caseload).
#[derive(Debug, Clone, PartialEq, Eq, AsChangeset, Queryable)]
#[diesel(table_name = apprenticeships, treat_none_as_null = true)]
pub struct ReviewFigures {
    pub last_review_on: Option<NaiveDate>,
    pub next_review_due_by: Option<NaiveDate>,
    pub unsigned_reviews: i32,
    pub oldest_unsigned_review_on: Option<NaiveDate>,
    pub on_break: bool,
}

/// The figures recomputed from the apprenticeship's reviews and breaks (not written).
pub async fn compute(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    start_date: NaiveDate,
) -> QueryResult<ReviewFigures> {
    let held: Vec<(NaiveDate, String)> = progress_reviews::table
        .filter(progress_reviews::apprenticeship_id.eq(apprenticeship_id))
        .select((progress_reviews::held_on, progress_reviews::status))
        .load(conn)
        .await?;
    let periods: Vec<_> = breaks::of_apprenticeship(conn, apprenticeship_id)
        .await?
        .iter()
        .map(|b| b.period())
        .collect();
    let last_review_on = held.iter().map(|(on, _)| *on).max();
    let unsigned: Vec<NaiveDate> = held
        .iter()
        .filter(|(_, status)| status != ReviewStatus::Signed.as_str())
        .map(|(on, _)| *on)
        .collect();
    Ok(ReviewFigures {
        last_review_on,
        next_review_due_by: review::next_review_due_by(
            last_review_on.unwrap_or(start_date),
            &periods,
        ),
        unsigned_reviews: i32::try_from(unsigned.len()).unwrap_or(i32::MAX),
        oldest_unsigned_review_on: unsigned.into_iter().min(),
        on_break: periods.iter().any(|p| p.is_open()),
    })
}

/// Recomputes and writes the kept figures. Run after the apprenticeship's row lock.
pub async fn refresh(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    start_date: NaiveDate,
) -> QueryResult<ReviewFigures> {
    let figures = compute(conn, apprenticeship_id, start_date).await?;
    diesel::update(apprenticeships::table.find(apprenticeship_id))
        .set(&figures)
        .execute(conn)
        .await?;
    Ok(figures)
}
