//! `GET /api/v1/admin/outbox`: administrators see the e-mail messages, what waits and what could
//! not be sent after its last attempt.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::db::outbox;
use crate::domain::notifications::{Delivery, OutboxStatus};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Only messages in this state: `pending`, `sent`, `failed`, `digested` or `skipped`.
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxRecipient {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: i64,
    /// What it is about, e.g. `evidence_submitted`, `sign_in_link`, `digest`.
    pub kind: String,
    /// `immediate` or `daily_digest`.
    pub delivery: Delivery,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub recipient: OutboxRecipient,
}

/// The e-mail outbox, newest first: what was sent, what waits, and what failed after its eighth
/// attempt. Administrators only.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    params(OutboxQuery, PageParams),
    responses(
        (status = 200, body = Paginated<OutboxMessage>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/outbox")]
pub async fn list_outbox(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<OutboxQuery>,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<OutboxMessage>>> {
    let query = query.0;
    let page = page_params.0.page()?;
    let status = query
        .status
        .as_deref()
        .map(|s| {
            OutboxStatus::parse(s).ok_or_else(|| {
                let labels: Vec<&str> = OutboxStatus::ALL.iter().map(|s| s.as_str()).collect();
                AppError::invalid("status", format!("must be one of {}", labels.join(", ")))
            })
        })
        .transpose()?;
    policy::read_outbox(&auth.actor)?;
    let mut conn = db_conn(&state).await?;
    let (rows, total) = outbox::list(&mut conn, status, page.limit, page.offset).await?;
    let items = rows
        .into_iter()
        .map(|r| OutboxMessage {
            id: r.id,
            kind: r.kind,
            delivery: r.delivery,
            status: r.status,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            last_error: r.last_error,
            created_at: r.created_at,
            sent_at: r.sent_at,
            recipient: OutboxRecipient {
                id: r.recipient_id,
                name: r.recipient_name,
                email: r.recipient_email,
            },
        })
        .collect();
    Ok(web::Json(Paginated::new(items, total, page)))
}
