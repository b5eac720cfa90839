//! `POST /api/v1/apprenticeships/{id}/signoffs/{signoff_id}/revoke`: withdrawing a sign-off, with
//! a reason; it stays in the record.

use actix_web::{post, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{SignoffResponse, require_mentor, responses};
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::gateway::ensure_open;
use crate::api::patient_data::required_reason;
use crate::db::{audit, ksb_statuses, signoffs};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RevokeRequest {
    pub reason: String,
}

/// Revoke a sign-off, with a reason. It stays in the list.
#[utoipa::path(
    tag = "signoffs",
    security(("bearer" = [])),
    request_body = RevokeRequest,
    responses(
        (status = 200, body = SignoffResponse),
        (status = 409, description = "already revoked", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/{id}/signoffs/{signoff_id}/revoke")]
pub async fn revoke_signoff(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<RevokeRequest>,
) -> AppResult<web::Json<SignoffResponse>> {
    let (id, signoff_id) = path.into_inner();
    let reason = required_reason(&body.0.reason, "must say why the sign-off is revoked")?;
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, id).await?;
    let response = conn
        .transaction(async |conn| {
            ensure_open(conn, apprenticeship.id).await?;
            let existing = signoffs::find(conn, signoff_id)
                .await?
                .filter(|s| s.apprenticeship_id == apprenticeship.id)
                .ok_or_else(|| AppError::not_found("sign-off"))?;
            require_mentor(conn, &auth.actor, &apprenticeship).await?;
            let revoked = signoffs::revoke(conn, existing.id, auth.actor.user_id, &reason)
                .await?
                .ok_or_else(|| {
                    AppError::conflict("already_revoked", "This sign-off is already revoked.")
                })?;
            ksb_statuses::apply(
                conn,
                apprenticeship.id,
                apprenticeship.standard_id,
                ksb_statuses::Change::SignOff {
                    ksbs: &[revoked.ksb_id],
                    active: None,
                },
            )
            .await?;
            audit::record(
                conn,
                crate::api::audit_entry::entry(
                    &auth,
                    "signoff.revoked",
                    "signoff",
                    revoked.id,
                    vec![apprenticeship.employer_id, apprenticeship.provider_id],
                    serde_json::json!({ "apprenticeship_id": apprenticeship.id, "reason": reason }),
                ),
            )
            .await?;
            let code = signoffs::list(conn, apprenticeship.id)
                .await?
                .into_iter()
                .find(|(s, _)| s.id == revoked.id)
                .map(|(_, code)| code)
                .unwrap_or_default();
            responses(conn, vec![(revoked, code)])
                .await?
                .pop()
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("one response")))
        })
        .await?;
    Ok(web::Json(response))
}
