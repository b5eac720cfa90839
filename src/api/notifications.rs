//! `GET`/`PUT /api/v1/me/notifications`: how I hear about what waits for me (the outbox itself
//! is `api::outbox`).

use actix_web::{get, put, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::db::audit;
use crate::db::outbox;
use crate::domain::notifications::{Delivery, default_delivery};
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
    let chosen = outbox::preference(conn, auth.actor.user_id).await?;
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
