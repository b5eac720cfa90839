//! Password-set links: sent by an administrator (made by the delivery worker as the e-mail
//! goes out) or made by an import, used once by the person they are for.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::password_links;

/// A link is valid this long.
pub const LINK_HOURS: i64 = 24;

/// Stores a new link for `user_id` (as its token's hash) and voids the user's earlier unused
/// links. Returns when it expires.
pub async fn create(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    token_hash: &str,
    created_by: Uuid,
) -> QueryResult<DateTime<Utc>> {
    diesel::update(
        password_links::table
            .filter(password_links::user_id.eq(user_id))
            .filter(password_links::used_at.is_null()),
    )
    .set(password_links::used_at.eq(diesel::dsl::now))
    .execute(conn)
    .await?;
    let expires_at = Utc::now() + Duration::hours(LINK_HOURS);
    diesel::insert_into(password_links::table)
        .values((
            password_links::user_id.eq(user_id),
            password_links::token_hash.eq(token_hash),
            password_links::created_by.eq(created_by),
            password_links::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(expires_at)
}

/// Spends the link with this hash: the user it is for, if it was unused and unexpired. The row
/// is locked, so two redemptions of one link cannot both succeed.
pub async fn spend(conn: &mut AsyncPgConnection, token_hash: &str) -> QueryResult<Option<Uuid>> {
    let found: Option<(Uuid, Uuid)> = password_links::table
        .filter(password_links::token_hash.eq(token_hash))
        .filter(password_links::used_at.is_null())
        .filter(password_links::expires_at.gt(diesel::dsl::now))
        .select((password_links::id, password_links::user_id))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some((id, user_id)) = found else {
        return Ok(None);
    };
    diesel::update(password_links::table.find(id))
        .set(password_links::used_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    Ok(Some(user_id))
}

/// Removes links whose e-mail could not be sent.
pub async fn discard(conn: &mut AsyncPgConnection, token_hashes: &[String]) -> QueryResult<()> {
    diesel::delete(password_links::table.filter(password_links::token_hash.eq_any(token_hashes)))
        .execute(conn)
        .await
        .map(drop)
}
