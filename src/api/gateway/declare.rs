//! `POST /api/v1/apprenticeships/{id}/gateway/declarations` (provider staff, then the apprentice,
//! then an employer user, while every check is met) and
//! `POST /api/v1/apprenticeships/{id}/gateway/withdraw` (provider staff void the declarations
//! and unfreeze the portfolio).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{GatewayResponse, frozen, people, readiness, response};
use crate::api::access::visible_apprenticeship;
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::idempotency::IdempotencyKey;
use crate::api::patient_data::required_reason;
use crate::api::reviews::organisations;
use crate::db::gateway as db_gateway;
use crate::db::{audit, users};
use crate::domain::gateway::{self, GatewayConflict};
use crate::domain::policy;
use crate::error::{AppError, AppResult, unique_violation};
use crate::state::AppState;

/// Why a declaration made on an earlier portfolio no longer counts.
const STALE: &str = "The portfolio changed after this declaration, so it no longer counts; \
                     the parties declare again on the portfolio as it is now.";

fn refused(conflict: GatewayConflict, checks: &[gateway::GatewayCheck]) -> AppError {
    let detail = match &conflict {
        GatewayConflict::NotReady(_) => {
            let unmet: Vec<String> = checks
                .iter()
                .filter(|c| !c.met)
                .map(|c| format!("{} ({})", c.code.as_str(), c.detail))
                .collect();
            format!(
                "The apprentice is not ready for gateway. Not met: {}",
                unmet.join("; ")
            )
        }
        _ => conflict.to_string(),
    };
    AppError::conflict("gateway_declaration_refused", detail)
}

/// Declare the apprentice ready for end-point assessment in the caller's role (no body). The
/// third declaration freezes the portfolio. Declarations made on an earlier portfolio are voided
/// first. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "gateway",
    security(("bearer" = [])),
    params(crate::api::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = GatewayResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "a check is not met, out of order, declared already, or at gateway", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/{id}/gateway/declarations")]
pub async fn declare_gateway(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    idempotency: IdempotencyKey,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    let role = policy::declare_gateway(&auth.actor, &apprenticeship.parties())?;
    let declared = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &()).await? {
                return Ok::<_, AppError>(replay);
            }
            // Under the row lock that every portfolio change takes (`super::ensure_open`).
            if let Some(at) = db_gateway::lock_and_read_declared_at(conn, apprenticeship.id).await?
            {
                return Err(frozen(at));
            }
            let computed = readiness(&state, conn, &apprenticeship).await?;
            let stale: Vec<Uuid> = computed
                .declarations
                .iter()
                .filter(|d| d.voided_at.is_none() && d.content_sha256 != computed.content_sha256)
                .map(|d| d.id)
                .collect();
            let voided =
                db_gateway::void_declarations(conn, apprenticeship.id, Some(&stale), None, STALE)
                    .await?;
            let names = users::names(&*conn, &people(&computed)).await?;
            let live: Vec<_> = computed
                .live(&names)
                .into_iter()
                .filter(|d| d.content_sha256 == computed.content_sha256)
                .collect();
            gateway::check_declare(&computed.checks, &live, &computed.content_sha256, role)
                .map_err(|e| refused(e, &computed.checks))?;
            db_gateway::insert_declaration(
                conn,
                apprenticeship.id,
                role,
                auth.actor.user_id,
                &computed.content_sha256,
            )
            .await
            .map_err(|e| match unique_violation(&e) {
                Some("gateway_declarations_live") => AppError::conflict(
                    "gateway_declaration_refused",
                    "This party has just declared; each party declares once.",
                ),
                _ => e.into(),
            })?;
            let complete = gateway::DECLARATION_ORDER.last() == Some(&role);
            if complete {
                db_gateway::set_declared_at(conn, apprenticeship.id, Some(Utc::now())).await?;
            }
            audit::record(
                conn,
                entry(
                    &auth,
                    "gateway.declared",
                    "apprenticeship",
                    apprenticeship.id,
                    organisations(&apprenticeship),
                    serde_json::json!({
                        "role": role.as_str(),
                        "content_sha256": computed.content_sha256,
                        "portfolio_frozen": complete,
                        "voided_earlier_declarations": voided,
                    }),
                ),
            )
            .await?;
            let after = readiness(&state, conn, &apprenticeship).await?;
            let dto = response(conn, &apprenticeship, after).await?;
            idempotency
                .store(conn, &auth, StatusCode::CREATED, &dto)
                .await
        })
        .await?;
    Ok(declared.into_response())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WithdrawRequest {
    /// Why the apprentice is no longer at gateway (1–2,000 characters).
    pub reason: String,
}

/// Void every live declaration (kept, marked void with the reason) and unfreeze the portfolio.
/// Staff of the apprenticeship's provider.
#[utoipa::path(
    tag = "gateway",
    security(("bearer" = [])),
    request_body = WithdrawRequest,
    responses(
        (status = 200, body = GatewayResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "no declaration to withdraw", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "no reason", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/{id}/gateway/withdraw")]
pub async fn withdraw_gateway(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    body: Json<WithdrawRequest>,
) -> AppResult<web::Json<GatewayResponse>> {
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    policy::manage_gateway(&auth.actor, &apprenticeship.parties())?;
    let reason = required_reason(&body.0.reason, "say why the declaration is withdrawn")?;
    let dto = conn
        .transaction(async |conn| {
            let was_frozen = db_gateway::lock_and_read_declared_at(conn, apprenticeship.id)
                .await?
                .is_some();
            let voided = db_gateway::void_declarations(
                conn,
                apprenticeship.id,
                None,
                Some(auth.actor.user_id),
                &reason,
            )
            .await?;
            if voided == 0 {
                return Err(AppError::conflict(
                    "nothing_to_withdraw",
                    "Nobody has declared this apprentice ready for gateway, so there is nothing \
                     to withdraw.",
                ));
            }
            db_gateway::set_declared_at(conn, apprenticeship.id, None).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "gateway.withdrawn",
                    "apprenticeship",
                    apprenticeship.id,
                    organisations(&apprenticeship),
                    serde_json::json!({
                        "voided_declarations": voided,
                        "portfolio_unfrozen": was_frozen,
                        "reason": reason,
                    }),
                ),
            )
            .await?;
            let after = readiness(&state, conn, &apprenticeship).await?;
            response(conn, &apprenticeship, after).await
        })
        .await?;
    Ok(web::Json(dto))
}
