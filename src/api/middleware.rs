//! Request-wide middleware: a request id on every request and log line, and a problem+json body
//! for any error response that does not already carry one (actix's own 404/405, file errors …).

use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, ResponseError};
use tracing::Instrument;

use crate::error::{AppError, PROBLEM_JSON, Problem};

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request, in the request's extensions (for the audit trail).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// A client-sent id is kept when it is short and plain (so it cannot forge log lines); otherwise a
/// new UUID is made.
fn sane_request_id(value: &HeaderValue) -> Option<String> {
    let value = value.to_str().ok()?;
    let ok = (1..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| value.to_string())
}

/// Counts the request in the process's [`RequestLoad`](crate::request_load::RequestLoad) until
/// its response is ready, so the mail delivery worker knows the process is busy.
pub async fn count_in_flight(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let _in_flight = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .map(|state| state.load.enter());
    next.call(req).await
}

/// Gives each request an id, runs it inside a span carrying that id, echoes the id in the
/// `X-Request-Id` response header and logs one line per request.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(sane_request_id)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.path(),
    );
    let started = Instant::now();
    let mut response = next.call(req).instrument(span.clone()).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "request finished"
        );
    });
    Ok(response)
}

/// Rewrites a bare error response into problem+json, keeping its status and headers (`Allow`).
pub async fn problem_for_bare_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let response = next.call(req).await?;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return Ok(response.map_into_left_body());
    }
    let (request, old) = response.into_parts();
    let mut replacement = match status {
        StatusCode::NOT_FOUND => AppError::NotFound("There is nothing at this address.".into()),
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed(format!(
            "{} is not allowed on {}.",
            request.method(),
            request.path()
        )),
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge(
            "The request body is larger than this endpoint accepts.".into(),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType(
            "This endpoint does not accept that content type.".into(),
        ),
        other if other.is_server_error() => AppError::internal(anyhow::anyhow!(
            "bare {other} response from {}",
            request.path()
        )),
        other => {
            let code = other
                .canonical_reason()
                .unwrap_or("error")
                .to_lowercase()
                .replace(' ', "_");
            let body = Problem::new(other, &code, "The request could not be handled.");
            let replacement = body.response_builder().json(body);
            return Ok(ServiceResponse::new(request, replacement).map_into_right_body());
        }
    }
    .error_response();
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            replacement
                .headers_mut()
                .insert(name.clone(), value.clone());
        }
    }
    Ok(ServiceResponse::new(request, replacement).map_into_right_body())
}

/// When enabled (tests, benchmarks), counts the SQL statements each request runs, on the primary
/// and the read replica alike, and reports them in the `X-Db-Queries` response header; a
/// read-only endpoint also reports in `X-Db-Read` whether the `primary` or the `replica` served
/// its reads.
pub async fn count_queries(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

    let enabled = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .is_some_and(|s| s.settings.expose_query_count);
    if !enabled {
        return next.call(req).await;
    }
    use crate::db::query_count::{QUERIES, READ_FROM, read_from_label};
    let counter = Arc::new(AtomicUsize::new(0));
    let read_from = Arc::new(AtomicU8::new(0));
    let mut response = QUERIES
        .scope(
            counter.clone(),
            READ_FROM.scope(read_from.clone(), next.call(req)),
        )
        .await?;
    if let Ok(value) = HeaderValue::from_str(&counter.load(Ordering::Relaxed).to_string()) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-db-queries"), value);
    }
    if let Some(label) = read_from_label(read_from.load(Ordering::Relaxed)) {
        response.headers_mut().insert(
            HeaderName::from_static("x-db-read"),
            HeaderValue::from_static(label),
        );
    }
    Ok(response)
}
