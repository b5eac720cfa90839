//! Counting the SQL statements a request runs, to prove list endpoints run a fixed number of
//! queries whatever the page size. Every pooled connection reports each statement; the count goes
//! to the task-local counter of the request being served, if one is set (see
//! `api::middleware::count_queries`). The same middleware reports which database served the
//! request's reads, when a read-only handler asked (`api::connection::read_conn`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use diesel::connection::{Instrumentation, InstrumentationEvent};

tokio::task_local! {
    /// The counter of the current request.
    pub static QUERIES: Arc<AtomicUsize>;
    /// Where the current request's reads were served: [`PRIMARY`] and/or [`REPLICA`] bits.
    pub static READ_FROM: Arc<AtomicU8>;
}

/// A read-only handler read from the primary.
pub const PRIMARY: u8 = 1;
/// A read-only handler read from the replica.
pub const REPLICA: u8 = 2;

/// Notes where the current request's reads are served (nothing outside a counted request).
pub fn note_read(source: u8) {
    let _ = READ_FROM.try_with(|from| from.fetch_or(source, Ordering::Relaxed));
}

/// The `X-Db-Read` value for the bits noted.
pub fn read_from_label(bits: u8) -> Option<&'static str> {
    match bits {
        PRIMARY => Some("primary"),
        REPLICA => Some("replica"),
        b if b == PRIMARY | REPLICA => Some("primary, replica"),
        _ => None,
    }
}

/// Adds one to the current request's counter for every statement started.
pub struct QueryCounter;

impl Instrumentation for QueryCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            let _ = QUERIES.try_with(|count| count.fetch_add(1, Ordering::Relaxed));
        }
    }
}
