//! `POST /api/v1/apprenticeships/{id}/otj`: the apprentice logs off-the-job training.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{OtjEntryResponse, check_day, organisations, response, validate};
use crate::api::access::visible_apprenticeship;
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::catalogue::standard_of;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::gateway::ensure_open;
use crate::api::idempotency::IdempotencyKey;
use crate::db::audit;
use crate::db::idempotency::{Deletable, DeletableKind};
use crate::db::otj as db_otj;
use crate::domain::otj::{self, OtjActivity, OtjStatus};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreateOtjRequest {
    /// Not in the future, not before the apprenticeship started.
    pub occurred_on: NaiveDate,
    /// 1–720; a day's entries together hold at most 720 minutes.
    pub minutes: i32,
    pub activity: OtjActivity,
    /// What the training was, 1–2,000 characters (no patient data).
    pub description: String,
    /// KSB codes of the standard the training served, e.g. `["K5"]`.
    #[serde(default)]
    pub ksbs: Vec<String>,
}

/// Log off-the-job training (pending the provider's approval). Only the apprentice logs their
/// own. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "otj",
    security(("bearer" = [])),
    request_body = CreateOtjRequest,
    params(crate::api::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = OtjEntryResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "an invalid field, the day's 720 minutes passed, or an NHS number in the text", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/{id}/otj")]
pub async fn create_otj(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    idempotency: IdempotencyKey,
    body: Json<CreateOtjRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    policy::log_otj(&auth.actor, &apprenticeship.parties())?;
    let standard = standard_of(&state, &mut conn, &apprenticeship).await?;
    let valid = validate(
        &standard,
        &apprenticeship,
        body.occurred_on,
        body.minutes,
        body.activity,
        &body.description,
        &body.ksbs,
    )?;
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body).await? {
                return Ok::<_, AppError>(replay);
            }
            // Locks the apprenticeship row, as the daily cap needs, and refuses at gateway.
            ensure_open(conn, apprenticeship.id).await?;
            check_day(conn, apprenticeship.id, &valid.content, None).await?;
            let row =
                db_otj::insert(conn, apprenticeship.id, &valid.content, auth.actor.user_id).await?;
            db_otj::set_ksbs(conn, row.id, &valid.ksb_ids).await?;
            let delta = otj::delta(None, Some((OtjStatus::Pending, row.minutes)));
            db_otj::move_kept(conn, apprenticeship.id, delta).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "otj.created",
                    "otj_entry",
                    row.id,
                    organisations(&apprenticeship),
                    serde_json::json!({
                        "apprenticeship_id": apprenticeship.id,
                        "occurred_on": row.occurred_on,
                        "minutes": row.minutes,
                        "activity": row.activity,
                        "ksbs": valid.ksb_codes,
                    }),
                ),
            )
            .await?;
            let created = Deletable {
                kind: DeletableKind::OtjEntry,
                id: row.id,
            };
            let dto = response(row, valid.ksb_codes.clone())?;
            idempotency
                .store_deletable(conn, &auth, StatusCode::CREATED, &dto, created)
                .await
        })
        .await?;
    Ok(created.into_response())
}
