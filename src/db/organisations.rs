//! Organisations: training providers and employers.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::organisations;
use crate::domain::identity::OrganisationKind;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    name: &str,
    kind: &str,
) -> QueryResult<Organisation> {
    diesel::insert_into(organisations::table)
        .values((organisations::name.eq(name), organisations::kind.eq(kind)))
        .returning(Organisation::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Organisation>> {
    organisations::table
        .find(id)
        .select(Organisation::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find_many(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<Organisation>> {
    organisations::table
        .filter(organisations::id.eq_any(ids))
        .select(Organisation::as_select())
        .load(conn)
        .await
}

/// Filters for the organisation list.
#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    pub kind: Option<OrganisationKind>,
    /// `Some(org)`: only employers and that provider itself (a provider's view).
    pub provider_view: Option<Uuid>,
    /// Part of the name, any case.
    pub search: Option<String>,
}

/// Organisations matching the filter, by name.
pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &OrganisationFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Organisation>, i64)> {
    let kind = filter.kind.map(|k| k.as_str());
    let provider_view = filter.provider_view;
    let base = || {
        let mut q = organisations::table.into_boxed();
        if let Some(search) = &filter.search {
            q = q.filter(organisations::name.ilike(super::contains_pattern(search)));
        }
        if let Some(kind) = kind {
            q = q.filter(organisations::kind.eq(kind.to_string()));
        }
        if let Some(own) = provider_view {
            q = q.filter(
                organisations::kind
                    .eq("employer")
                    .or(organisations::id.eq(own)),
            );
        }
        q
    };
    let total = base().count().get_result(conn).await?;
    let items = base()
        .order((organisations::name, organisations::id))
        .limit(limit)
        .offset(offset)
        .select(Organisation::as_select())
        .load(conn)
        .await?;
    Ok((items, total))
}

/// Organisations named (case-insensitively) or identified by any of `keys`, in one query: what
/// the lines of an import name.
pub async fn find_by_names_or_ids(
    conn: &mut AsyncPgConnection,
    keys: &[String],
) -> QueryResult<Vec<Organisation>> {
    let ids: Vec<Uuid> = keys
        .iter()
        .filter_map(|k| Uuid::parse_str(k).ok())
        .collect();
    let names: Vec<String> = keys.iter().map(|k| k.to_lowercase()).collect();
    organisations::table
        .filter(
            super::lower(organisations::name)
                .eq_any(names)
                .or(organisations::id.eq_any(ids)),
        )
        .select(Organisation::as_select())
        .load(conn)
        .await
}
