//! `If-Match` for edits (evidence, OTJ entries, reviews, apprenticeships): a stale ETag answers
//! 412, none 428, so two people cannot overwrite each other.

use actix_web::HttpRequest;
use actix_web::http::header;

use crate::error::{AppError, AppResult};

/// The versions a client says it is editing, from `If-Match`: one or more strong ETags. `*`
/// is refused with 428 too: it would skip the lost-update check this header exists for. Weak
/// tags (`W/"1"`) never match (RFC 9110 §13.1.1), so they answer 412.
pub fn expected_versions(req: &HttpRequest) -> AppResult<Vec<i32>> {
    let value = req
        .headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != "*")
        .ok_or_else(|| {
            AppError::PreconditionRequired(
                "Send `If-Match` with the ETag from GET, so that edits cannot overwrite each other."
                    .into(),
            )
        })?;
    Ok(value
        .split(',')
        .map(str::trim)
        .filter_map(|tag| tag.strip_prefix('"')?.strip_suffix('"')?.parse().ok())
        .collect())
}
