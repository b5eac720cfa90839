//! Passwords a person can manage: `POST /api/v1/me/password` (change your own),
//! `POST /api/v1/users/{id}/password-link` (an administrator e-mails a single-use link to set one)
//! and `POST /api/v1/auth/password-link/redeem` (the person sets it through the link).
//!
//! Security decisions: changing a password needs the current one, and guesses at it are counted
//! by the sign-in throttle like sign-ins; every other session of the user ends. A link is 32
//! random bytes kept only as SHA-256, valid 24 hours, single use, void once a newer one is made.
//! It goes only to the person's own e-mail address: the administrator's request writes an outbox
//! message, and the delivery worker makes the link as it sends it, so the token is in no response
//! and no table, and an administrator cannot take over an account by setting its password. Setting
//! a password through a link ends every session of the user. A used, expired or unknown link gets
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
