//! `POST /api/v1/apprenticeships/{id}/signoffs`: the apprenticeship's mentor signs off a KSB; the
//! sign-off keeps the SHA-256 of the accepted evidence revisions behind it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    SignoffResponse, already_signed_off, checked_comment, no_accepted_evidence, require_mentor,
    responses,
};
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::catalogue::standard_of;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::gateway::ensure_open;
use crate::api::idempotency::IdempotencyKey;
use crate::db::{audit, ksb_statuses, signoff_hash, signoffs};
use crate::error::{AppError, AppResult, unique_violation};
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreateSignoffRequest {
    /// A KSB code, e.g. `S7`.
    pub ksb: String,
    #[serde(default)]
    pub comment: String,
}

/// Sign off a KSB that has at least one accepted piece of evidence. One active sign-off per KSB.
/// Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "signoffs",
    security(("bearer" = [])),
    params(crate::api::idempotency::IdempotencyHeader),
    request_body = CreateSignoffRequest,
    responses(
        (status = 201, body = SignoffResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "no accepted evidence yet, or already signed off", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/{id}/signoffs")]
pub async fn create_signoff(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    idempotency: IdempotencyKey,
    body: Json<CreateSignoffRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let code = body.ksb.trim().to_uppercase();
    let comment = checked_comment(&body.comment)?;
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    require_mentor(&mut conn, &auth.actor, &apprenticeship).await?;
    let ksb_id = standard_of(&state, &mut conn, &apprenticeship)
        .await?
        .ksb_by_code(&code)
        .map(|k| k.id)
        .ok_or_else(|| AppError::invalid("ksb", format!("{code} is not a KSB of this standard")))?;
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body).await? {
                return Ok::<_, AppError>(replay);
            }
            ensure_open(conn, apprenticeship.id).await?;
            // Read the raw rows inside the transaction: the precondition holds when we write.
            let accepted = ksb_statuses::compute(
                conn,
                apprenticeship.id,
                apprenticeship.standard_id,
                ksb_statuses::KsbSelection::Only(&[ksb_id]),
            )
            .await?
            .into_iter()
            .find(|k| k.ksb_id == ksb_id)
            .is_some_and(|k| k.counts.accepted > 0);
            if !accepted {
                return Err(no_accepted_evidence(&code));
            }
            let mut signoff = signoffs::insert(
                conn,
                apprenticeship.id,
                ksb_id,
                auth.actor.user_id,
                &comment,
            )
            .await
            .map_err(|e| match unique_violation(&e) {
                Some("signoffs_one_active_key") => already_signed_off(&code),
                _ => e.into(),
            })?;
            signoff.content_sha256 = signoff_hash::hash_and_store(conn, &[signoff.id])
                .await?
                .remove(&signoff.id);
            let active = Some((signoff.created_at, signoff.signed_off_by));
            ksb_statuses::apply(
                conn,
                apprenticeship.id,
                apprenticeship.standard_id,
                ksb_statuses::Change::SignOff {
                    ksbs: &[ksb_id],
                    active,
                },
            )
            .await?;
            audit::record(
                conn,
                crate::api::audit_entry::entry(
                    &auth,
                    "signoff.created",
                    "signoff",
                    signoff.id,
                    vec![apprenticeship.employer_id, apprenticeship.provider_id],
                    serde_json::json!({
                        "apprenticeship_id": apprenticeship.id, "ksb": code, "comment": comment,
                        "content_sha256": signoff.content_sha256,
                    }),
                ),
            )
            .await?;
            let dto = responses(conn, vec![(signoff, code.clone())])
                .await?
                .pop()
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("one response")))?;
            idempotency
                .store(conn, &auth, StatusCode::CREATED, &dto)
                .await
        })
        .await?;
    Ok(created.into_response())
}
