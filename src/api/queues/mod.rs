//! The work queues: `review` (evidence waiting for a tutor), `signoff` (KSBs waiting for a
//! mentor); the OTJ queue is `api::otj::queue`. What they share: their parameters and the total
//! of a windowed page.

pub mod review;
pub mod signoff;

use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::pagination::Page;
use crate::domain::scope::ListScope;

/// The total of a windowed page; an empty page past the end says nothing, so ask for row one.
pub fn total_of(first: Option<i64>, page: Page) -> Option<i64> {
    match first {
        Some(total) => Some(total),
        None if page.offset == 0 => Some(0),
        None => None,
    }
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
