//! `GET /api/v1/review-queue`: submitted evidence waiting for review, the page and its total in
//! one statement and the names in a second, whatever the page size.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{QueueQuery, total_of};
use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::api::references::PersonName;
use crate::api::references::{names, person};
use crate::db::evidence as db_evidence;
use crate::db::queues as db_queues;
use crate::domain::evidence::EvidenceKind;
use crate::domain::policy;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewQueueItem {
    pub evidence_id: Uuid,
    pub title: String,
    pub kind: EvidenceKind,
    pub ksbs: Vec<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub apprenticeship_id: Uuid,
    pub apprentice: PersonName,
}

/// Submitted evidence waiting for review, oldest first: by default of the apprenticeships you
/// are the tutor of; `scope=organisation` for your whole provider (admins: all).
#[utoipa::path(
    tag = "queues",
    security(("bearer" = [])),
    params(QueueQuery, PageParams),
    responses(
        (status = 200, body = Paginated<ReviewQueueItem>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/review-queue")]
pub async fn review_queue(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<QueueQuery>,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<ReviewQueueItem>>> {
    policy::read_review_queue(&auth.actor)?;
    let page = page_params.0.page()?;
    let scope = auth.actor.list_scope(query.0.scope.unwrap_or_default());
    let mut conn = read_conn(&state, &auth).await?;
    let rows = db_queues::review_queue(&mut conn, scope, page.limit, page.offset).await?;
    let total = total_of(rows.first().map(|r| r.total), page, || async {
        let first = db_queues::review_queue(&mut conn, scope, 1, 0).await?;
        Ok(first.first().map(|r| r.total))
    })
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.evidence_id).collect();
    let mut codes = db_evidence::ksb_codes(&mut conn, &ids).await?;
    let people: Vec<Uuid> = rows.iter().map(|r| r.apprentice_id).collect();
    let names = names(&mut conn, &people).await?;
    let items = rows
        .into_iter()
        .map(|r| ReviewQueueItem {
            ksbs: codes.remove(&r.evidence_id).unwrap_or_default(),
            kind: r.kind,
            apprentice: person(&names, r.apprentice_id),
            evidence_id: r.evidence_id,
            title: r.title,
            submitted_at: r.submitted_at,
            apprenticeship_id: r.apprenticeship_id,
        })
        .collect();
    Ok(web::Json(Paginated::new(items, total, page)))
}
