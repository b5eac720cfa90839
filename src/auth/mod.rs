//! Authentication: password hashing, access tokens (JWT), refresh tokens, the extractor that
//! turns a bearer token into an [`crate::domain::scope::Actor`], and login throttling rules.

pub mod extractor;
pub mod jwt;
pub mod password;
pub mod secret;
pub mod throttle;
pub mod tokens;

pub use extractor::Authenticated;
