//! The read replica (DATABASE_READ_URL): a second pool on a streaming standby, and the rule that
//! decides, per request, whether it may serve a read.
//!
//! A read goes to the replica only when all of these hold, checked by one statement on the very
//! connection that will serve it (so a proxy in front of several standbys is judged per standby):
//! - it answers (otherwise it is `down` for [`DOWN_REST`], and reads skip it meanwhile);
//! - it is no further behind than `KSBFOLIO_READ_MAX_LAG` (otherwise `lagging`);
//! - it has replayed the primary's WAL up to the caller's last write (`sessions.last_write_lsn`,
//!   recorded after each write request: read-your-writes). A user who has just written reads
//!   from the primary until the replica has caught up with that write; that is no change of the
//!   replica's state.
//!
//! Otherwise the caller reads from the primary, with no error. Each change of state is logged
//! once, at warn when the replica becomes unusable and at info when it is usable again.
//!
//! The lag is `now − pg_last_xact_replay_timestamp()` (the commit time of the last transaction
//! replayed) while WAL received is waiting to be applied, or while no WAL receiver runs (a
//! standby cut off from its primary cannot tell how far behind it is, so the time since its last
//! replayed commit is the honest bound); it is 0 when the receiver is streaming and everything
//! received has been applied (an idle primary commits nothing, which must not read as lag). On
//! a quiet system the first write after a long pause can therefore make the replica look
//! lagging for as long as that write takes to be applied (milliseconds when streaming): reads
//! then go to the primary, which is always safe. A server that is not in recovery (the read URL
//! names the primary itself, or a promoted standby) is taken as caught up.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use deadpool::managed::TimeoutType;
use diesel::pg::data_types::PgLsn;
use diesel::sql_types::{Bool, Double, Nullable};
use diesel_async::RunQueryDsl;
use diesel_async::pooled_connection::deadpool::PoolError;
use serde::Serialize;
use utoipa::ToSchema;

use super::{DbConn, DbPool, deadline};

/// How long reads skip a replica found down before trying it again.
pub const DOWN_REST: Duration = Duration::from_secs(2);

/// Longest wait for a free or a new replica connection (`db::build_read_pool`).
pub const PATIENCE: Duration = Duration::from_secs(2);

/// What the replica looked like at its last check (`/readyz` reports it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReplicaState {
    /// Answers and is within the lag bound.
    Ok,
    /// Answers but is further behind than the bound: reads go to the primary.
    Lagging,
    /// Does not answer: reads go to the primary.
    Down,
}

#[derive(Debug)]
struct Health {
    state: ReplicaState,
    /// While down: when to try again.
    retry_at: Option<Instant>,
}

/// The replica's pool and what is known of its health.
pub struct ReadReplica {
    pool: DbPool,
    max_lag: Duration,
    health: Mutex<Health>,
}

#[derive(diesel::QueryableByName)]
struct Position {
    /// Replayed at least up to the caller's last write (or not in recovery at all).
    #[diesel(sql_type = Bool)]
    caught_up: bool,
    /// Seconds behind; `None` when unknown (nothing replayed yet while WAL waits).
    #[diesel(sql_type = Nullable<Double>)]
    lag_secs: Option<f64>,
}

/// One statement, run on the connection about to serve the reads.
const POSITION: &str = "SELECT \
       (NOT pg_is_in_recovery() OR COALESCE(pg_last_wal_replay_lsn() >= $1, false)) AS caught_up, \
       CASE WHEN NOT pg_is_in_recovery() THEN 0::float8 \
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() \
                 AND EXISTS (SELECT FROM pg_stat_wal_receiver) THEN 0::float8 \
            ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 \
       END AS lag_secs";

/// What one check found.
enum Verdict {
    /// Usable, and caught up with the caller's last write.
    Serve,
    /// Usable, but not yet at the caller's last write.
    Behind,
    Lagging,
}

impl Verdict {
    fn state(&self) -> ReplicaState {
        match self {
            Self::Serve | Self::Behind => ReplicaState::Ok,
            Self::Lagging => ReplicaState::Lagging,
        }
    }
}

impl ReadReplica {
    pub fn new(pool: DbPool, max_lag: Duration) -> Self {
        Self {
            pool,
            max_lag,
            health: Mutex::new(Health {
                state: ReplicaState::Ok,
                retry_at: None,
            }),
        }
    }

    /// A replica connection that has replayed the primary's WAL at least up to `floor` (the
    /// caller's last write; `None`: no write recorded), or `None` when the read must go to the
    /// primary: down, lagging past the bound, not yet at `floor`, or its pool busy.
    pub async fn checkout(&self, floor: Option<PgLsn>) -> Option<DbConn> {
        if self.resting() {
            return None;
        }
        self.check(floor).await
    }

    /// Checks the replica now, whatever its last state, and reports it (`/readyz`).
    pub async fn probe(&self) -> ReplicaState {
        self.check(None).await;
        self.lock().state
    }

    /// The connection when the replica may serve a caller whose last write is at `floor`.
    async fn check(&self, floor: Option<PgLsn>) -> Option<DbConn> {
        let mut conn = match deadline::checkout(&self.pool).await {
            Ok(conn) => conn,
            // Every replica connection is in use: the primary takes this read, and nothing is
            // known of the replica's health.
            Err(PoolError::Timeout(TimeoutType::Wait)) => return None,
            Err(error) => {
                self.note(ReplicaState::Down, &error.to_string());
                return None;
            }
        };
        let position = diesel::sql_query(POSITION)
            .bind::<diesel::sql_types::PgLsn, _>(floor.unwrap_or(PgLsn(0)))
            .get_result::<Position>(&mut *conn)
            .await;
        let verdict = match position {
            Err(error) => {
                // The server may be gone: never lend this connection out again.
                conn.discard();
                self.note(ReplicaState::Down, &error.to_string());
                return None;
            }
            Ok(position) => self.judge(&position),
        };
        self.note(verdict.state(), "");
        matches!(verdict, Verdict::Serve).then_some(conn)
    }

    fn judge(&self, position: &Position) -> Verdict {
        let within_bound = position
            .lag_secs
            .is_some_and(|lag| lag <= self.max_lag.as_secs_f64());
        if !within_bound {
            Verdict::Lagging
        } else if position.caught_up {
            Verdict::Serve
        } else {
            Verdict::Behind
        }
    }

    /// Records the replica's state, logging when it changes.
    fn note(&self, state: ReplicaState, why: &str) {
        let mut health = self.lock();
        health.retry_at = (state == ReplicaState::Down).then(|| Instant::now() + DOWN_REST);
        if health.state == state {
            return;
        }
        let before = health.state;
        health.state = state;
        drop(health);
        match state {
            ReplicaState::Ok => tracing::info!(?before, "the read replica serves reads again"),
            ReplicaState::Lagging => tracing::warn!(
                max_lag_secs = self.max_lag.as_secs_f64(),
                "the read replica lags past the bound; reads go to the primary"
            ),
            ReplicaState::Down => tracing::warn!(
                error = why,
                "the read replica cannot be reached; reads go to the primary"
            ),
        }
    }

    /// Down, and not yet time to try again.
    fn resting(&self) -> bool {
        self.lock()
            .retry_at
            .is_some_and(|retry_at| Instant::now() < retry_at)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Health> {
        // The state stays consistent whatever panicked while holding it.
        self.health.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
