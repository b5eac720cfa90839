//! `POST /api/v1/reviews/{review_id}/sign`: the apprentice, an employer user of the employer and
//! staff of the provider each sign once; a signature records the content's SHA-256.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{conflict, content_sha256, facts, json_columns, load_visible, organisations};
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::idempotency::IdempotencyKey;
use crate::api::references::PersonName;
use crate::db::reviews as db_reviews;
use crate::db::{audit, users};
use crate::domain::policy;
use crate::domain::review::{self, ReviewParty, ReviewStatus, SignatureFact};
use crate::error::{AppError, AppResult, unique_violation};
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

/// Sign the review as the caller's role (no body). Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "reviews",
    security(("bearer" = [])),
    params(crate::api::idempotency::IdempotencyHeader),
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
            crate::api::gateway::ensure_active(conn, apprenticeship.id).await?;
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
            let hash = content_sha256(&row, &json_columns(&row)?);
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
