//! Off-the-job training entries, their KSB links, and the apprenticeship's kept OTJ figures.
//!
//! The kept figures (`apprenticeships.otj_approved_minutes`, `otj_pending_minutes`) move by
//! each change's delta (`domain::otj::delta`) in the change's transaction, after the
//! apprenticeship's row is locked (`apprenticeships::lock`), so concurrent changes cannot lose
//! one another and the daily cap is checked against a total nobody else is changing. Entry
//! writes are conditional on the status (and version) they were read with, so of two racing
//! reviews exactly one applies. [`recompute`] sums the entries, for the test that checks the
//! kept figures.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{apprenticeships, ksbs, otj_entries, otj_entry_ksbs};
use crate::domain::otj::OtjDelta;
use crate::domain::otj::{OtjActivity, OtjStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = otj_entries)]
pub struct OtjEntry {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub occurred_on: NaiveDate,
    pub minutes: i32,
    pub activity: OtjActivity,
    pub description: String,
    pub status: OtjStatus,
    pub version: i32,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an apprentice writes.
#[derive(Debug, Clone)]
pub struct OtjContent {
    pub occurred_on: NaiveDate,
    pub minutes: i32,
    pub activity: String,
    pub description: String,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    content: &OtjContent,
    created_by: Uuid,
) -> QueryResult<OtjEntry> {
    diesel::insert_into(otj_entries::table)
        .values((
            otj_entries::apprenticeship_id.eq(apprenticeship_id),
            otj_entries::occurred_on.eq(content.occurred_on),
            otj_entries::minutes.eq(content.minutes),
            otj_entries::activity.eq(&content.activity),
            otj_entries::description.eq(&content.description),
            otj_entries::created_by.eq(created_by),
        ))
        .returning(OtjEntry::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<OtjEntry>> {
    otj_entries::table
        .find(id)
        .select(OtjEntry::as_select())
        .first(conn)
        .await
        .optional()
}

/// Rewrites the content if the entry is still at `version` and in `status`, sending it back to
/// pending (a rejected entry edited is reviewed again). `None`: it changed meanwhile.
pub async fn update_content(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    version: i32,
    status: &str,
    content: &OtjContent,
) -> QueryResult<Option<OtjEntry>> {
    diesel::update(
        otj_entries::table
            .filter(otj_entries::id.eq(id))
            .filter(otj_entries::version.eq(version))
            .filter(otj_entries::status.eq(status)),
    )
    .set((
        otj_entries::occurred_on.eq(content.occurred_on),
        otj_entries::minutes.eq(content.minutes),
        otj_entries::activity.eq(&content.activity),
        otj_entries::description.eq(&content.description),
        otj_entries::status.eq("pending"),
        otj_entries::reviewed_by.eq(None::<Uuid>),
        otj_entries::reviewed_at.eq(None::<DateTime<Utc>>),
        otj_entries::rejection_reason.eq(None::<String>),
        otj_entries::version.eq(otj_entries::version + 1),
        otj_entries::updated_at.eq(diesel::dsl::now),
    ))
    .returning(OtjEntry::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// Records a decision on a pending entry; `None` if it is no longer pending.
pub async fn review(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: &str,
    reviewer: Uuid,
    rejection_reason: Option<&str>,
) -> QueryResult<Option<OtjEntry>> {
    diesel::update(
        otj_entries::table
            .filter(otj_entries::id.eq(id))
            .filter(otj_entries::status.eq("pending")),
    )
    .set((
        otj_entries::status.eq(status),
        otj_entries::reviewed_by.eq(reviewer),
        otj_entries::reviewed_at.eq(diesel::dsl::now),
        otj_entries::rejection_reason.eq(rejection_reason),
        otj_entries::version.eq(otj_entries::version + 1),
        otj_entries::updated_at.eq(diesel::dsl::now),
    ))
    .returning(OtjEntry::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// Deletes the entry if it is still in `status`; whether it did.
pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid, status: &str) -> QueryResult<bool> {
    let deleted = diesel::delete(
        otj_entries::table
            .filter(otj_entries::id.eq(id))
            .filter(otj_entries::status.eq(status)),
    )
    .execute(conn)
    .await?;
    Ok(deleted == 1)
}

/// Minutes of pending and approved entries on `day`, leaving out `except` (the entry being
/// edited). Run after the apprenticeship's row lock.
pub async fn day_total(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    day: NaiveDate,
    except: Option<Uuid>,
) -> QueryResult<i64> {
    let mut query = otj_entries::table
        .filter(otj_entries::apprenticeship_id.eq(apprenticeship_id))
        .filter(otj_entries::occurred_on.eq(day))
        .filter(otj_entries::status.ne("rejected"))
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(otj_entries::id.ne(id));
    }
    let total: Option<i64> = query
        .select(diesel::dsl::sum(otj_entries::minutes))
        .first(conn)
        .await?;
    Ok(total.unwrap_or(0))
}

/// Moves the kept figures by `delta` (nothing to write when it is zero).
pub async fn move_kept(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    delta: OtjDelta,
) -> QueryResult<()> {
    if delta.is_zero() {
        return Ok(());
    }
    use apprenticeships::{otj_approved_minutes, otj_pending_minutes};
    diesel::update(apprenticeships::table.find(apprenticeship_id))
        .set((
            otj_approved_minutes.eq(otj_approved_minutes + delta.approved),
            otj_pending_minutes.eq(otj_pending_minutes + delta.pending),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The figures recomputed from the entries: what the kept ones must equal.
pub async fn recompute(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<OtjDelta> {
    let rows: Vec<(String, Option<i64>)> = otj_entries::table
        .filter(otj_entries::apprenticeship_id.eq(apprenticeship_id))
        .group_by(otj_entries::status)
        .select((otj_entries::status, diesel::dsl::sum(otj_entries::minutes)))
        .load(conn)
        .await?;
    let of = |status: &str| {
        rows.iter()
            .find(|(s, _)| s == status)
            .and_then(|(_, n)| *n)
            .unwrap_or(0)
    };
    Ok(OtjDelta {
        approved: of("approved"),
        pending: of("pending"),
    })
}

pub async fn set_ksbs(
    conn: &mut AsyncPgConnection,
    entry_id: Uuid,
    ksb_ids: &[Uuid],
) -> QueryResult<()> {
    diesel::delete(otj_entry_ksbs::table.filter(otj_entry_ksbs::entry_id.eq(entry_id)))
        .execute(conn)
        .await?;
    if ksb_ids.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = ksb_ids
        .iter()
        .map(|k| {
            (
                otj_entry_ksbs::entry_id.eq(entry_id),
                otj_entry_ksbs::ksb_id.eq(*k),
            )
        })
        .collect();
    diesel::insert_into(otj_entry_ksbs::table)
        .values(rows)
        .execute(conn)
        .await
        .map(drop)
}

/// KSB codes of each entry, in standard order: one query for a whole page.
pub async fn ksb_codes(
    conn: &mut AsyncPgConnection,
    entry_ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, Vec<String>>> {
    let rows: Vec<(Uuid, String)> = otj_entry_ksbs::table
        .inner_join(ksbs::table)
        .filter(otj_entry_ksbs::entry_id.eq_any(entry_ids))
        .order((otj_entry_ksbs::entry_id, ksbs::position))
        .select((otj_entry_ksbs::entry_id, ksbs::code))
        .load(conn)
        .await?;
    Ok(super::grouped(rows))
}

/// Filters of the OTJ list.
#[derive(Debug, Clone, Default)]
pub struct OtjFilter {
    pub status: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

fn filtered(apprenticeship_id: Uuid, filter: &OtjFilter) -> otj_entries::BoxedQuery<'static, Pg> {
    let mut query = otj_entries::table
        .filter(otj_entries::apprenticeship_id.eq(apprenticeship_id))
        .into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(otj_entries::status.eq(status.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(otj_entries::occurred_on.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(otj_entries::occurred_on.le(to));
    }
    query
}

/// Newest day first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    apprenticeship_id: Uuid,
    filter: &OtjFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<OtjEntry>, i64)> {
    let total = filtered(apprenticeship_id, filter)
        .count()
        .get_result(conn)
        .await?;
    let items = filtered(apprenticeship_id, filter)
        .order((
            otj_entries::occurred_on.desc(),
            otj_entries::created_at.desc(),
            otj_entries::id,
        ))
        .limit(limit)
        .offset(offset)
        .select(OtjEntry::as_select())
        .load(conn)
        .await?;
    Ok((items, total))
}
