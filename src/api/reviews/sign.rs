//! `POST /api/v1/reviews/{review_id}/sign` (the apprentice, an employer user of the employer,
//! staff of the provider: each role once) and `POST /api/v1/reviews/{review_id}/reopen`
//! (provider staff void the signatures, keeping them, and the review is a draft again).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    ProgressReviewResponse, content_sha256, facts, load_visible, organisations, parse, response,
};
use crate::api::audit::entry;
use crate::api::db_conn;
use crate::api::evidence::PersonName;
use crate::api::extract::Json;
use crate::api::idempotency::IdempotencyKey;
use crate::api::patient_data::required_reason;
use crate::auth::Authenticated;
use crate::db::reviews as db_reviews;
use crate::db::{apprenticeships, audit, users};
use crate::domain::policy;
use crate::domain::review::{self, ReviewParty, ReviewStatus, SignatureFact};
use crate::error::{AppError, AppResult, unique_violation};
use crate::notifications;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct SignedResponse {
    pub role: ReviewParty,
    pub signer: PersonName,
    pub signed_at: DateTime<Utc>,
    /// The SHA-256 of the review's canonical content at this moment.
    pub content_sha256: String,
    /// The review's status after this signature.
    pub review_status: ReviewStatus,
}

fn conflict(e: review::ReviewConflict) -> AppError {
    AppError::conflict("review_signature_refused", e.to_string())
}

/// Sign the review as the caller's role (no body). Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "retry safely: the same key gives the first response")),
    responses(
        (status = 201, body = SignedResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "this role has signed already", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reviews/{review_id}/sign")]
pub async fn sign_review(
    state: web::Data<AppState>,
    auth: Authenticated,
    review_id: web::Path<Uuid>,
    idempotency: IdempotencyKey,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (_, apprenticeship) = load_visible(&mut conn, &auth.actor, *review_id).await?;
    let role = policy::sign_review(&auth.actor, &apprenticeship.parties())?;
    let signed = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &()).await? {
                return Ok::<_, AppError>(replay);
            }
            apprenticeships::lock(conn, apprenticeship.id).await?;
            // Read under the lock: edits and reopenings take it too.
            let row = db_reviews::find(conn, *review_id)
                .await?
                .ok_or_else(|| AppError::not_found("review"))?;
            let mut known = facts(
                &db_reviews::signatures(conn, &[row.id])
                    .await?
                    .remove(&row.id)
                    .unwrap_or_default(),
            )?;
            review::check_sign(&known, role).map_err(conflict)?;
            let hash = content_sha256(&row, &parse(&row)?);
            db_reviews::sign(conn, row.id, role.as_str(), auth.actor.user_id, &hash)
                .await
                .map_err(|e| match unique_violation(&e) {
                    Some("review_signatures_one_per_role_key") => AppError::conflict(
                        "review_signature_refused",
                        "This review has just been signed in this role; each role signs once.",
                    ),
                    _ => e.into(),
                })?;
            let signer = users::names(&*conn, &[auth.actor.user_id])
                .await?
                .remove(&auth.actor.user_id)
                .unwrap_or_default();
            known.push(SignatureFact {
                role,
                signer_name: signer.clone(),
                content_sha256: hash.clone(),
                voided: false,
            });
            let status = review::review_status(&known, &hash);
            db_reviews::set_status(conn, row.id, status).await?;
            db_reviews::refresh(conn, apprenticeship.id, apprenticeship.start_date).await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "review.signed",
                    "progress_review",
                    row.id,
                    organisations(&apprenticeship),
                    serde_json::json!({
                        "role": role.as_str(),
                        "content_sha256": hash,
                        "review_status": status.as_str(),
                    }),
                ),
            )
            .await?;
            let dto = SignedResponse {
                role,
                signer: PersonName {
                    id: auth.actor.user_id,
                    name: signer,
                },
                signed_at: Utc::now(),
                content_sha256: hash,
                review_status: status,
            };
            idempotency
                .store(conn, &auth, StatusCode::CREATED, &dto)
                .await
        })
        .await?;
    Ok(signed.into_response())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReopenRequest {
    /// Why the signed record must change (1–2,000 characters).
    pub reason: String,
}

/// Void every signature (they are kept, marked void with the reason) and return the review to
/// draft, so it can be corrected and signed again. Staff of the apprenticeship's provider.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    request_body = ReopenRequest,
    responses(
        (status = 200, body = ProgressReviewResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "nothing signed to reopen", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "no reason", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reviews/{review_id}/reopen")]
pub async fn reopen_review(
    state: web::Data<AppState>,
    auth: Authenticated,
    review_id: web::Path<Uuid>,
    body: Json<ReopenRequest>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *review_id).await?;
    policy::write_review(&auth.actor, &apprenticeship.parties())?;
    let reason = required_reason(&body.0.reason, "say why the signed review must change")?;
    conn.transaction(async |conn| {
        apprenticeships::lock(conn, apprenticeship.id).await?;
        let signatures = db_reviews::signatures(conn, &[row.id])
            .await?
            .remove(&row.id)
            .unwrap_or_default();
        review::check_reopen(&facts(&signatures)?).map_err(conflict)?;
        let voided = db_reviews::void_signatures(conn, row.id, auth.actor.user_id, &reason).await?;
        db_reviews::set_status(conn, row.id, ReviewStatus::Draft).await?;
        db_reviews::refresh(conn, apprenticeship.id, apprenticeship.start_date).await?;
        audit::record(
            conn,
            entry(
                &auth,
                "review.reopened",
                "progress_review",
                row.id,
                organisations(&apprenticeship),
                serde_json::json!({ "voided_signatures": voided, "reason": reason }),
            ),
        )
        .await?;
        notifications::review_to_sign(
            conn,
            auth.actor.user_id,
            &apprenticeship,
            row.id,
            row.held_on,
            ReviewParty::ALL,
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    let current = db_reviews::find(&mut conn, row.id)
        .await?
        .ok_or_else(|| AppError::not_found("review"))?;
    let dto = response(&mut conn, current).await?;
    Ok(HttpResponse::Ok().json(dto))
}
