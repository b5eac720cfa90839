//! The counts behind sign-in throttling: one row per account (`sign_in_throttle`) and one row per
//! admitted attempt of a client address (`login_failures`). The rules that read them are in
//! `auth::throttle`; the caller runs these inside one transaction so that counting an attempt
//! and deciding about it cannot interleave with a concurrent attempt.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::{login_failures, sign_in_throttle};

/// The kept record of one account (by lower-cased e-mail).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sign_in_throttle)]
#[diesel(treat_none_as_null = true)]
pub struct AccountRecord {
    pub email: String,
    pub attempts: i32,
    pub lockouts: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_attempt_at: DateTime<Utc>,
}

/// The account's record, locked until the end of the transaction (created when missing, for
/// known and unknown e-mails alike, so the answer never tells which accounts exist).
pub async fn account_for_update(
    conn: &mut AsyncPgConnection,
    email: &str,
) -> QueryResult<AccountRecord> {
    let email = email.to_lowercase();
    diesel::insert_into(sign_in_throttle::table)
        .values(sign_in_throttle::email.eq(&email))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    sign_in_throttle::table
        .find(&email)
        .select(AccountRecord::as_select())
        .for_update()
        .get_result(conn)
        .await
}

pub async fn save_account(conn: &mut AsyncPgConnection, record: &AccountRecord) -> QueryResult<()> {
    diesel::update(sign_in_throttle::table.find(&record.email))
        .set(record)
        .execute(conn)
        .await
        .map(drop)
}

/// A successful sign-in: the account's attempts and locks are forgotten.
pub async fn clear_account(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<()> {
    diesel::delete(sign_in_throttle::table.find(email.to_lowercase()))
        .execute(conn)
        .await
        .map(drop)
}

/// Serialises the attempts of one client address until the end of the transaction, so that
/// counting and recording an attempt cannot interleave with another from the same address.
pub async fn lock_address(conn: &mut AsyncPgConnection, client_addr: &str) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('sign-in address ' || $1, 0))")
        .bind::<Text, _>(client_addr)
        .execute(conn)
        .await
        .map(drop)
}

/// Attempts recorded for this address since `since`: how many, and the oldest.
pub async fn address_attempts(
    conn: &mut AsyncPgConnection,
    client_addr: &str,
    since: DateTime<Utc>,
) -> QueryResult<(i64, Option<DateTime<Utc>>)> {
    login_failures::table
        .filter(login_failures::client_addr.eq(client_addr))
        .filter(login_failures::failed_at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_failures::failed_at),
        ))
        .get_result(conn)
        .await
}

/// Records an admitted attempt of this address; it stays as a failure unless the attempt
/// succeeds ([`forget_address_attempt`]).
pub async fn record_address_attempt(
    conn: &mut AsyncPgConnection,
    email: &str,
    client_addr: &str,
) -> QueryResult<i64> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::email.eq(email.to_lowercase()),
            login_failures::client_addr.eq(client_addr),
        ))
        .returning(login_failures::id)
        .get_result(conn)
        .await
}

/// A successful attempt is not a failure of its address; the address's other failures stay.
pub async fn forget_address_attempt(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<()> {
    diesel::delete(login_failures::table.find(id))
        .execute(conn)
        .await
        .map(drop)
}

/// Removes records nobody needs any more: address attempts older than a day and account records
/// untouched for a day and not locked. Bounded per call so a sign-in never waits on a big sweep.
pub async fn sweep(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::sql_query(
        "DELETE FROM login_failures WHERE id IN (SELECT id FROM login_failures \
         WHERE failed_at < now() - interval '1 day' LIMIT 500)",
    )
    .execute(conn)
    .await?;
    diesel::sql_query(
        "DELETE FROM sign_in_throttle WHERE email IN (SELECT email FROM sign_in_throttle \
         WHERE last_attempt_at < now() - interval '1 day' \
         AND (locked_until IS NULL OR locked_until < now()) LIMIT 500)",
    )
    .execute(conn)
    .await
    .map(drop)
}
