//! Passwords a person can manage: `POST /api/v1/me/password` (change your own),
//! `POST /api/v1/users/{id}/password-link` (an administrator makes a single-use link to set one)
//! and `POST /api/v1/auth/password-link/redeem` (the person sets it through the link).
//!
//! Security decisions: changing a password needs the current one, and guesses at it are counted
//! by the sign-in throttle like sign-ins; every other session of the user ends. A link is 32
//! random bytes kept only as SHA-256, valid 24 hours, single use, void once a newer one is made;
//! until e-mail notifications exist it is shown once to the administrator who made it. Setting a
//! password through a link ends every session of the user. A used, expired or unknown link gets
//! one answer.
//! One file per verb; here the password rule they share.

pub mod change;
pub mod link;
pub mod redeem;

use crate::domain::identity;
use crate::error::{AppError, AppResult};

pub(super) fn new_password(raw: &str, field: &str) -> AppResult<()> {
    identity::check_password(raw).map_err(|m| AppError::invalid(field, m))
}
