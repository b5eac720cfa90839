//! What uploads share in one server process: the spool folder, a cap on each user's uploads in
//! progress, and a cap on file checks running at once.
//!
//! The caps are per process on purpose. They exist so that one user cannot tie up a
//! process's connections, spool disk and check threads; with several processes a user may
//! have a few more in flight in total, which is still bounded, and a shared counter (in the
//! database) would put a write on every upload's path and outlive a crashed process's
//! uploads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::config::Settings;
use crate::error::AppError;
use crate::storage::spool::Spool;

#[derive(Clone)]
pub struct Uploads {
    pub spool: Spool,
    in_flight: Arc<Mutex<HashMap<Uuid, usize>>>,
    per_user: usize,
    /// File checks (text extraction) running at once: one per core, like password hashing.
    pub checks: Arc<Semaphore>,
}

/// One admitted upload; its place is given back when dropped.
pub struct Admitted {
    in_flight: Arc<Mutex<HashMap<Uuid, usize>>>,
    user: Uuid,
}

impl Uploads {
    pub fn new(settings: &Settings) -> std::io::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Ok(Self {
            spool: Spool::new(&settings.data_dir.join("spool"))?,
            in_flight: Default::default(),
            per_user: settings.uploads_per_user.max(1),
            checks: Arc::new(Semaphore::new(cores)),
        })
    }

    /// Admits one more upload of `user`, or 429 when they already have the most allowed.
    pub fn admit(&self, user: Uuid) -> Result<Admitted, AppError> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        let count = in_flight.entry(user).or_insert(0);
        if *count >= self.per_user {
            return Err(AppError::TooManyRequests {
                detail: format!(
                    "You already have {} uploads in progress. Wait for one to finish, then try \
                     again.",
                    self.per_user
                ),
                retry_after_secs: 5,
            });
        }
        *count += 1;
        Ok(Admitted {
            in_flight: self.in_flight.clone(),
            user,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = in_flight.get_mut(&self.user) {
            *count -= 1;
            if *count == 0 {
                in_flight.remove(&self.user);
            }
        }
    }
}
