//! `PATCH /api/v1/evidence/{id}`: editing a draft or evidence sent back. Needs `If-Match` with the
//! ETag from `GET`: a stale one answers 412, none 428, so two people cannot overwrite each other.

use actix_web::{HttpRequest, HttpResponse, patch, web};
use chrono::NaiveDate;
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::change::{EvidenceChange, KsbLinks, record_evidence_change};
use super::response::{EvidenceResponse, etag_header, response};
use super::validate::validate;
use super::{require_apprentice, status_of};
use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::catalogue::standard_of;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::if_match::expected_versions;
use crate::db::evidence as db_evidence;
use crate::domain::evidence::{Action, EvidenceKind, transition};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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
    let (row, apprenticeship) = visible_evidence(&mut conn, &auth.actor, *id).await?;
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
                KsbLinks::Set {
                    ids: &valid.ksb_ids,
                    codes: &valid.ksb_codes,
                    before: &before,
                }
            } else {
                KsbLinks::Stored
            };
            let change = EvidenceChange {
                row: &updated,
                was: Some(status_of(&row)),
                ksbs,
            };
            record_evidence_change(
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
