//! Idempotency keys: the first response to a creating POST, kept per user and key.
//!
//! [`claim`] runs inside the creating transaction. Its insert takes the key; a concurrent retry
//! with the same key blocks on the unique index until the first transaction ends, then finds the
//! stored response. So a retry never creates twice, even when it races the original.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::idempotency_keys;

/// What an earlier request with the same key left.
#[derive(Debug, Clone)]
pub enum Claim {
    /// The key is new: go ahead, then [`complete`] it.
    New,
    /// Same key, same request: answer this again.
    Replay {
        status: u16,
        body: serde_json::Value,
    },
    /// Same key, another request.
    Mismatch,
}

pub async fn claim(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    key: &str,
    request_hash: &str,
) -> QueryResult<Claim> {
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let (hash, status, body): (String, Option<i32>, Option<serde_json::Value>) =
        idempotency_keys::table
            .find((user_id, key))
            .select((
                idempotency_keys::request_hash,
                idempotency_keys::status,
                idempotency_keys::response_body,
            ))
            .first(conn)
            .await?;
    if hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    Ok(Claim::Replay {
        status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(200),
        body: body.unwrap_or(serde_json::Value::Null),
    })
}

pub async fn complete(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    key: &str,
    status: u16,
    body: &serde_json::Value,
) -> QueryResult<()> {
    diesel::update(idempotency_keys::table.find((user_id, key)))
        .set((
            idempotency_keys::status.eq(i32::from(status)),
            idempotency_keys::response_body.eq(body),
        ))
        .execute(conn)
        .await
        .map(drop)
}
