//! `GET`/`PUT /api/v1/me/notifications` (how I hear about what waits for me) and
//! `GET /api/v1/admin/outbox` (administrators: messages, and the ones that could not be sent).

use actix_web::{get, put, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::audit::entry;
use super::db_conn;
use super::extract::{Json, Query};
use super::pagination::{PageParams, Paginated};
use crate::auth::Authenticated;
use crate::db::audit;
use crate::db::outbox;
use crate::domain::notifications::{Delivery, default_delivery};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationSettings {
    /// How you hear about what waits for you: an e-mail per event, one a day, or none.
    pub delivery: Delivery,
    /// Your role's choice until you make one (mentors: `daily_digest`; others: `immediate`).
    pub default: Delivery,
    /// Whether you chose `delivery` yourself.
    pub chosen: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NotificationSettingsInput {
    pub delivery: Delivery,
}

async fn current(
    conn: &mut diesel_async::AsyncPgConnection,
    auth: &Authenticated,
) -> AppResult<NotificationSettings> {
    let default = default_delivery(auth.actor.role);
    let chosen = outbox::preference(conn, auth.actor.user_id)
        .await?
        .map(|stored| Delivery::from_stored(&stored))
        .transpose()
        .map_err(AppError::internal)?;
    Ok(NotificationSettings {
        delivery: chosen.unwrap_or(default),
        default,
        chosen: chosen.is_some(),
    })
}

/// Your notification settings.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, body = NotificationSettings),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/notifications")]
pub async fn get_notifications(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> AppResult<web::Json<NotificationSettings>> {
    let mut conn = db_conn(&state).await?;
    Ok(web::Json(current(&mut conn, &auth).await?))
}

/// Choose how you hear about what waits for you: `immediate` (an e-mail per event),
/// `daily_digest` (one e-mail a day at the digest hour, London time) or `off`. Sign-in links
/// you ask for always arrive.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    request_body = NotificationSettingsInput,
    responses(
        (status = 200, body = NotificationSettings),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/notifications")]
pub async fn put_notifications(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<NotificationSettingsInput>,
) -> AppResult<web::Json<NotificationSettings>> {
    let delivery = body.0.delivery;
    let mut conn = db_conn(&state).await?;
    conn.transaction(async |conn| {
        outbox::set_preference(conn, auth.actor.user_id, delivery).await?;
        audit::record(
            conn,
            entry(
                &auth,
                "user.notifications_changed",
                "user",
                auth.actor.user_id,
                auth.actor.organisation_id.into_iter().collect(),
                serde_json::json!({ "delivery": delivery.as_str() }),
            ),
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(web::Json(current(&mut conn, &auth).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Only messages in this state: `pending`, `sent`, `failed`, `digested` or `skipped`.
    pub status: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// Items to skip, 0–1,000,000 (default 0).
    #[param(minimum = 0, maximum = 1_000_000, default = 0)]
    pub offset: Option<i64>,
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
    pub delivery: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub recipient: OutboxRecipient,
}

const STATUSES: &[&str] = &["pending", "sent", "failed", "digested", "skipped"];

/// The e-mail outbox, newest first: what was sent, what waits, and what failed after its eighth
/// attempt. Administrators only.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    params(OutboxQuery),
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
) -> AppResult<web::Json<Paginated<OutboxMessage>>> {
    let query = query.0;
    let page = PageParams {
        limit: query.limit,
        offset: query.offset,
    }
    .page()?;
    if let Some(status) = query.status.as_deref()
        && !STATUSES.contains(&status)
    {
        return Err(AppError::invalid(
            "status",
            "must be one of pending, sent, failed, digested, skipped",
        ));
    }
    policy::read_outbox(&auth.actor)?;
    let mut conn = db_conn(&state).await?;
    let (rows, total) =
        outbox::list(&mut conn, query.status.as_deref(), page.limit, page.offset).await?;
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
