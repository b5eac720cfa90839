//! `GET /api/v1/audit`: the audit trail (rows are written through `api::audit_entry`).

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::extract::Query;
use super::pagination::{PageParams, Paginated};
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::db::audit::{self, AuditFilter};
use crate::domain::identity::Role;
use crate::domain::policy;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only rows about this kind of entity (`user`, `organisation`, `apprenticeship`, `evidence` …).
    pub entity_type: Option<String>,
    /// Only rows about this entity.
    pub entity_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditResponse {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub request_id: Option<String>,
    pub summary: serde_json::Value,
}

/// The audit trail, newest first: admins see every row, provider staff the rows concerning their
/// organisation; others are refused.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery, PageParams),
    responses(
        (status = 200, body = Paginated<AuditResponse>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<AuditQuery>,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<AuditResponse>>> {
    let query = query.0;
    let page = page_params.0.page()?;
    policy::read_audit(&auth.actor)?;
    let organisation = match auth.actor.role {
        Role::Admin => None,
        _ => auth.actor.organisation_id,
    };
    let filter = AuditFilter {
        organisation,
        entity_type: query.entity_type,
        entity_id: query.entity_id,
    };
    let mut conn = db_conn(&state).await?;
    let (rows, total) = audit::list(&mut conn, &filter, page.limit, page.offset).await?;
    let items = rows
        .into_iter()
        .map(|r| AuditResponse {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            request_id: r.request_id,
            summary: r.summary,
        })
        .collect();
    Ok(web::Json(Paginated::new(items, total, page)))
}
