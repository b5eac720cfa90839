//! `POST /api/v1/apprenticeships/{id}/signoffs/bulk`: the mentor signs off several KSBs of one
//! apprentice with one confirmation. All or nothing: any KSB without accepted evidence, or
//! already signed off, is a 409 naming it, and nothing is written.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    SignoffResponse, already_signed_off, checked_comment, no_accepted_evidence, require_mentor_for,
    responses,
};
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::catalogue::standard_of;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::idempotency::IdempotencyKey;
use crate::db::{audit, ksb_statuses, signoff_hash, signoffs};
use crate::domain::policy;
use crate::domain::signoff::bulk_codes;
use crate::error::{AppError, AppResult, unique_violation};
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkSignoffRequest {
    /// KSB codes of this apprenticeship's standard, e.g. `["S7", "K1"]`: 1–200, each once.
    pub ksbs: Vec<String>,
    /// One comment for every sign-off (optional, at most 5,000 characters).
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkSignoffResponse {
    /// One sign-off per KSB, in the order asked.
    pub items: Vec<SignoffResponse>,
}

/// Sign off several KSBs at once: the apprenticeship's own mentor only. Honours
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "signoffs",
    security(("bearer" = [])),
    request_body = BulkSignoffRequest,
    params(crate::api::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = BulkSignoffResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "a KSB has no accepted evidence yet or is already signed off (named); nothing was signed off", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "no KSBs, a KSB listed twice or not of this standard, or a comment too long", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/{id}/signoffs/bulk")]
pub async fn bulk_signoff(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    idempotency: IdempotencyKey,
    body: Json<BulkSignoffRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let codes = bulk_codes(&body.ksbs).map_err(|e| AppError::invalid("ksbs", e.to_string()))?;
    let comment = checked_comment(&body.comment)?;
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    require_mentor_for(
        &mut conn,
        &auth.actor,
        &apprenticeship,
        policy::bulk_sign_off,
    )
    .await?;
    let standard = standard_of(&state, &mut conn, &apprenticeship).await?;
    let ksb_ids = codes
        .iter()
        .map(|code| {
            standard.ksb_by_code(code).map(|k| k.id).ok_or_else(|| {
                AppError::invalid("ksbs", format!("{code} is not a KSB of this standard"))
            })
        })
        .collect::<AppResult<Vec<Uuid>>>()?;
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body).await? {
                return Ok::<_, AppError>(replay);
            }
            // Two bulk requests for one apprentice take turns, so each sees the other's result;
            // refused while the portfolio is frozen at gateway or transferred.
            crate::api::gateway::ensure_open(conn, apprenticeship.id).await?;
            let computed = ksb_statuses::compute(
                conn,
                apprenticeship.id,
                apprenticeship.standard_id,
                ksb_statuses::KsbSelection::Only(&ksb_ids),
            )
            .await?;
            for (code, ksb) in codes.iter().zip(&ksb_ids) {
                let Some(kept) = computed.iter().find(|k| k.ksb_id == *ksb) else {
                    return Err(with_nothing_written(no_accepted_evidence(code)));
                };
                if kept.signoff.is_some() {
                    return Err(with_nothing_written(already_signed_off(code)));
                }
                if kept.counts.accepted == 0 {
                    return Err(with_nothing_written(no_accepted_evidence(code)));
                }
            }
            let by = auth.actor.user_id;
            let mut made = signoffs::insert_many(conn, apprenticeship.id, &ksb_ids, by, &comment)
                .await
                .map_err(|e| match unique_violation(&e) {
                    // A single sign-off raced this request: which KSB, the index does not say.
                    Some("signoffs_one_active_key") => AppError::conflict(
                        "already_signed_off",
                        "One of these KSBs was signed off a moment ago. Nothing was signed off; \
                         reload the page and try again.",
                    ),
                    _ => e.into(),
                })?;
            // In the order asked, whatever order the insert returned its rows in.
            made.sort_by_key(|s| ksb_ids.iter().position(|k| *k == s.ksb_id));
            let mut hashes =
                signoff_hash::hash_and_store(conn, &made.iter().map(|s| s.id).collect::<Vec<_>>())
                    .await?;
            for s in &mut made {
                s.content_sha256 = hashes.remove(&s.id);
            }
            let active = made.first().map(|s| (s.created_at, s.signed_off_by));
            ksb_statuses::apply(
                &*conn,
                apprenticeship.id,
                apprenticeship.standard_id,
                ksb_statuses::Change::SignOff {
                    ksbs: &ksb_ids,
                    active,
                },
            )
            .await?;
            let organisations = vec![apprenticeship.employer_id, apprenticeship.provider_id];
            // One audit row per sign-off, as for a single one, sent together (pipelined).
            let shared: &diesel_async::AsyncPgConnection = conn;
            futures_util::future::try_join_all(made.iter().zip(&codes).map(|(s, code)| {
                audit::record(
                    shared,
                    crate::api::audit_entry::entry(
                        &auth,
                        "signoff.created",
                        "signoff",
                        s.id,
                        organisations.clone(),
                        serde_json::json!({
                            "apprenticeship_id": apprenticeship.id, "ksb": code,
                            "comment": comment, "content_sha256": s.content_sha256,
                            "bulk": codes,
                        }),
                    ),
                )
            }))
            .await?;
            let by_ksb: Vec<(signoffs::Signoff, String)> =
                made.into_iter().zip(codes.iter().cloned()).collect();
            let dto = BulkSignoffResponse {
                items: responses(conn, by_ksb).await?,
            };
            idempotency
                .store(conn, &auth, StatusCode::CREATED, &dto)
                .await
        })
        .await?;
    Ok(created.into_response())
}

/// Says in the refusal that the whole request was refused.
fn with_nothing_written(error: AppError) -> AppError {
    match error {
        AppError::Conflict { code, detail } => AppError::Conflict {
            code,
            detail: format!("{detail} Nothing was signed off."),
        },
        other => other,
    }
}
