//! Which database errors mean "the database is not there right now" rather than "this request
//! went wrong": the connection was lost or never made it, the server is shutting down, starting
//! up or restarting, or PgBouncer has no server to give. They are answered 503 with Retry-After
//! (`error::AppError`), like a pool that cannot connect, so that clients and the load balancer
//! retry instead of reporting a bug.
//!
//! diesel-async keeps the server's message but not its SQLSTATE, so the server's and PgBouncer's
//! errors are told apart by their messages (PostgreSQL 15's and PgBouncer 1.18's English texts;
//! the app's connections never ask for another language). An error without a SQLSTATE at all is
//! the connection failing under the query (closed, reset, unreadable).

use diesel::result::{DatabaseErrorKind, Error};

/// Beginnings of the messages of a server that is going away or not yet back (SQLSTATE 57P01,
/// 57P02, 57P03, 08006), and of PgBouncer's pooler errors when it has no server connection.
const UNAVAILABLE_MESSAGES: &[&str] = &[
    "terminating connection due to administrator command",
    "terminating connection due to unexpected postmaster exit",
    "terminating connection because of crash of another server process",
    "the database system is shutting down",
    "the database system is starting up",
    "the database system is in recovery mode",
    "the database system is not yet accepting connections",
    "server login has been failing",
    "server conn crashed",
    "query_wait_timeout",
    "pgbouncer cannot connect to server",
    "no more connections allowed",
    "server shutting down",
    "client_login_timeout",
];

/// Whether `error` says the database is unreachable, restarting or behind a pooler that has no
/// server for it (503), rather than that the request failed (500).
pub fn is_unavailable(error: &Error) -> bool {
    match error {
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => true,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            let message = info.message();
            UNAVAILABLE_MESSAGES.iter().any(|m| message.starts_with(m))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database_error(kind: DatabaseErrorKind, message: &str) -> Error {
        Error::DatabaseError(kind, Box::new(message.to_string()))
    }

    #[test]
    fn a_restarting_server_and_a_pooler_without_servers_are_unavailable() {
        for message in [
            "terminating connection due to administrator command",
            "the database system is shutting down",
            "the database system is starting up",
            "server login has been failing, try again later (server_login_retry)",
            "query_wait_timeout",
        ] {
            assert!(
                is_unavailable(&database_error(DatabaseErrorKind::Unknown, message)),
                "{message}"
            );
        }
        assert!(is_unavailable(&database_error(
            DatabaseErrorKind::UnableToSendCommand,
            "connection closed"
        )));
        assert!(is_unavailable(&database_error(
            DatabaseErrorKind::ClosedConnection,
            "closed"
        )));
    }

    #[test]
    fn errors_of_the_request_itself_are_not() {
        assert!(!is_unavailable(&database_error(
            DatabaseErrorKind::Unknown,
            "division by zero"
        )));
        assert!(!is_unavailable(&database_error(
            DatabaseErrorKind::UniqueViolation,
            "the database system is shutting down"
        )));
        assert!(!is_unavailable(&Error::NotFound));
        assert!(!is_unavailable(&Error::RollbackTransaction));
    }
}
