//! The delivery worker of every server process: a few tasks, each taking one due message at a
//! time. Claiming it (`db::outbox::claim_due`: `FOR UPDATE SKIP LOCKED`, then a lease that keeps
//! other workers off it) and making the sign-in or password links it carries commit together, so
//! a person who opens the e-mail at once finds their link; then it goes to the mail server,
//! holding no connection, and is marked sent in the transaction that claims the task's next
//! message (one commit per message). A failed attempt removes its links and is tried again after
//! a doubling wait; the eighth failure marks it `failed` for the administrators. On shutdown each
//! task finishes the message in hand and records it, then stops; a process that dies mid-send
//! leaves the message to be tried again when its lease runs out (sent at least once, never lost).
//! The tasks run on a thread of their own, with their own runtime and connections: mail never
//! holds up the runtime that drives the requests' connections, nor takes one of their
//! connections.
//! The tasks of a process share one pace (`KSBFOLIO_MAIL_RATE`, messages per second): a task
//! waits for its turn before it claims, so a burst of messages is spread over time instead of
//! taking the process's CPU and database connections from the requests it answers. While the
//! process is busy answering requests (`request_load`: one in flight, or one ended within the
//! last 100 ms) the pace drops to `KSBFOLIO_MAIL_BUSY_RATE`: a burst of mail then trickles out
//! under load and goes at the full rate from a quiet or mail-only process.

use std::num::NonZeroU32;
use std::sync::Arc;

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use super::render::{self, Item, Rendered};
use crate::auth::tokens;
use crate::config::MailSettings;
use crate::db::DbPool;
use crate::db::outbox::{self, Claimed};
use crate::db::password_links;
use crate::db::sign_in_links::{self, Purpose};
use crate::domain::notifications::{Kind, retry_after};
use crate::mail::{Mailer, Outgoing, SendError};
use crate::request_load::RequestLoad;

/// What the delivery tasks share.
pub struct Delivery {
    pub pool: DbPool,
    pub mailer: Mailer,
    /// Where links point, without a trailing slash.
    pub public_url: String,
    pub settings: MailSettings,
    /// The requests this process is answering (the busy pace applies while it is busy).
    pub load: RequestLoad,
}

/// The running worker and scheduled jobs; [`Running::stop`] ends them gracefully.
pub struct Running {
    stop: watch::Sender<bool>,
    /// Fires when every task of the mail thread has ended.
    finished: oneshot::Receiver<()>,
}

impl Running {
    /// Asks every task to stop after the message in hand, and waits for them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.finished.await;
    }
}

/// Starts the delivery tasks and the scheduled jobs on a thread of their own (`ksbfolio-mail`),
/// with a runtime of its own and the connections of `delivery.pool` (which nothing else uses):
/// sending mail never holds up the runtime that drives the requests' database connections.
///
/// The thread keeps the process's CPU priority: at a lower one (nice 10) a burst made the reads'
/// p99 four to seven times longer under a saturated CPU (docs/BENCHMARKS.md, run 9), the
/// requests' threads waiting, it seems, on something the starved thread held.
pub fn spawn(delivery: Delivery) -> std::io::Result<Running> {
    let (stop, watching) = watch::channel(false);
    let (done, finished) = oneshot::channel();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("ksbfolio-mail".into())
        .spawn(move || {
            runtime.block_on(run_tasks(delivery, watching));
            let _ = done.send(());
        })?;
    Ok(Running { stop, finished })
}

/// The delivery tasks and the scheduled jobs, until `stop` turns true (or its sender is gone).
async fn run_tasks(delivery: Delivery, watching: watch::Receiver<bool>) {
    let concurrency = delivery.settings.concurrency.max(1);
    let pace = Arc::new(Pace::new(
        &delivery.settings,
        concurrency,
        delivery.load.clone(),
    ));
    let delivery = Arc::new(delivery);
    let mut tasks: Vec<JoinHandle<()>> = (0..concurrency)
        .map(|_| {
            tokio::spawn(deliver_until_stopped(
                delivery.clone(),
                pace.clone(),
                watching.clone(),
            ))
        })
        .collect();
    if let Some(every) = delivery.settings.schedule_every {
        tasks.push(tokio::spawn(super::schedule::run(
            delivery.pool.clone(),
            every,
            delivery.settings.digest_hour,
            watching,
        )));
    }
    for task in tasks {
        let _ = task.await;
    }
}

/// Whether the tasks are to stop: asked to, or the process dropped the [`Running`] that could ask.
pub(super) fn asked_to_stop(stop: &watch::Receiver<bool>) -> bool {
    *stop.borrow() || stop.has_changed().is_err()
}

/// When the tasks of a process may take their next message.
struct Pace {
    /// `KSBFOLIO_MAIL_RATE`: never faster than this, all tasks together.
    full: Option<DefaultDirectRateLimiter>,
    /// `KSBFOLIO_MAIL_BUSY_RATE`: no faster than this while the process is busy.
    busy: Option<DefaultDirectRateLimiter>,
    load: RequestLoad,
}

impl Pace {
    fn new(settings: &MailSettings, tasks: usize, load: RequestLoad) -> Self {
        Self {
            full: settings.rate.map(|rate| limiter(rate, tasks)),
            // One at a time while busy: a burst would take the CPU at the moment requests need it.
            busy: settings.busy_rate.map(|rate| limiter(rate, 1)),
            load,
        }
    }

    /// Waits for the next turn: a busy turn is also counted against the full rate, so switching
    /// between the two never sends faster than `full`. A turn is at most one interval away.
    async fn turn(&self) {
        if self.load.is_busy()
            && let Some(busy) = &self.busy
        {
            busy.until_ready().await;
        }
        if let Some(full) = &self.full {
            full.until_ready().await;
        }
    }
}

/// `rate` messages a second, evenly spaced: at most one per task at once, never a second's worth.
fn limiter(rate: NonZeroU32, tasks: usize) -> DefaultDirectRateLimiter {
    let burst = u32::try_from(tasks)
        .ok()
        .and_then(NonZeroU32::new)
        .map_or(rate, |tasks| tasks.min(rate));
    RateLimiter::direct(Quota::per_second(rate).allow_burst(burst))
}

async fn deliver_until_stopped(
    delivery: Arc<Delivery>,
    pace: Arc<Pace>,
    mut stop: watch::Receiver<bool>,
) {
    // What became of the message sent last, recorded in the transaction that claims the next.
    let mut outcome: Option<Outcome> = None;
    loop {
        // A turn is at most one interval (1 / rate) away: stopping need not interrupt it.
        pace.turn().await;
        let stopping = asked_to_stop(&stop);
        let step = match settle_and_claim(&delivery, outcome.as_ref(), !stopping).await {
            Ok(step) => step,
            Err(error) => {
                // Nothing of the transaction stands: the outcome is recorded on the next try.
                tracing::warn!(%error, "outbox delivery failed; trying again shortly");
                tokio::select! {
                    _ = tokio::time::sleep(delivery.settings.poll) => {}
                    _ = stop.changed() => {}
                }
                continue;
            }
        };
        outcome = None;
        match step {
            Step::Send { claim, made } => {
                let sent = delivery.mailer.send(&claim.message).await;
                outcome = Some(Outcome::of(claim, made, sent));
            }
            Step::Settled => {}
            Step::Idle if stopping => return,
            Step::Idle => {
                tokio::select! {
                    _ = tokio::time::sleep(delivery.settings.poll) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }
}

/// How long a claimed message is left to its worker: well past the SMTP timeout.
const LEASE_SECS: f64 = 300.0;

/// A claimed message, composed and ready to go to the mail server.
struct Composed {
    id: i64,
    attempts: i32,
    message: Outgoing,
}

/// What one transaction of a delivery task left to do.
enum Step {
    /// Nothing was due (or the task is stopping).
    Idle,
    /// A message was settled without sending: skipped for a deactivated recipient.
    Settled,
    /// Send this; `made` holds the hashes of the links it carries.
    Send { claim: Composed, made: Vec<String> },
}

/// What the mail server made of a message.
enum Outcome {
    Sent(i64),
    Failed {
        id: i64,
        attempts: i32,
        made: Vec<String>,
        error: String,
    },
}

impl Outcome {
    fn of(claim: Composed, made: Vec<String>, sent: Result<(), SendError>) -> Self {
        match sent {
            Ok(()) => Outcome::Sent(claim.id),
            Err(error) => Outcome::Failed {
                id: claim.id,
                attempts: claim.attempts,
                made,
                error: error.0,
            },
        }
    }
}

/// One transaction: records what became of the message sent last and, when `claim`, takes the
/// next due message and makes its links. One commit per message sent, not two.
async fn settle_and_claim(
    delivery: &Delivery,
    last: Option<&Outcome>,
    claim: bool,
) -> anyhow::Result<Step> {
    if last.is_none() && !claim {
        return Ok(Step::Idle);
    }
    let mut conn = delivery.pool.get().await?;
    let step = conn
        .transaction(async |conn| {
            if let Some(last) = last {
                record(conn, delivery, last).await?;
            }
            if !claim {
                return Ok::<_, diesel::result::Error>(Step::Idle);
            }
            let Some(claimed) = outbox::claim_due(conn, LEASE_SECS).await? else {
                return Ok(Step::Idle);
            };
            if !claimed.recipient_active {
                outbox::mark_skipped(conn, claimed.id).await?;
                return Ok(Step::Settled);
            }
            // `claim_due` takes only kinds this version knows, so this holds; were it not to,
            // the row is failed rather than stopping the task.
            let Ok(kind) = Kind::from_stored(&claimed.kind) else {
                outbox::mark_attempt_failed(conn, claimed.id, None, "unknown message kind").await?;
                return Ok(Step::Settled);
            };
            let mut made = Vec::new();
            let message = compose(conn, delivery, (kind, &claimed), &mut made).await?;
            Ok(Step::Send {
                claim: Composed {
                    id: claimed.id,
                    attempts: claimed.attempts,
                    message,
                },
                made,
            })
        })
        .await?;
    Ok(step)
}

/// Marks a message sent, or counts its failed attempt: its links are removed and it is tried
/// again after a doubling wait, or marked failed after the last attempt.
async fn record(
    conn: &mut AsyncPgConnection,
    delivery: &Delivery,
    outcome: &Outcome,
) -> diesel::QueryResult<()> {
    match outcome {
        Outcome::Sent(id) => outbox::mark_sent(conn, *id).await,
        Outcome::Failed {
            id,
            attempts,
            made,
            error,
        } => {
            // `made` holds the hashes of the message's sign-in or password links; each table
            // drops its own (the hashes are of random tokens, so none is in both).
            sign_in_links::discard(conn, made).await?;
            password_links::discard(conn, made).await?;
            let attempts = attempts + 1;
            let retry_at = retry_after(attempts, delivery.settings.retry_base)
                .and_then(|wait| chrono::Duration::from_std(wait).ok())
                .map(|wait| Utc::now() + wait);
            tracing::warn!(
                outbox_id = id,
                attempts,
                gave_up = retry_at.is_none(),
                %error,
                "e-mail not sent"
            );
            outbox::mark_attempt_failed(conn, *id, retry_at, error).await
        }
    }
}

/// A new single-use link for the recipient: `/sign-in/link?token=…&next=…`.
async fn link(
    conn: &mut AsyncPgConnection,
    delivery: &Delivery,
    made: &mut Vec<String>,
    (user_id, purpose, target): (uuid::Uuid, Purpose, &str),
) -> diesel::QueryResult<String> {
    let (token, hash) = tokens::new_refresh_token();
    sign_in_links::create(conn, user_id, &hash, purpose, target).await?;
    made.push(hash);
    let next: String = url::form_urlencoded::byte_serialize(target.as_bytes()).collect();
    Ok(format!(
        "{}/sign-in/link?token={token}&next={next}",
        delivery.public_url
    ))
}

/// A page of this application, from a payload's `path` (anything else opens the home page).
fn target_of(payload: &serde_json::Value) -> &str {
    payload
        .get("path")
        .and_then(serde_json::Value::as_str)
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or("/")
}

/// The message's words, and its links (their hashes are added to `made`).
async fn compose(
    conn: &mut AsyncPgConnection,
    delivery: &Delivery,
    (kind, claimed): (Kind, &Claimed),
    made: &mut Vec<String>,
) -> diesel::QueryResult<Outgoing> {
    let user = claimed.recipient_id;
    let name = &claimed.recipient_name;
    let Rendered {
        subject,
        text,
        html,
    } = match kind {
        Kind::SignInLink => {
            let url = link(conn, delivery, made, (user, Purpose::Request, "/")).await?;
            render::sign_in(name, &url)
        }
        Kind::PasswordLink => {
            // Made now, so the token exists only in the e-mail; a newer link voids older ones.
            let sent_by = claimed
                .payload
                .get("sent_by")
                .and_then(serde_json::Value::as_str)
                .and_then(|id| uuid::Uuid::parse_str(id).ok())
                .unwrap_or(user);
            let (token, hash) = tokens::new_refresh_token();
            password_links::create(conn, user, &hash, sent_by).await?;
            made.push(hash);
            let url = format!("{}/set-password?token={token}", delivery.public_url);
            render::password_link(name, &url, password_links::LINK_HOURS)
        }
        Kind::Digest => {
            let rows = outbox::digest_items(conn, claimed.id).await?;
            let mut items = Vec::with_capacity(rows.len());
            for row in &rows {
                let Ok(kind) = Kind::from_stored(&row.kind) else {
                    continue;
                };
                let target = target_of(&row.payload);
                items.push(Item {
                    kind,
                    payload: &row.payload,
                    apprentice_name: row.apprentice_name.as_deref(),
                    link: link(conn, delivery, made, (user, Purpose::Notification, target)).await?,
                });
            }
            render::digest(name, &items)
        }
        kind => {
            let target = target_of(&claimed.payload);
            let item = Item {
                kind,
                payload: &claimed.payload,
                apprentice_name: claimed.apprentice_name.as_deref(),
                link: link(conn, delivery, made, (user, Purpose::Notification, target)).await?,
            };
            render::single(name, &item)
        }
    };
    Ok(Outgoing {
        to_name: claimed.recipient_name.clone(),
        to_email: claimed.recipient_email.clone(),
        subject,
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    fn paced(rate: u32, busy_rate: u32, load: &RequestLoad) -> Pace {
        let settings = MailSettings {
            rate: NonZeroU32::new(rate),
            busy_rate: NonZeroU32::new(busy_rate),
            ..MailSettings::default()
        };
        Pace::new(&settings, 1, load.clone())
    }

    async fn five_turns(pace: &Pace) -> Duration {
        let started = Instant::now();
        for _ in 0..5 {
            pace.turn().await;
        }
        started.elapsed()
    }

    /// At 1,000 a second five turns take about 4 ms; at the busy 10 a second the first is at
    /// once and each of the other four 100 ms later.
    #[tokio::test]
    async fn turns_come_at_the_busy_rate_only_while_a_request_is_in_flight() {
        let load = RequestLoad::default();
        let pace = paced(1_000, 10, &load);
        let quiet = five_turns(&pace).await;
        assert!(quiet < Duration::from_millis(250), "quiet: {quiet:?}");

        let request = load.enter();
        let busy = five_turns(&pace).await;
        assert!(busy >= Duration::from_millis(390), "busy: {busy:?}");

        drop(request);
        tokio::time::sleep(crate::request_load::QUIET_AFTER + Duration::from_millis(20)).await;
        let quiet_again = five_turns(&pace).await;
        assert!(
            quiet_again < Duration::from_millis(250),
            "quiet again: {quiet_again:?}"
        );
    }

    /// A busy turn also counts against the full rate, so switching between the two never
    /// sends faster than the full rate.
    #[tokio::test]
    async fn a_busy_turn_is_never_faster_than_the_full_rate() {
        let load = RequestLoad::default();
        let pace = paced(10, 1_000, &load);
        let _request = load.enter();
        let took = five_turns(&pace).await;
        assert!(took >= Duration::from_millis(390), "took {took:?}");
    }

    /// A process that drops its [`Running`] without stopping it (a test's runtime ending, say)
    /// must not leave the mail thread polling the database for ever.
    #[test]
    fn the_tasks_stop_when_asked_or_when_nobody_can_ask_any_more() {
        let (stop, watching) = watch::channel(false);
        assert!(!asked_to_stop(&watching));
        stop.send(true).expect("a receiver");
        assert!(asked_to_stop(&watching));

        let (stop, watching) = watch::channel(false);
        drop(stop);
        assert!(asked_to_stop(&watching));
    }

    #[tokio::test]
    async fn without_a_busy_rate_the_load_does_not_matter() {
        let load = RequestLoad::default();
        let pace = paced(1_000, 0, &load);
        let _request = load.enter();
        let took = five_turns(&pace).await;
        assert!(took < Duration::from_millis(250), "took {took:?}");
    }
}
