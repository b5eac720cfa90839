//! Read-your-writes with a read replica: after a write request of a signed-in user has been
//! answered by its handler (its transaction committed), the primary's WAL position is recorded
//! on the user's live sessions (`db::sessions::record_write`) before the response leaves, so the
//! user's next request, on any app node, reads from the replica only once it has replayed that
//! far (`db::replica`).
//!
//! Only with DATABASE_READ_URL set (otherwise there is nothing to read behind), and only for
//! requests whose method may write (not GET, HEAD, OPTIONS) whose caller was authenticated
//! (`api::authenticated::Caller`) and whose answer is not a server error. It costs such a
//! request one statement on the primary. A failure to record is logged, not answered: the write
//! itself has been made.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;

use crate::api::authenticated::Caller;
use crate::state::AppState;

/// Records the caller's write position after a write request (see the module doc).
pub async fn record_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let reads_elsewhere = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.replica.is_some());
    let may_write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !(reads_elsewhere && may_write) {
        return next.call(req).await;
    }
    let response = next.call(req).await?;
    let caller = response.request().extensions().get::<Caller>().copied();
    let state = response
        .request()
        .app_data::<web::Data<AppState>>()
        .cloned();
    if let (Some(Caller(user_id)), Some(state)) = (caller, state)
        && !response.status().is_server_error()
    {
        let recorded = match crate::api::connection::db_conn(&state).await {
            Ok(mut conn) => crate::db::sessions::record_write(&mut conn, user_id)
                .await
                .map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        };
        if let Err(error) = recorded {
            tracing::warn!(%error, "could not record the write position for read-your-writes");
        }
    }
    Ok(response)
}
