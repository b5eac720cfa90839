//! The audit trail: append-only rows written in the same transaction as the change they record.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::audit_log;

/// One change to record.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub actor_id: Option<Uuid>,
    pub request_id: Option<&'a str>,
    /// `entity.verb`, e.g. `user.created`, `evidence.submitted`.
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: String,
    /// Organisations the change concerns (who may read the row besides admins).
    pub organisation_ids: Vec<Uuid>,
    /// What changed; never secrets, never patient data.
    pub summary: serde_json::Value,
}

impl<'a> AuditEntry<'a> {
    /// `action` on an entity, by nobody in particular (the command line), concerning no
    /// organisation, with an empty summary; the methods below fill in the rest.
    pub fn new(action: &'a str, entity_type: &'a str, entity_id: impl ToString) -> Self {
        Self {
            actor_id: None,
            request_id: None,
            action,
            entity_type,
            entity_id: entity_id.to_string(),
            organisation_ids: Vec::new(),
            summary: serde_json::json!({}),
        }
    }

    /// Who made the change, and in which request.
    pub fn by(self, actor_id: Option<Uuid>, request_id: Option<&'a str>) -> Self {
        Self {
            actor_id,
            request_id,
            ..self
        }
    }

    /// The organisations the change concerns.
    pub fn concerning(self, organisation_ids: Vec<Uuid>) -> Self {
        Self {
            organisation_ids,
            ..self
        }
    }

    pub fn summary(self, summary: serde_json::Value) -> Self {
        Self { summary, ..self }
    }
}

/// Writes the row; in the transaction of the change it records.
pub async fn record(mut conn: &AsyncPgConnection, entry: AuditEntry<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(entry.actor_id),
            audit_log::request_id.eq(entry.request_id),
            audit_log::action.eq(entry.action),
            audit_log::entity_type.eq(entry.entity_type),
            audit_log::entity_id.eq(entry.entity_id),
            audit_log::organisation_ids.eq(entry.organisation_ids),
            audit_log::summary.eq(entry.summary),
        ))
        .execute(&mut conn)
        .await
        .map(drop)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub request_id: Option<String>,
    pub summary: serde_json::Value,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// `None`: every row (admins); `Some(org)`: rows concerning that organisation.
    pub organisation: Option<Uuid>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
}

fn filtered(filter: &AuditFilter) -> audit_log::BoxedQuery<'static, Pg> {
    let mut query = audit_log::table.into_boxed();
    if let Some(org) = filter.organisation {
        query = query.filter(audit_log::organisation_ids.contains(vec![org]));
    }
    if let Some(kind) = &filter.entity_type {
        query = query.filter(audit_log::entity_type.eq(kind.clone()));
    }
    if let Some(id) = &filter.entity_id {
        query = query.filter(audit_log::entity_id.eq(id.clone()));
    }
    query
}

/// Newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<AuditRow>, i64)> {
    let total = filtered(filter).count().get_result(conn).await?;
    let items = filtered(filter)
        .order(audit_log::id.desc())
        .limit(limit)
        .offset(offset)
        .select(AuditRow::as_select())
        .load(conn)
        .await?;
    Ok((items, total))
}
