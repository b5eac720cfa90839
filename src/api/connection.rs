//! A pooled database connection for a handler, or 503 when the database cannot be reached.

use diesel_async::pooled_connection::deadpool::PoolError;

use crate::db::DbConn;
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
