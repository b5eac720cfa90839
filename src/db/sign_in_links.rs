//! Sign-in links: made when the e-mail carrying them is sent, used once by the person they are
//! for. Kept as the SHA-256 of the token, like password links (`db::password_links`).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::sign_in_links;
use crate::domain::labels::labelled_enum;

labelled_enum! {
    /// What a link is for, and so how long it lives.
    pub enum Purpose {
        /// Asked for on the sign-in page: 15 minutes, void once a newer one is sent.
        Request => "request",
        /// Inside a notification e-mail: 72 hours, opens the item's page.
        Notification => "notification",
    }
}

impl Purpose {
    pub fn lifetime(self) -> Duration {
        match self {
            Self::Request => Duration::minutes(15),
            Self::Notification => Duration::hours(72),
        }
    }
}

/// Stores a link for `user_id` (as its token's hash) opening `target`. A request link voids the
/// user's earlier unused request links; the user's advisory lock makes two links sent at once
/// for one person wait for each other, so exactly one stays valid. Returns when it expires.
pub async fn create(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    token_hash: &str,
    purpose: Purpose,
    target: &str,
) -> QueryResult<DateTime<Utc>> {
    if purpose == Purpose::Request {
        diesel::sql_query(
            "SELECT pg_advisory_xact_lock(hashtextextended('sign-in link ' || $1, 0))",
        )
        .bind::<diesel::sql_types::Text, _>(user_id.to_string())
        .execute(conn)
        .await?;
        diesel::update(
            sign_in_links::table
                .filter(sign_in_links::user_id.eq(user_id))
                .filter(sign_in_links::purpose.eq(purpose))
                .filter(sign_in_links::used_at.is_null()),
        )
        .set(sign_in_links::used_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    }
    let expires_at = Utc::now() + purpose.lifetime();
    diesel::insert_into(sign_in_links::table)
        .values((
            sign_in_links::user_id.eq(user_id),
            sign_in_links::token_hash.eq(token_hash),
            sign_in_links::purpose.eq(purpose),
            sign_in_links::target.eq(target),
            sign_in_links::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(expires_at)
}

/// A spent link: whose it was and where it leads.
#[derive(Debug, Clone)]
pub struct Spent {
    pub user_id: Uuid,
    pub target: String,
    pub purpose: Purpose,
}

/// Spends the link with this hash if it is unused and unexpired. The row is locked, so two
/// redemptions of one link cannot both succeed.
pub async fn spend(conn: &mut AsyncPgConnection, token_hash: &str) -> QueryResult<Option<Spent>> {
    let found: Option<(Uuid, Uuid, String, Purpose)> = sign_in_links::table
        .filter(sign_in_links::token_hash.eq(token_hash))
        .filter(sign_in_links::used_at.is_null())
        .filter(sign_in_links::expires_at.gt(diesel::dsl::now))
        .select((
            sign_in_links::id,
            sign_in_links::user_id,
            sign_in_links::target,
            sign_in_links::purpose,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some((id, user_id, target, purpose)) = found else {
        return Ok(None);
    };
    diesel::update(sign_in_links::table.find(id))
        .set(sign_in_links::used_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    Ok(Some(Spent {
        user_id,
        target,
        purpose,
    }))
}

/// Removes links whose e-mail could not be sent: nobody has them.
pub async fn discard(conn: &mut AsyncPgConnection, token_hashes: &[String]) -> QueryResult<()> {
    diesel::delete(sign_in_links::table.filter(sign_in_links::token_hash.eq_any(token_hashes)))
        .execute(conn)
        .await
        .map(drop)
}
