//! Failed sign-ins, counted per account and per client address for throttling. A successful
//! sign-in clears the account's and the address's failures.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::lower;
use super::schema::login_failures;
use crate::auth::throttle::Failures;

pub async fn record(
    conn: &mut AsyncPgConnection,
    email: &str,
    client_addr: &str,
) -> QueryResult<()> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::email.eq(email.to_lowercase()),
            login_failures::client_addr.eq(client_addr),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Failures since `since` for this account and for this address.
pub async fn recent(
    conn: &mut AsyncPgConnection,
    email: &str,
    client_addr: &str,
    since: DateTime<Utc>,
) -> QueryResult<(Failures, Failures)> {
    let account: (i64, Option<DateTime<Utc>>) = login_failures::table
        .filter(lower(login_failures::email).eq(email.to_lowercase()))
        .filter(login_failures::failed_at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_failures::failed_at),
        ))
        .get_result(conn)
        .await?;
    let address: (i64, Option<DateTime<Utc>>) = login_failures::table
        .filter(login_failures::client_addr.eq(client_addr))
        .filter(login_failures::failed_at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_failures::failed_at),
        ))
        .get_result(conn)
        .await?;
    Ok((
        Failures {
            count: account.0,
            oldest: account.1,
        },
        Failures {
            count: address.0,
            oldest: address.1,
        },
    ))
}

pub async fn clear(
    conn: &mut AsyncPgConnection,
    email: &str,
    client_addr: &str,
) -> QueryResult<()> {
    diesel::delete(
        login_failures::table.filter(
            lower(login_failures::email)
                .eq(email.to_lowercase())
                .or(login_failures::client_addr.eq(client_addr)),
        ),
    )
    .execute(conn)
    .await
    .map(drop)
}
