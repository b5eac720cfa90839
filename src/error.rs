//! The one error type of the HTTP edge, and its `application/problem+json` body (RFC 9457).
//!
//! Every failure a client can see goes through [`AppError`]: handlers return it, actix's own
//! extractor errors are mapped onto it (see `api::errors`), and lower layers convert their narrow
//! errors into it. Internal causes are logged here and never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field of a request, named as the client sent it (`ksbs[2]`, `occurred_on`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The errors of the HTTP layer, one variant per HTTP meaning.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{detail}")]
    Validation {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("{0}")]
    RequestTimeout(String),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{detail}")]
    TooManyRequests {
        detail: String,
        retry_after_secs: u64,
    },
    #[error("{0}")]
    Unavailable(String),
    /// The disk or object store is full (507).
    #[error("{0}")]
    InsufficientStorage(String),
    /// Anything unexpected. The cause is logged with the request id; the client sees a generic text.
    #[error("internal error: {0}")]
    Internal(anyhow::Error),
}

impl AppError {
    /// A validation error for one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let error = FieldError::new(field, message);
        Self::Validation {
            detail: format!("{}: {}", error.field, error.message),
            errors: vec![error],
        }
    }

    /// A validation error for several fields; `detail` summarises them for a human.
    pub fn invalid_fields(errors: Vec<FieldError>) -> Self {
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        Self::Validation { detail, errors }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::NotFound(format!("No {what} with that identifier is visible to you."))
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::from(cause.into())
    }

    /// The stable snake_case code the frontend switches on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "validation_failed",
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::MethodNotAllowed(_) => "method_not_allowed",
            Self::Conflict { code, .. } => code,
            Self::RequestTimeout(_) => "request_timeout",
            Self::PreconditionFailed(_) => "precondition_failed",
            Self::PreconditionRequired(_) => "precondition_required",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::Unavailable(_) => "unavailable",
            Self::InsufficientStorage(_) => "insufficient_storage",
            Self::Internal(_) => "internal_error",
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::Internal(_) => {
                "Something went wrong on our side. It has been logged; please try again.".into()
            }
            other => other.to_string(),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URN naming the kind of problem: `urn:ksbfolio:problem:{code}`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// A human sentence saying what went wrong and, where it helps, what to do.
    pub detail: String,
    /// Stable snake_case identifier of the problem.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

pub const PROBLEM_JSON: &str = "application/problem+json";

/// `Retry-After` of every 503.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let Self::Internal(cause) = self {
            // The cause chain in one line (`{:#}`), never a backtrace: an expected database error
            // (a constraint, a lost connection) says what happened without pages of frames.
            tracing::error!(error = %format!("{cause:#}"), "request failed with an internal error");
        }
        let problem = Problem::new(status, self.code(), self.detail()).with_errors(match self {
            Self::Validation { errors, .. } => Some(errors.clone()),
            _ => None,
        });
        let mut response = problem.response_builder();
        match self {
            Self::Unauthorized(_) => {
                response
                    .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            Self::TooManyRequests {
                retry_after_secs, ..
            } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Unavailable(_) => {
                // A database that did not answer or a pool that is full usually recovers within
                // seconds; tell clients when to try again rather than have them hammer it.
                response.insert_header((
                    header::RETRY_AFTER,
                    UNAVAILABLE_RETRY_AFTER_SECS.to_string(),
                ));
            }
            _ => {}
        }
        response.json(problem)
    }
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("urn:ksbfolio:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_string(),
            errors: None,
        }
    }

    pub fn with_errors(mut self, errors: Option<Vec<FieldError>>) -> Self {
        self.errors = errors;
        self
    }

    /// A response builder with this problem's status and the problem+json content type.
    pub fn response_builder(&self) -> actix_web::HttpResponseBuilder {
        let mut builder = HttpResponse::build(
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
        builder.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        builder
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// A policy refusal is a 403 with the policy's own sentence.
impl From<crate::domain::policy::Denied> for AppError {
    fn from(denied: crate::domain::policy::Denied) -> Self {
        Self::Forbidden(denied.0)
    }
}

/// Database failures that reach the edge unhandled are internal; expected ones (a unique
/// violation, a missing row) are mapped where they are caught. A database that is not there right
/// now (connection lost, server restarting, PgBouncer without a server: `db::unavailable`) is 503,
/// as when the pool cannot connect: the request may succeed when repeated.
impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        Self::from(anyhow::Error::from(error))
    }
}

/// Unexpected failures are internal, except a database that is not there right now anywhere in
/// the cause chain (also when a query function wrapped it with context).
impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        let unavailable = error.chain().any(|cause| {
            cause
                .downcast_ref::<diesel::result::Error>()
                .is_some_and(crate::db::unavailable::is_unavailable)
        });
        if unavailable {
            tracing::warn!(error = %format!("{error:#}"), "the database is unavailable");
            return Self::Unavailable(
                "The database is not available right now; please try again shortly.".into(),
            );
        }
        Self::Internal(error)
    }
}

/// The constraint a unique violation broke, to map it to a field at the call site.
pub fn unique_violation(error: &diesel::result::Error) -> Option<&str> {
    match error {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            info,
        ) => info.constraint_name(),
        _ => None,
    }
}

/// A stored name no enum variant carries is a broken invariant, never a default.
impl From<crate::domain::labels::UnknownLabel> for AppError {
    fn from(error: crate::domain::labels::UnknownLabel) -> Self {
        Self::Internal(error.into())
    }
}
