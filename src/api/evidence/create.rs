//! `POST /api/v1/apprenticeships/{id}/evidence` and `GET` of the same: logging and listing.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    EvidenceChange, EvidenceResponse, Mapped, after_change, created_response, require_apprentice,
    responses, validate,
};
use crate::api::apprenticeships::find_visible;
use crate::api::extract::{Json, Query};
use crate::api::gateway::ensure_open;
use crate::api::idempotency::IdempotencyKey;
use crate::api::pagination::{PageParams, Paginated};
use crate::api::{db_conn, standard_of};
use crate::auth::Authenticated;
use crate::db::evidence::{self as db_evidence, EvidenceFilter};
use crate::domain::evidence::{EvidenceKind, EvidenceStatus};
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
    params(("Idempotency-Key" = Option<String>, Header, description = "retry safely: same key and body give the first response")),
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
    let apprenticeship = find_visible(&mut conn, &auth.actor, *id).await?;
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
                db_evidence::insert(conn, apprenticeship.id, &valid.content, auth.actor.user_id).await?;
            let change = EvidenceChange {
                row: &row,
                was: None,
                ksbs: Mapped::Set {
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
                after_change(
                shared,
                &auth,
                &apprenticeship,
                change,
                "evidence.created",
                serde_json::json!({ "title": row.title, "kind": row.kind, "ksbs": valid.ksb_codes }),
            ),
            )?;
            let dto = created_response(row, valid.ksb_codes.clone());
            idempotency.store(conn, &auth, StatusCode::CREATED, &dto).await
        })
        .await?;
    Ok(created.into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    pub status: Option<EvidenceStatus>,
    /// A KSB code, e.g. `S7`.
    pub ksb: Option<String>,
    pub kind: Option<EvidenceKind>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// Items to skip, 0–1,000,000 (default 0).
    #[param(minimum = 0, maximum = 1_000_000, default = 0)]
    pub offset: Option<i64>,
}

/// The evidence of an apprenticeship, newest first.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    params(EvidenceQuery),
    responses(
        (status = 200, body = Paginated<EvidenceResponse>),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}/evidence")]
pub async fn list_evidence(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    query: Query<EvidenceQuery>,
) -> AppResult<web::Json<Paginated<EvidenceResponse>>> {
    let query = query.0;
    let page = PageParams {
        limit: query.limit,
        offset: query.offset,
    }
    .page()?;
    let mut conn = db_conn(&state).await?;
    let apprenticeship = find_visible(&mut conn, &auth.actor, *id).await?;
    let ksb_id = match &query.ksb {
        None => None,
        Some(code) => {
            let code = code.trim().to_uppercase();
            let standard = standard_of(&state, &mut conn, &apprenticeship).await?;
            let ksb = standard.ksb_by_code(&code).ok_or_else(|| {
                AppError::invalid("ksb", format!("{code} is not a KSB of this standard"))
            })?;
            Some(ksb.id)
        }
    };
    let filter = EvidenceFilter {
        status: query.status.map(|s| s.as_str().to_string()),
        kind: query.kind.map(|k| k.as_str().to_string()),
        ksb_id,
    };
    let (rows, total) = db_evidence::list(
        &mut conn,
        apprenticeship.id,
        &filter,
        page.limit,
        page.offset,
    )
    .await?;
    let items = responses(&mut conn, rows).await?;
    Ok(web::Json(Paginated::new(items, total, page)))
}
