//! A pooled database connection for a handler, or 503 when the database cannot be reached:
//! [`db_conn`] on the primary for everything, [`read_conn`] for the read-only endpoints, which
//! may be served by the read replica.

use diesel_async::pooled_connection::deadpool::PoolError;

use crate::api::authenticated::Authenticated;
use crate::db::DbConn;
use crate::db::query_count::{PRIMARY, REPLICA, note_read};
use crate::error::AppError;
use crate::state::AppState;

/// A pooled connection, or 503 when the database cannot be reached. The wait and the time the
/// connection is held count towards the request's database deadline (`api::deadline`).
pub async fn db_conn(state: &AppState) -> Result<DbConn, AppError> {
    match crate::db::deadline::checkout(&state.pool).await {
        Ok(conn) => Ok(conn),
        Err(PoolError::Timeout(_)) => Err(AppError::Unavailable(
            "The database is busy or not answering; please try again shortly.".into(),
        )),
        Err(error) => {
            tracing::error!(%error, "no database connection");
            Err(AppError::Unavailable(
                "The database is not available right now; please try again shortly.".into(),
            ))
        }
    }
}

/// A connection for a read-only handler: the read replica's (DATABASE_READ_URL) when it answers,
/// is within the lag bound and has replayed the caller's last write; otherwise the primary's,
/// as [`db_conn`], with no error (`db::replica`). Only for handlers that write nothing and whose
/// reads need not see a write made by someone else a moment ago: everything else stays on
/// [`db_conn`].
pub async fn read_conn(state: &AppState, auth: &Authenticated) -> Result<DbConn, AppError> {
    if let Some(replica) = &state.replica
        && let Some(conn) = replica.checkout(auth.last_write_lsn).await
    {
        note_read(REPLICA);
        return Ok(conn);
    }
    note_read(PRIMARY);
    db_conn(state).await
}
