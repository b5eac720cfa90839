//! Sign-in sessions and their rotating refresh tokens.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{refresh_tokens, sessions};
use crate::domain::identity::SignInMethod;

/// A refresh token lives 14 days: a session unused that long ends (the sliding lifetime).
pub const REFRESH_TOKEN_DAYS: i64 = 14;
/// A session ends 30 days after its sign-in whatever its use (the absolute lifetime; the
/// column default in the `sessions` table says the same).
pub const SESSION_DAYS: i64 = 30;

/// A session signed in with a password.
pub async fn create(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Uuid> {
    create_with(conn, user_id, SignInMethod::Password).await
}

/// A session signed in by `method`. Its write position starts at the primary's position now,
/// which covers every write the user made before signing in on another device
/// (read-your-writes, [`record_write`]).
pub async fn create_with(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    method: SignInMethod,
) -> QueryResult<Uuid> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::user_id.eq(user_id),
            sessions::method.eq(method),
            sessions::last_write_lsn.eq(pg_current_wal_lsn().nullable()),
        ))
        .returning(sessions::id)
        .get_result(conn)
        .await
}

pub async fn add_refresh_token(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
    token_hash: &str,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::expires_at.eq(Utc::now() + Duration::days(REFRESH_TOKEN_DAYS)),
        ))
        .execute(conn)
        .await
        .map(drop)
}

#[derive(Debug, Clone, Queryable)]
pub struct PresentedToken {
    pub token_id: Uuid,
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub session_revoked_at: Option<DateTime<Utc>>,
    pub session_expires_at: DateTime<Utc>,
}

impl PresentedToken {
    /// Whether the token may still be exchanged (reuse is judged apart).
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.session_revoked_at.is_none() && self.expires_at > now && self.session_expires_at > now
    }
}

/// The token with this hash and its session, locked for the rest of the transaction so two
/// concurrent refreshes cannot both spend it.
pub async fn find_token_for_update(
    conn: &mut AsyncPgConnection,
    token_hash: &str,
) -> QueryResult<Option<PresentedToken>> {
    refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select((
            refresh_tokens::id,
            sessions::id,
            sessions::user_id,
            refresh_tokens::expires_at,
            refresh_tokens::used_at,
            sessions::revoked_at,
            sessions::expires_at,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()
}

pub async fn mark_used(conn: &mut AsyncPgConnection, token_id: Uuid) -> QueryResult<()> {
    diesel::update(refresh_tokens::table.find(token_id))
        .set(refresh_tokens::used_at.eq(diesel::dsl::now))
        .execute(conn)
        .await
        .map(drop)
}

/// Ends a session: its refresh tokens and access tokens stop working.
pub async fn revoke(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
    reason: &str,
) -> QueryResult<()> {
    diesel::update(
        sessions::table
            .find(session_id)
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(diesel::dsl::now),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .await
    .map(drop)
}

/// Ends every open session of a user (deactivation, a password change): all their refresh and
/// access tokens stop working at once. Returns how many sessions were ended.
pub async fn revoke_all_for_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    reason: &str,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(diesel::dsl::now),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .await
}

/// Ends every open session of a user but `keep` (a password change keeps the session it was
/// made in). Returns how many sessions were ended.
pub async fn revoke_all_but(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    keep: Uuid,
    reason: &str,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(diesel::dsl::now),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .await
}

diesel::define_sql_function! {
    /// SQL `pg_current_wal_lsn()`: how far the primary has written its WAL.
    fn pg_current_wal_lsn() -> diesel::sql_types::PgLsn;
}

/// Records, on every live session of `user_id`, the primary's WAL position now: called after a
/// write request of that user has committed, so the position covers the commit, and any later
/// request of the user, on any session and any app node, reads from the replica only once it
/// has replayed that far (`db::replica`). One statement; it changes an unindexed column (a HOT
/// update).
pub async fn record_write(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::expires_at.gt(diesel::dsl::now)),
    )
    .set(sessions::last_write_lsn.eq(pg_current_wal_lsn().nullable()))
    .execute(conn)
    .await
}
