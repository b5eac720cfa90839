//! Idempotency keys: the first response to a creating POST, kept per user and key for 24 hours.
//!
//! [`claim`] runs inside the creating transaction. Its insert takes the key; a concurrent retry
//! with the same key blocks on the unique index until the first transaction ends, then finds the
//! stored response. So a retry never creates twice, even when it races the original. A key older
//! than 24 hours is taken afresh by the same insert, whether or not [`sweep_expired`]
//! has removed it yet.

use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{attachments, evidence, idempotency_keys, otj_entries};
use crate::domain::labels::labelled_enum;

labelled_enum! {
    /// The kinds of created thing a later request may delete.
    pub enum DeletableKind {
        Evidence => "evidence",
        Attachment => "attachment",
        OtjEntry => "otj_entry",
    }
}

/// A created thing a later request may delete, kept with the response so that a replay after the
/// deletion answers 404 rather than the deleted object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deletable {
    pub kind: DeletableKind,
    pub id: Uuid,
}

/// What an earlier request with the same key left.
#[derive(Debug, Clone)]
pub enum Claim {
    /// The key is new (or expired): go ahead, then [`complete`] it.
    New,
    /// Same key, same request: answer this again.
    Replay {
        status: u16,
        body: serde_json::Value,
    },
    /// Same key, same request, but what it created has since been deleted.
    Deleted(DeletableKind),
    /// Same key, another request.
    Mismatch,
}

#[derive(Queryable)]
struct Kept {
    request_hash: String,
    status: Option<i32>,
    response_body: Option<serde_json::Value>,
    created_kind: Option<DeletableKind>,
    created_id: Option<Uuid>,
}

/// Keys past their lifetime, by the database's clock (the one that stamped them).
fn expired() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql(EXPIRED)
}

/// How long a key holds its response: a client retrying later than this makes a new request.
const EXPIRED: &str = "idempotency_keys.created_at < now() - interval '24 hours'";

pub async fn claim(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    key: &str,
    request_hash: &str,
) -> QueryResult<Claim> {
    // A fresh key is inserted; an expired one is taken over as if new; a live one is left alone.
    let take = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
        ))
        .on_conflict((idempotency_keys::user_id, idempotency_keys::key))
        .do_update()
        .set((
            idempotency_keys::request_hash.eq(excluded(idempotency_keys::request_hash)),
            idempotency_keys::status.eq(None::<i32>),
            idempotency_keys::response_body.eq(None::<serde_json::Value>),
            idempotency_keys::created_kind.eq(None::<DeletableKind>),
            idempotency_keys::created_id.eq(None::<Uuid>),
            idempotency_keys::created_at.eq(diesel::dsl::now),
        ));
    // `ON CONFLICT … DO UPDATE … WHERE` (the upsert's own filter, not the query one).
    let taken = diesel::query_dsl::methods::FilterDsl::filter(take, expired())
        .execute(conn)
        .await?;
    if taken == 1 {
        return Ok(Claim::New);
    }
    let kept: Kept = idempotency_keys::table
        .find((user_id, key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::status,
            idempotency_keys::response_body,
            idempotency_keys::created_kind,
            idempotency_keys::created_id,
        ))
        .first(conn)
        .await?;
    if kept.request_hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    if let (Some(kind), Some(id)) = (kept.created_kind, kept.created_id)
        && !exists(conn, Deletable { kind, id }).await?
    {
        return Ok(Claim::Deleted(kind));
    }
    // The claim and its completion commit together, so a kept row always has both.
    let (Some(status), Some(body)) = (kept.status, kept.response_body) else {
        return Err(diesel::result::Error::NotFound);
    };
    let status = u16::try_from(status).map_err(|e| {
        diesel::result::Error::DeserializationError(format!("stored status {status}: {e}").into())
    })?;
    Ok(Claim::Replay { status, body })
}

async fn exists(conn: &mut AsyncPgConnection, created: Deletable) -> QueryResult<bool> {
    let id = created.id;
    match created.kind {
        DeletableKind::Evidence => {
            diesel::select(diesel::dsl::exists(evidence::table.find(id)))
                .get_result(conn)
                .await
        }
        DeletableKind::Attachment => {
            diesel::select(diesel::dsl::exists(attachments::table.find(id)))
                .get_result(conn)
                .await
        }
        DeletableKind::OtjEntry => {
            diesel::select(diesel::dsl::exists(otj_entries::table.find(id)))
                .get_result(conn)
                .await
        }
    }
}

pub async fn complete(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    key: &str,
    status: u16,
    body: &serde_json::Value,
    created: Option<Deletable>,
) -> QueryResult<()> {
    diesel::update(idempotency_keys::table.find((user_id, key)))
        .set((
            idempotency_keys::status.eq(i32::from(status)),
            idempotency_keys::response_body.eq(body),
            idempotency_keys::created_kind.eq(created.map(|c| c.kind)),
            idempotency_keys::created_id.eq(created.map(|c| c.id)),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Removes the keys past their lifetime; returns how many.
pub async fn sweep_expired(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(expired()))
        .execute(conn)
        .await
}

/// Sweeps expired keys now and then every hour, for as long as the runtime lives. Several
/// processes may sweep at once: each deletes what is expired, and a second finds nothing.
pub fn spawn_sweep(pool: super::DbPool) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            let result = async {
                let mut conn = pool.get().await.map_err(|e| e.to_string())?;
                sweep_expired(&mut conn).await.map_err(|e| e.to_string())
            }
            .await;
            match result {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "expired idempotency keys removed"),
                Err(error) => tracing::warn!(%error, "the idempotency key sweep failed"),
            }
        }
    });
}
