//! The database deadline of every request: once a request has spent `KSBFOLIO_DB_DEADLINE_SECS`
//! waiting for or holding database connections, it is answered 503 (problem+json, Retry-After)
//! instead of waiting on a database that has stopped answering.
//!
//! The deadline lives here, around the whole handler, and not around each query: handlers,
//! extractors (`Authenticated`) and `/readyz` get it without doing anything. It counts only
//! database time (`db::deadline::DbClock`), so an attachment upload, which drops its connection
//! while the file streams in, is never cut by it.
//!
//! Why cutting a handler short is safe: dropping the handler's future drops everything it owns,
//! in the middle of whatever it awaited. A transaction that had begun is not committed; its
//! connection is marked broken (`db::deadline::DbConn`'s `Drop`), so the pool discards it instead
//! of lending it out again, and the server rolls the transaction back when it sees the connection
//! close. Each transaction is applied whole (if its COMMIT had already reached the server) or not
//! at all; nothing half-written becomes visible, exactly as when the client disconnects.

use std::future::Future;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, ResponseError, web};

use super::middleware::X_REQUEST_ID;
use crate::api::middleware::RequestId;
use crate::db::deadline::{DB_CLOCK, DbClock};
use crate::error::AppError;
use crate::state::AppState;

/// Runs the request with a database clock and answers 503 when it passes the deadline.
///
/// The 503 leaves as an error carrying its finished response, not as a `ServiceResponse`: that
/// needs the `HttpRequest`, which the dropped handler owned, and actix's router refuses to route
/// a request of which a copy is kept. So the headers the outer middleware would add (request id,
/// security headers, `no-store`) are set here.
pub async fn db_deadline(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some((deadline, hsts)) = req
        .app_data::<web::Data<AppState>>()
        .map(|state| (state.settings.db_deadline, state.settings.hsts))
    else {
        return next.call(req).await;
    };
    let docs = req.path().starts_with("/api/docs");
    let request_id = req.extensions().get::<RequestId>().map(|id| id.0.clone());
    let clock = Arc::new(DbClock::default());
    let handler = DB_CLOCK.scope(clock.clone(), next.call(req));
    if let Some(response) = within(&clock, deadline, handler).await {
        return response;
    }
    tracing::warn!(
        status = 503,
        deadline_secs = deadline.as_secs_f64(),
        "the database did not answer within the deadline"
    );
    let mut response = AppError::Unavailable(format!(
        "The database did not answer within {} seconds; please try again shortly. A change may \
         still have been saved if the database was finishing it: check before repeating it, or \
         repeat it with the same Idempotency-Key.",
        deadline.as_secs()
    ))
    .error_response();
    let headers = response.headers_mut();
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        headers.insert(X_REQUEST_ID, id);
    }
    super::security_headers::apply(headers, docs, hsts);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Err(actix_web::error::InternalError::from_response("database deadline passed", response).into())
}

/// Polls `work` until it finishes (`Some`) or `clock` passes `deadline` (`None`). The clock only
/// moves while `work` holds or waits for a connection, and that only changes while `work` is
/// polled, so the timer is re-armed after every poll and left unarmed while the clock stands.
async fn within<F: Future>(clock: &DbClock, deadline: Duration, work: F) -> Option<F::Output> {
    let mut work = std::pin::pin!(work);
    let mut timer = std::pin::pin!(tokio::time::sleep(deadline));
    let outcome = std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        let (spent, running) = clock.spent();
        if spent >= deadline {
            return Poll::Ready(None);
        }
        if running {
            timer
                .as_mut()
                .reset(tokio::time::Instant::now() + (deadline - spent));
            if timer.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
        }
        Poll::Pending
    })
    .await;
    if outcome.is_none() {
        // Before `work` is dropped (when this function returns), so that the connections it
        // still holds know they must not go back to the pool as they are.
        clock.expire();
    }
    outcome
}
