//! `POST /api/v1/apprenticeships/{id}/evidence`: an apprentice logs a piece of evidence (a draft).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::change::{EvidenceChange, KsbLinks, record_evidence_change};
use super::require_apprentice;
use super::response::{EvidenceResponse, created_response};
use super::validate::validate;
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::catalogue::standard_of;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::gateway::ensure_open;
use crate::api::idempotency::IdempotencyKey;
use crate::db::evidence::{self as db_evidence};
use crate::db::idempotency::{Deletable, DeletableKind};
use crate::domain::evidence::EvidenceKind;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreateEvidenceRequest {
    /// 1–200 characters.
    pub title: String,
    /// The apprentice's account, Markdown, up to 20,000 characters.
    #[serde(default)]
    pub description: String,
    pub kind: EvidenceKind,
    /// When it happened: not in the future, not before the apprenticeship started.
    pub occurred_on: NaiveDate,
    /// KSB codes of the apprenticeship's standard, e.g. `["S7", "K5"]`.
    pub ksbs: Vec<String>,
}

/// Log a new piece of evidence (as a draft). Only the apprentice logs their own evidence.
/// Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    request_body = CreateEvidenceRequest,
    params(crate::api::idempotency::IdempotencyHeader),
    responses(
        (status = 201, body = EvidenceResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid field, unknown or duplicate KSB, or an NHS number in the text", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/{id}/evidence")]
pub async fn create_evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    idempotency: IdempotencyKey,
    body: Json<CreateEvidenceRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    require_apprentice(&auth.actor, &apprenticeship)?;
    let standard = standard_of(&state, &mut conn, &apprenticeship).await?;
    let valid = validate(
        &standard,
        &apprenticeship,
        &body.title,
        &body.description,
        body.kind,
        body.occurred_on,
        &body.ksbs,
    )?;
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body).await? {
                return Ok::<_, AppError>(replay);
            }
            ensure_open(conn, apprenticeship.id).await?;
            let row =
                db_evidence::insert(conn, apprenticeship.id, &valid.content, auth.actor.user_id)
                    .await?;
            let change = EvidenceChange {
                row: &row,
                was: None,
                ksbs: KsbLinks::Set {
                    ids: &valid.ksb_ids,
                    codes: &valid.ksb_codes,
                    before: &[],
                },
            };
            // Pipelined with the KSB links: the statuses do not read them.
            let shared: &AsyncPgConnection = conn;
            futures_util::try_join!(
                async {
                    db_evidence::add_ksbs(shared, row.id, &valid.ksb_ids)
                        .await
                        .map_err(AppError::from)
                },
                record_evidence_change(
                    shared,
                    &auth,
                    &apprenticeship,
                    change,
                    "evidence.created",
                    serde_json::json!({
                        "title": row.title, "kind": row.kind, "ksbs": valid.ksb_codes,
                    }),
                ),
            )?;
            let created = Deletable {
                kind: DeletableKind::Evidence,
                id: row.id,
            };
            let dto = created_response(row, valid.ksb_codes.clone());
            idempotency
                .store_deletable(conn, &auth, StatusCode::CREATED, &dto, created)
                .await
        })
        .await?;
    Ok(created.into_response())
}
