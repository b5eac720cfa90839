//! `GET /api/v1/audit`, and the helpers handlers use to write audit rows.

use actix_web::{HttpMessage, HttpRequest, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::db_conn;
use super::extract::Query;
use super::middleware::RequestId;
use super::pagination::{PageParams, Paginated};
use crate::auth::Authenticated;
use crate::db::audit::{self, AuditEntry, AuditFilter};
use crate::domain::identity::Role;
use crate::domain::policy;
use crate::error::AppResult;
use crate::state::AppState;

/// The id of this request, for the audit row.
pub fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
}

/// An audit entry for a change made by the authenticated caller.
pub fn entry<'a>(
    auth: &'a Authenticated,
    action: &'a str,
    entity_type: &'a str,
    entity_id: impl ToString,
    organisation_ids: Vec<Uuid>,
    summary: serde_json::Value,
) -> AuditEntry<'a> {
    AuditEntry {
        actor_id: Some(auth.actor.user_id),
        request_id: auth.request_id.as_deref(),
        action,
        entity_type,
        entity_id: entity_id.to_string(),
        organisation_ids,
        summary,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only rows about this kind of entity (`user`, `organisation`, `apprenticeship`, `evidence` …).
    pub entity_type: Option<String>,
    /// Only rows about this entity.
    pub entity_id: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// Items to skip, 0–1,000,000 (default 0).
    #[param(minimum = 0, maximum = 1_000_000, default = 0)]
    pub offset: Option<i64>,
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
    params(AuditQuery),
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
) -> AppResult<web::Json<Paginated<AuditResponse>>> {
    let query = query.0;
    let page = PageParams {
        limit: query.limit,
        offset: query.offset,
    }
    .page()?;
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
