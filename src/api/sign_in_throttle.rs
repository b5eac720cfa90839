//! Applying the sign-in throttle (`auth::throttle`) to the kept counts
//! (`db::sign_in_attempts`): an attempt is admitted, and counted, in one short transaction before
//! its password is hashed; its outcome is recorded afterwards.

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::auth::throttle::{AccountAttempts, Failures, Locked, ThrottlePolicy};
use crate::db::sign_in_attempts::{self, AccountRecord};
use crate::error::AppError;

/// An attempt that was admitted and counted; its outcome must be recorded.
#[derive(Debug)]
#[must_use]
pub struct Admitted {
    address_attempt: i64,
}

fn attempts_of(record: &AccountRecord) -> AccountAttempts {
    AccountAttempts {
        attempts: record.attempts,
        lockouts: record.lockouts,
        locked_until: record.locked_until,
        last_attempt_at: record.last_attempt_at,
    }
}

fn record_of(email: &str, attempts: AccountAttempts) -> AccountRecord {
    AccountRecord {
        email: email.to_lowercase(),
        attempts: attempts.attempts,
        lockouts: attempts.lockouts,
        locked_until: attempts.locked_until,
        last_attempt_at: attempts.last_attempt_at,
    }
}

fn too_many(locked: Locked) -> AppError {
    AppError::TooManyRequests {
        detail: format!(
            "Too many failed sign-in attempts. Try again in {} minute(s), or ask your \
             administrator to reset your password.",
            locked.retry_after_secs.div_ceil(60)
        ),
        retry_after_secs: locked.retry_after_secs,
    }
}

/// Counts one attempt at `email` from `client_addr`, or refuses it with 429 + Retry-After when
/// the account (from any address) or the address is locked. The account's row lock and the
/// address's advisory lock make concurrent attempts queue here, so at most the limit are admitted.
pub async fn admit(
    conn: &mut AsyncPgConnection,
    policy: ThrottlePolicy,
    email: &str,
    client_addr: &str,
) -> Result<Admitted, AppError> {
    conn.transaction(async |conn| {
        let now = Utc::now();
        sign_in_attempts::lock_address(conn, client_addr).await?;
        let account = sign_in_attempts::account_for_update(conn, email).await?;
        let counted = policy.admit(attempts_of(&account), now).map_err(too_many)?;
        let (count, oldest) =
            sign_in_attempts::address_attempts(conn, client_addr, now - policy.window).await?;
        if let Some(locked) = policy.address_locked(Failures { count, oldest }, now) {
            return Err(too_many(locked));
        }
        sign_in_attempts::save_account(conn, &record_of(email, counted)).await?;
        let address_attempt =
            sign_in_attempts::record_address_attempt(conn, email, client_addr).await?;
        Ok(Admitted { address_attempt })
    })
    .await
}

/// The admitted attempt failed: it stays counted for the address, and the account locks when it
/// reached the limit.
pub async fn failed(
    conn: &mut AsyncPgConnection,
    policy: ThrottlePolicy,
    email: &str,
    _attempt: Admitted,
) -> Result<(), AppError> {
    conn.transaction(async |conn| {
        let account = sign_in_attempts::account_for_update(conn, email).await?;
        let after = policy.after_failure(attempts_of(&account), Utc::now());
        sign_in_attempts::save_account(conn, &record_of(email, after)).await?;
        Ok(())
    })
    .await
}

/// The admitted attempt succeeded: the account's record is cleared, and this attempt no longer
/// counts against the address (the address's other failures stay). Runs inside the sign-in's
/// own transaction.
pub async fn succeeded(
    conn: &mut AsyncPgConnection,
    email: &str,
    attempt: Admitted,
) -> Result<(), AppError> {
    sign_in_attempts::clear_account(conn, email).await?;
    sign_in_attempts::forget_address_attempt(conn, attempt.address_attempt).await?;
    sign_in_attempts::sweep(conn).await?;
    Ok(())
}
