//! The database deadline's clock: how long the current request has spent waiting for or holding
//! pooled connections, and the connection type that keeps that clock running while it is held.
//!
//! `api::deadline` gives each request a [`DbClock`] (a task-local) and answers 503 once the clock
//! passes the deadline. Only time with a connection in hand, or being waited for, counts: a
//! handler that drops its connection while an attachment streams in is not cut by the database
//! deadline, and every other request's database work is. Outside a request (the command line)
//! there is no clock and nothing is counted.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel::connection::TransactionManagerStatus;
use diesel_async::pooled_connection::deadpool::{Object, PoolError};
use diesel_async::{AsyncConnection, AsyncPgConnection, TransactionManager};

use super::DbPool;

tokio::task_local! {
    /// The clock of the request being served.
    pub static DB_CLOCK: Arc<DbClock>;
}

/// Time one request has spent on the database.
#[derive(Debug, Default)]
pub struct DbClock {
    state: Mutex<ClockState>,
}

#[derive(Debug, Default)]
struct ClockState {
    /// Connections held, or checkouts waited for, right now.
    busy: usize,
    /// Since when `busy` has been above zero.
    since: Option<Instant>,
    /// Time counted before `since`.
    spent: Duration,
    /// The deadline passed; connections still held must not be reused.
    expired: bool,
}

impl DbClock {
    /// The time counted so far, and whether the clock is running now.
    pub fn spent(&self) -> (Duration, bool) {
        let state = self.lock();
        match state.since {
            Some(since) => (state.spent + since.elapsed(), true),
            None => (state.spent, false),
        }
    }

    /// Marks the deadline as passed, before the request's work is dropped.
    pub fn expire(&self) {
        self.lock().expired = true;
    }

    fn expired(&self) -> bool {
        self.lock().expired
    }

    fn enter(&self) {
        let mut state = self.lock();
        if state.busy == 0 {
            state.since = Some(Instant::now());
        }
        state.busy += 1;
    }

    fn leave(&self) {
        let mut state = self.lock();
        state.busy = state.busy.saturating_sub(1);
        if state.busy == 0
            && let Some(since) = state.since.take()
        {
            state.spent += since.elapsed();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClockState> {
        // The state stays consistent whatever panicked while holding it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Keeps the current request's clock running while alive.
struct Busy {
    clock: Option<Arc<DbClock>>,
}

impl Busy {
    fn start() -> Self {
        let clock = DB_CLOCK.try_with(Arc::clone).ok();
        if let Some(clock) = &clock {
            clock.enter();
        }
        Self { clock }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if let Some(clock) = &self.clock {
            clock.leave();
        }
    }
}

/// A pooled connection, counted on the clock of the request holding it.
pub struct DbConn {
    conn: Object<AsyncPgConnection>,
    busy: Busy,
}

/// Checks a connection out of `pool`; the wait counts on the current request's clock.
pub async fn checkout(pool: &DbPool) -> Result<DbConn, PoolError> {
    let busy = Busy::start();
    let conn = pool.get().await?;
    Ok(DbConn { conn, busy })
}

impl Deref for DbConn {
    type Target = AsyncPgConnection;

    fn deref(&self) -> &AsyncPgConnection {
        &self.conn
    }
}

impl DerefMut for DbConn {
    fn deref_mut(&mut self) -> &mut AsyncPgConnection {
        &mut self.conn
    }
}

impl Drop for DbConn {
    /// A connection dropped because its request ran out of time may be mid-statement or inside a
    /// transaction on a server that has stopped answering. Marking its transaction state as
    /// failed makes the pool's recycle check (`is_broken`) throw it away at the next checkout
    /// instead of handing it, with whatever it was doing, to another request. (An open
    /// transaction alone would already fail that check; a plain statement in flight would not.)
    fn drop(&mut self) {
        if self
            .busy
            .clock
            .as_ref()
            .is_some_and(|clock| clock.expired())
        {
            self.discard();
        }
    }
}

impl DbConn {
    /// Makes the pool throw this connection away instead of lending it again (its recycle check,
    /// `is_broken`, fails on a transaction state marked failed): for a connection whose server
    /// may be gone or stalled.
    pub fn discard(&mut self) {
        let conn: &mut AsyncPgConnection = &mut self.conn;
        type Manager = <AsyncPgConnection as AsyncConnection>::TransactionManager;
        let status: &mut TransactionManagerStatus = Manager::transaction_manager_status_mut(conn);
        status.set_in_error();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_counts_only_while_something_is_busy() {
        let clock = DbClock::default();
        assert_eq!(clock.spent(), (Duration::ZERO, false));
        clock.enter();
        clock.enter();
        std::thread::sleep(Duration::from_millis(20));
        clock.leave();
        assert!(clock.spent().1, "one holder is still busy");
        clock.leave();
        let (stopped_at, running) = clock.spent();
        assert!(!running);
        assert!(stopped_at >= Duration::from_millis(20));
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(clock.spent().0, stopped_at, "idle time is not counted");
    }
}
