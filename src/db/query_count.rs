//! Counting the SQL statements a request runs, to prove list endpoints run a fixed number of
//! queries whatever the page size. Every pooled connection reports each statement; the count goes
//! to the task-local counter of the request being served, if one is set (see
//! `api::middleware::count_queries`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::{Instrumentation, InstrumentationEvent};

tokio::task_local! {
    /// The counter of the current request.
    pub static QUERIES: Arc<AtomicUsize>;
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
