//! `GET /api/v1/apprenticeships/{id}/evidence`: an apprenticeship's evidence, newest first, by
//! status, KSB and kind.

use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::response::{EvidenceResponse, responses};
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::catalogue::standard_of;
use crate::api::connection::read_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::db::evidence::{self as db_evidence, EvidenceFilter};
use crate::domain::evidence::{EvidenceKind, EvidenceStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    pub status: Option<EvidenceStatus>,
    /// A KSB code, e.g. `S7`.
    pub ksb: Option<String>,
    pub kind: Option<EvidenceKind>,
}

/// The evidence of an apprenticeship, newest first.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    params(EvidenceQuery, PageParams),
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
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<EvidenceResponse>>> {
    let query = query.0;
    let page = page_params.0.page()?;
    let mut conn = read_conn(&state, &auth).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
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
