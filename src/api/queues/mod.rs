//! The work queues: `review` (evidence waiting for a tutor), `signoff` (KSBs waiting for a
//! mentor); the OTJ queue is `api::otj::queue`. What they share: their parameters and the total
//! of a windowed page.

pub mod review;
pub mod signoff;

use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::pagination::Page;
use crate::domain::scope::ListScope;
use crate::error::AppResult;

/// The total of a windowed page (`first`: the `count(*) OVER ()` of its first row); an empty
/// page past the end says nothing, so `first_row_total` asks for row one.
pub async fn total_of<F: Future<Output = diesel::QueryResult<Option<i64>>>>(
    first: Option<i64>,
    page: Page,
    first_row_total: impl FnOnce() -> F,
) -> AppResult<i64> {
    Ok(match first {
        Some(total) => total,
        None if page.offset == 0 => 0,
        None => first_row_total().await?.unwrap_or(0),
    })
}

/// The parameters of both work queues.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `mine` (the default: apprenticeships where you are the tutor or the mentor) or
    /// `organisation` (everything of your organisation).
    #[param(inline)]
    pub scope: Option<ListScope>,
}
