//! `GET`, `PATCH` and `DELETE /api/v1/evidence/{id}`. Edits need `If-Match` with the ETag from
//! `GET`: a stale one answers 412, none 428, so two people cannot overwrite each other.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, web};
use chrono::NaiveDate;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    EvidenceChange, EvidenceResponse, Mapped, after_change, etag_header, load_visible,
    require_apprentice, response, status_of, validate,
};
use crate::api::extract::Json;
use crate::api::gateway::ensure_open;
use crate::api::if_match::expected_versions;
use crate::api::{db_conn, standard_of};
use crate::auth::Authenticated;
use crate::db::evidence as db_evidence;
use crate::db::{audit, ksb_statuses};
use crate::domain::evidence::{Action, EvidenceKind, transition};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// One piece of evidence, with its `ETag`.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses(
        (status = 200, body = EvidenceResponse, headers(("ETag" = String, description = "the version to send in If-Match"))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evidence/{id}")]
pub async fn get_evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, _) = load_visible(&mut conn, &auth.actor, *id).await?;
    let tag = etag_header(&row);
    let dto = response(&mut conn, row).await?;
    Ok(HttpResponse::Ok().insert_header(tag).json(dto))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEvidenceRequest {
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: Option<EvidenceKind>,
    pub occurred_on: Option<NaiveDate>,
    pub ksbs: Option<Vec<String>>,
}

fn stale() -> AppError {
    AppError::PreconditionFailed(
        "This evidence has changed since you loaded it. Reload it, then make your edit again."
            .into(),
    )
}

/// Edit a draft, or evidence sent back for changes. Accepted evidence is frozen (409).
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    request_body = UpdateEvidenceRequest,
    params(("If-Match" = String, Header, description = "the ETag from GET")),
    responses(
        (status = 200, body = EvidenceResponse),
        (status = 409, description = "not editable in its status", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "stale ETag", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "no If-Match", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/evidence/{id}")]
pub async fn update_evidence(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    body: Json<UpdateEvidenceRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    let expected = expected_versions(&req)?;
    transition(status_of(&row), Action::Edit)
        .map_err(|e| AppError::conflict("evidence_not_editable", e.0))?;
    if !expected.contains(&row.version) {
        return Err(stale());
    }
    let current_codes = db_evidence::ksb_codes(&mut conn, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let kind = match body.kind {
        Some(kind) => kind,
        None => EvidenceKind::parse(&row.kind).unwrap_or(EvidenceKind::Other),
    };
    let standard = standard_of(&state, &mut conn, &apprenticeship).await?;
    let valid = validate(
        &standard,
        &apprenticeship,
        body.title.as_deref().unwrap_or(&row.title),
        body.description.as_deref().unwrap_or(&row.description),
        kind,
        body.occurred_on.unwrap_or(row.occurred_on),
        body.ksbs.as_deref().unwrap_or(&current_codes),
    )?;
    let updated = conn
        .transaction(async |conn| {
            ensure_open(conn, apprenticeship.id).await?;
            // The version check and the write are one statement: of two racing edits with the
            // same ETag, exactly one matches.
            let updated = db_evidence::update_content(conn, row.id, row.version, &valid.content)
                .await?
                .ok_or_else(stale)?;
            // KSBs the evidence leaves need their status recomputed too.
            let before;
            let ksbs = if body.ksbs.is_some() {
                before = db_evidence::ksb_ids(conn, row.id).await?;
                db_evidence::set_ksbs(conn, row.id, &valid.ksb_ids).await?;
                Mapped::Set {
                    ids: &valid.ksb_ids,
                    codes: &valid.ksb_codes,
                    before: &before,
                }
            } else {
                Mapped::Stored
            };
            let change = EvidenceChange {
                row: &updated,
                was: Some(status_of(&row)),
                ksbs,
            };
            after_change(
                conn,
                &auth,
                &apprenticeship,
                change,
                "evidence.updated",
                serde_json::json!({ "version": updated.version, "ksbs": valid.ksb_codes }),
            )
            .await?;
            Ok::<_, AppError>(updated)
        })
        .await?;
    let tag = etag_header(&updated);
    let dto = response(&mut conn, updated).await?;
    Ok(HttpResponse::Ok().insert_header(tag).json(dto))
}

/// Delete a draft. Anything submitted is part of the record: withdraw it instead (409).
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "deleted"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/evidence/{id}")]
pub async fn delete_evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = load_visible(&mut conn, &auth.actor, *id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    transition(status_of(&row), Action::Delete)
        .map_err(|e| AppError::conflict("evidence_not_deletable", e.0))?;
    let storage_keys = conn
        .transaction(async |conn| {
            ensure_open(conn, apprenticeship.id).await?;
            let keys = crate::db::attachments::storage_keys(conn, row.id).await?;
            let touched = db_evidence::ksb_ids(conn, row.id).await?;
            if !db_evidence::delete_draft(conn, row.id).await? {
                return Err(AppError::conflict(
                    "evidence_not_deletable",
                    "This evidence was submitted meanwhile; withdraw it instead.",
                ));
            }
            ksb_statuses::apply(
                conn,
                apprenticeship.id,
                apprenticeship.standard_id,
                ksb_statuses::Change::Evidence {
                    before: Some((status_of(&row), &touched)),
                    after: None,
                },
            )
            .await?;
            audit::record(
                conn,
                crate::api::audit::entry(
                    &auth,
                    "evidence.deleted",
                    "evidence",
                    row.id,
                    vec![apprenticeship.employer_id, apprenticeship.provider_id],
                    serde_json::json!({ "title": row.title, "status": row.status }),
                ),
            )
            .await?;
            Ok::<_, AppError>(keys)
        })
        .await?;
    // The rows are gone; now the files. A failure here leaves an unreferenced file, never a row
    // pointing at nothing.
    for key in storage_keys {
        if let Err(error) = state.storage.delete(&key).await {
            tracing::warn!(%error, %key, "could not remove the file of a deleted draft");
        }
    }
    Ok(HttpResponse::NoContent().finish())
}
