//! Removing what a crash mid-upload leaves behind: spool files, and stored files that never got
//! their attachment row (the row is written after the file is stored).
//!
//! It runs at start-up and then hourly. Several server processes may share the data folder or
//! bucket and upload at the same moment, so only what is older than [`GRACE`] is touched: a
//! spool file lives for one upload (at most the upload deadline plus its check), and a stored
//! file gets its row within moments of being stored, so an hour-old file without a row is
//! an orphan whichever process wrote it.

use std::time::Duration;

use crate::db::DbPool;
use crate::storage::Storage;
use crate::storage::spool::Spool;

/// How old a leftover must be before it is removed.
pub const GRACE: Duration = Duration::from_secs(60 * 60);

/// Where stored attachments live (keys are `evidence/{evidence_id}/{attachment_id}`).
const PREFIX: &str = "evidence";

/// What one sweep removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub spool_files: usize,
    pub orphans: usize,
}

/// One sweep; leftovers younger than `grace` stay.
pub async fn sweep(
    storage: &Storage,
    spool: &Spool,
    pool: &DbPool,
    grace: Duration,
) -> anyhow::Result<Swept> {
    let mut swept = Swept::default();
    let now = std::time::SystemTime::now();
    let mut entries = tokio::fs::read_dir(spool.dir()).await?;
    while let Some(entry) = entries.next_entry().await? {
        let modified = entry.metadata().await?.modified()?;
        if now.duration_since(modified).unwrap_or_default() > grace {
            tokio::fs::remove_file(entry.path()).await?;
            swept.spool_files += 1;
        }
    }

    let before = chrono::Utc::now() - chrono::Duration::from_std(grace)?;
    let old = storage.keys_older_than(PREFIX, before).await?;
    for keys in old.chunks(500) {
        let mut conn = pool.get().await?;
        let kept = crate::db::attachments::existing_keys(&mut conn, keys).await?;
        drop(conn);
        for key in keys.iter().filter(|k| !kept.contains(k)) {
            storage.delete(key).await?;
            tracing::info!(%key, "removed a stored file that has no attachment row");
            swept.orphans += 1;
        }
    }
    Ok(swept)
}

/// Sweeps now and then every hour, for as long as the runtime lives.
pub fn spawn(storage: Storage, spool: Spool, pool: DbPool) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(GRACE);
        loop {
            every.tick().await;
            match sweep(&storage, &spool, &pool, GRACE).await {
                Ok(swept) if swept != Swept::default() => {
                    tracing::info!(?swept, "removed leftovers of interrupted uploads");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "the upload leftovers sweep failed"),
            }
        }
    });
}
