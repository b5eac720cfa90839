//! The delivery worker of every server process: a few tasks, each claiming one due message at a
//! time (`db::outbox::claim_due`, `FOR UPDATE SKIP LOCKED`), making the sign-in links it
//! carries, handing it to the mail server and marking it sent, all in one transaction. A failed
//! attempt is tried again after a doubling wait; the eighth failure marks it `failed` for the
//! administrators. On shutdown each task finishes the message in hand (or, if the process dies,
//! the transaction ends and the row is free again), then stops.

use std::sync::Arc;

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::render::{self, Item, Rendered};
use crate::auth::tokens;
use crate::config::MailSettings;
use crate::db::outbox::{self, Claimed};
use crate::db::sign_in_links::{self, Purpose};
use crate::db::DbPool;
use crate::domain::notifications::{Kind, retry_after};
use crate::mail::{Mailer, Outgoing};

/// What the delivery tasks share.
pub struct Delivery {
    pub pool: DbPool,
    pub mailer: Mailer,
    /// Where links point, without a trailing slash.
    pub public_url: String,
    pub settings: MailSettings,
}

/// The running worker and scheduled jobs; [`Running::stop`] ends them gracefully.
pub struct Running {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Asks every task to stop after the message in hand, and waits for them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Starts the delivery tasks and the scheduled jobs.
pub fn spawn(delivery: Delivery) -> Running {
    let (stop, watching) = watch::channel(false);
    let delivery = Arc::new(delivery);
    let mut tasks: Vec<JoinHandle<()>> = (0..delivery.settings.concurrency.max(1))
        .map(|_| tokio::spawn(deliver_until_stopped(delivery.clone(), watching.clone())))
        .collect();
    if let Some(every) = delivery.settings.schedule_every {
        tasks.push(tokio::spawn(super::schedule::run(
            delivery.pool.clone(),
            every,
            delivery.settings.digest_hour,
            watching,
        )));
    }
    Running { stop, tasks }
}

async fn deliver_until_stopped(delivery: Arc<Delivery>, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            return;
        }
        let idle = match deliver_one(&delivery).await {
            Ok(handled) => !handled,
            Err(error) => {
                tracing::warn!(%error, "outbox delivery failed; trying again shortly");
                true
            }
        };
        if idle {
            tokio::select! {
                _ = tokio::time::sleep(delivery.settings.poll) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum Attempt {
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    #[error("{0}")]
    NotSent(String),
}

/// Claims and sends one due message. `Ok(false)`: nothing was due.
pub async fn deliver_one(delivery: &Delivery) -> anyhow::Result<bool> {
    let mut conn = delivery.pool.get().await?;
    let handled = conn
        .transaction(async |conn| {
            let Some(claimed) = outbox::claim_due(conn).await? else {
                return Ok::<_, diesel::result::Error>(false);
            };
            if !claimed.recipient_active {
                outbox::mark_skipped(conn, claimed.id).await?;
                return Ok(true);
            }
            // The links are made in a savepoint: kept only if the message went out.
            let sent = conn
                .transaction(async |conn| {
                    let message = compose(conn, delivery, &claimed).await?;
                    delivery
                        .mailer
                        .send(&message)
                        .await
                        .map_err(|e| Attempt::NotSent(e.0))
                })
                .await;
            match sent {
                Ok(()) => outbox::mark_sent(conn, claimed.id).await?,
                Err(Attempt::Db(error)) => return Err(error),
                Err(Attempt::NotSent(error)) => {
                    let attempts = claimed.attempts + 1;
                    let retry_at = retry_after(attempts, delivery.settings.retry_base)
                        .and_then(|wait| chrono::Duration::from_std(wait).ok())
                        .map(|wait| Utc::now() + wait);
                    tracing::warn!(
                        outbox_id = claimed.id,
                        attempts,
                        gave_up = retry_at.is_none(),
                        %error,
                        "e-mail not sent"
                    );
                    outbox::mark_attempt_failed(conn, claimed.id, retry_at, &error).await?;
                }
            }
            Ok(true)
        })
        .await?;
    Ok(handled)
}

/// A new single-use link for the recipient: `/sign-in/link?token=…&next=…`.
async fn link(
    conn: &mut AsyncPgConnection,
    delivery: &Delivery,
    user_id: uuid::Uuid,
    purpose: Purpose,
    target: &str,
) -> diesel::QueryResult<String> {
    let (token, hash) = tokens::new_refresh_token();
    sign_in_links::create(conn, user_id, &hash, purpose, target).await?;
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

async fn compose(
    conn: &mut AsyncPgConnection,
    delivery: &Delivery,
    claimed: &Claimed,
) -> Result<Outgoing, Attempt> {
    let kind = Kind::from_stored(&claimed.kind)
        .map_err(|e| Attempt::NotSent(format!("unknown message kind: {e}")))?;
    let user = claimed.recipient_id;
    let name = &claimed.recipient_name;
    let Rendered {
        subject,
        text,
        html,
    } = match kind {
        Kind::SignInLink => {
            let url = link(conn, delivery, user, Purpose::Request, "/").await?;
            render::sign_in(name, &url)
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
                    link: link(conn, delivery, user, Purpose::Notification, target).await?,
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
                link: link(conn, delivery, user, Purpose::Notification, target).await?,
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
