//! Authentication: password hashing, access tokens (JWT), refresh tokens and sign-in throttling
//! rules. The extractor that turns a bearer token into a caller is HTTP: `api::authenticated`.

pub mod client_address;
pub mod jwt;
pub mod password;
pub mod secret;
pub mod throttle;
pub mod tokens;
