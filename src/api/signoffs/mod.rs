//! Employer sign-off of KSBs: `POST/GET /api/v1/apprenticeships/{id}/signoffs`,
//! `POST .../signoffs/bulk` (several KSBs, all or nothing: `bulk.rs`) and
//! `POST .../signoffs/{signoff_id}/revoke`. Every sign-off keeps the SHA-256 of the accepted
//! evidence revisions behind it (`db::signoff_hash`).

pub mod bulk;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::apprenticeships::find_visible;
use super::evidence::PersonName;
use super::extract::Json;
use super::idempotency::IdempotencyKey;
use super::patient_data::{refuse_nhs_numbers, required_reason};
use super::{db_conn, standard_of};
use crate::auth::Authenticated;
use crate::db::apprenticeships::Apprenticeship;
use crate::db::{audit, ksb_statuses, signoff_hash, signoffs, users};
use crate::domain::policy;
use crate::domain::scope::Actor;
use crate::error::{AppError, AppResult, unique_violation};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct SignoffResponse {
    pub id: Uuid,
    pub ksb: String,
    pub comment: String,
    pub signed_off_by: PersonName,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<PersonName>,
    pub revoked_reason: Option<String>,
    /// SHA-256 (hex) of the accepted evidence revisions behind the sign-off when it was made:
    /// what the mentor confirmed. `null` only briefly, for a sign-off made before hashes were
    /// kept, until the server's start-up backfill reaches it.
    pub content_sha256: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreateSignoffRequest {
    /// A KSB code, e.g. `S7`.
    pub ksb: String,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RevokeRequest {
    pub reason: String,
}

/// 403 unless `decide` allows the caller (the refusal names the apprenticeship's own mentor).
async fn require_mentor_for(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &Actor,
    apprenticeship: &Apprenticeship,
    decide: fn(&Actor, &crate::domain::scope::ApprenticeshipParties, &str) -> policy::Decision,
) -> AppResult<()> {
    if actor.user_id == apprenticeship.mentor_id {
        return Ok(decide(actor, &apprenticeship.parties(), "")?);
    }
    let mentor = crate::db::users::find(conn, apprenticeship.mentor_id)
        .await?
        .map_or_else(|| "the assigned mentor".to_string(), |u| u.name);
    Ok(decide(actor, &apprenticeship.parties(), &mentor)?)
}

/// 403 unless the caller is the apprenticeship's own mentor (the refusal names them).
async fn require_mentor(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &Actor,
    apprenticeship: &Apprenticeship,
) -> AppResult<()> {
    require_mentor_for(conn, actor, apprenticeship, policy::sign_off).await
}

/// A sign-off's comment, trimmed: at most 5,000 characters and free of NHS numbers (422 on
/// `comment`).
fn checked_comment(comment: &str) -> AppResult<String> {
    let comment = comment.trim().to_string();
    if comment.chars().count() > 5000 {
        return Err(AppError::invalid(
            "comment",
            "must be at most 5,000 characters",
        ));
    }
    refuse_nhs_numbers(&[("comment", &comment)])?;
    Ok(comment)
}

/// The 409 for a KSB that is already signed off.
fn already_signed_off(code: &str) -> AppError {
    AppError::conflict(
        "already_signed_off",
        format!("{code} is already signed off; revoke that sign-off first to sign it off again."),
    )
}

/// The 409 for a KSB without accepted evidence.
fn no_accepted_evidence(code: &str) -> AppError {
    AppError::conflict(
        "no_accepted_evidence",
        format!(
            "{code} has no accepted evidence yet: it can be signed off once the training provider accepts evidence for it."
        ),
    )
}

async fn responses(
    conn: &mut diesel_async::AsyncPgConnection,
    rows: Vec<(signoffs::Signoff, String)>,
) -> AppResult<Vec<SignoffResponse>> {
    let ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|(s, _)| std::iter::once(s.signed_off_by).chain(s.revoked_by))
        .collect();
    let names: std::collections::HashMap<Uuid, String> = users::find_many(conn, &ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let person = |id: Uuid| PersonName {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    Ok(rows
        .into_iter()
        .map(|(s, ksb)| SignoffResponse {
            id: s.id,
            ksb,
            comment: s.comment,
            signed_off_by: person(s.signed_off_by),
            created_at: s.created_at,
            revoked_at: s.revoked_at,
            revoked_by: s.revoked_by.map(person),
            revoked_reason: s.revoked_reason,
            content_sha256: s.content_sha256,
        })
        .collect())
}

/// Sign off a KSB that has at least one accepted piece of evidence. One active sign-off per KSB.
/// Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "signoffs",
    security(("bearer" = [])),
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
    let apprenticeship = find_visible(&mut conn, &auth.actor, *id).await?;
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
            // Read the raw rows inside the transaction: the precondition holds when we write.
            let accepted = ksb_statuses::compute(conn, apprenticeship.id, apprenticeship.standard_id, ksb_statuses::Which::Only(&[ksb_id]))
                .await?
                .into_iter()
                .find(|(k, ..)| *k == ksb_id)
                .is_some_and(|(_, _, counts, _)| counts.accepted > 0);
            if !accepted {
                return Err(no_accepted_evidence(&code));
            }
            let mut signoff = signoffs::insert(conn, apprenticeship.id, ksb_id, auth.actor.user_id, &comment)
                .await
                .map_err(|e| match unique_violation(&e) {
                    Some("signoffs_one_active_key") => already_signed_off(&code),
                    _ => e.into(),
                })?;
            signoff.content_sha256 = signoff_hash::hash_and_store(conn, &[signoff.id]).await?.remove(&signoff.id);
            let active = Some((signoff.created_at, signoff.signed_off_by));
            ksb_statuses::apply(conn, apprenticeship.id, apprenticeship.standard_id, ksb_statuses::Change::SignOff { ksbs: &[ksb_id], active }).await?;
            audit::record(
                conn,
                super::audit::entry(
                    &auth,
                    "signoff.created",
                    "signoff",
                    signoff.id,
                    vec![apprenticeship.employer_id, apprenticeship.provider_id],
                    serde_json::json!({ "apprenticeship_id": apprenticeship.id, "ksb": code, "comment": comment, "content_sha256": signoff.content_sha256 }),
                ),
            )
            .await?;
            let dto = responses(conn, vec![(signoff, code.clone())])
                .await?
                .pop()
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("one response")))?;
            idempotency.store(conn, &auth, StatusCode::CREATED, &dto).await
        })
        .await?;
    Ok(created.into_response())
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
    let apprenticeship = find_visible(&mut conn, &auth.actor, id).await?;
    let response = conn
        .transaction(async |conn| {
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
                super::audit::entry(
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

#[derive(Serialize, ToSchema)]
pub struct SignoffList {
    pub items: Vec<SignoffResponse>,
}

/// Every sign-off of the apprenticeship, revoked ones too, newest first.
#[utoipa::path(
    tag = "signoffs",
    security(("bearer" = [])),
    responses((status = 200, body = SignoffList))
)]
#[get("/apprenticeships/{id}/signoffs")]
pub async fn list_signoffs(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<SignoffList>> {
    let mut conn = db_conn(&state).await?;
    let apprenticeship = find_visible(&mut conn, &auth.actor, *id).await?;
    let rows = signoffs::list(&mut conn, apprenticeship.id).await?;
    Ok(web::Json(SignoffList {
        items: responses(&mut conn, rows).await?,
    }))
}
