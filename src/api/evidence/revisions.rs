//! `GET /api/v1/evidence/{id}/revisions`: every saved version of a piece of evidence.

use actix_web::{get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::references::PersonName;
use crate::db::evidence as db_evidence;
use crate::domain::evidence::{EvidenceKind, EvidenceStatus};
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct RevisionResponse {
    pub version: i32,
    pub title: String,
    pub description: String,
    pub kind: EvidenceKind,
    pub occurred_on: NaiveDate,
    pub ksbs: Vec<String>,
    pub status: EvidenceStatus,
    pub author: PersonName,
    pub created_at: DateTime<Utc>,
    /// What changed besides the content, such as an attachment removed; absent for content edits.
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RevisionList {
    pub items: Vec<RevisionResponse>,
}

/// Every version of the evidence, oldest first: nothing written is ever lost.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses((status = 200, body = RevisionList))
)]
#[get("/evidence/{id}/revisions")]
pub async fn list_revisions(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<RevisionList>> {
    let mut conn = db_conn(&state).await?;
    let (row, _) = visible_evidence(&mut conn, &auth.actor, *id).await?;
    let items = db_evidence::revisions(&mut conn, row.id)
        .await?
        .into_iter()
        .map(|r| RevisionResponse {
            version: r.version,
            title: r.title,
            description: r.description,
            kind: EvidenceKind::parse(&r.kind).unwrap_or(EvidenceKind::Other),
            occurred_on: r.occurred_on,
            ksbs: r.ksbs.into_iter().flatten().collect(),
            status: EvidenceStatus::parse(&r.status).unwrap_or(EvidenceStatus::Draft),
            author: PersonName {
                id: r.edited_by,
                name: r.edited_by_name,
            },
            created_at: r.created_at,
            note: r.note,
        })
        .collect();
    Ok(web::Json(RevisionList { items }))
}
