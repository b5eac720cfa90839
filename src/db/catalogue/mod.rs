//! The standards catalogue: reading standards back; storing them is in [`import`].

pub mod cache;
mod import;

pub use import::{ImportError, ImportOutcome, ensure_present, import};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{duties, duty_ksbs, ksbs, standards};
use crate::domain::standard::{KsbKind, MappingStatus};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = standards)]
pub struct Standard {
    pub id: Uuid,
    pub reference: String,
    pub version: String,
    pub title: String,
    pub level: i32,
    pub source: Option<String>,
    pub mapping_status: MappingStatus,
    pub mapping_note: String,
    pub mapping_source: String,
    pub mapping_updated_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub minimum_otj_hours: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = duties)]
pub struct Duty {
    pub id: Uuid,
    pub code: String,
    pub text: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ksbs)]
pub struct Ksb {
    pub id: Uuid,
    pub code: String,
    pub kind: KsbKind,
    pub text: String,
}

/// A standard with everything needed to show it.
#[derive(Debug, Clone)]
pub struct StandardWithContent {
    pub standard: Standard,
    pub duties: Vec<Duty>,
    pub ksbs: Vec<Ksb>,
    /// (duty code, KSB code) in duty then KSB order.
    pub links: Vec<(String, String)>,
}

/// Every standard, newest version first within a reference.
pub async fn list(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Standard>> {
    let mut all: Vec<Standard> = standards::table
        .select(Standard::as_select())
        .load(conn)
        .await?;
    all.sort_by(|a, b| {
        a.reference
            .cmp(&b.reference)
            .then_with(|| version_key(&b.version).cmp(&version_key(&a.version)))
    });
    Ok(all)
}

/// The newest version of a standard, with its duties, KSBs and links; `None` when unknown.
pub async fn find_latest(
    conn: &mut AsyncPgConnection,
    reference: &str,
) -> QueryResult<Option<StandardWithContent>> {
    let versions: Vec<Standard> = standards::table
        .filter(standards::reference.eq(reference))
        .select(Standard::as_select())
        .load(conn)
        .await?;
    let Some(latest) = versions.into_iter().max_by_key(|s| version_key(&s.version)) else {
        return Ok(None);
    };
    load_content(conn, latest).await.map(Some)
}

/// Loads duties, KSBs and links of one standard in three queries.
pub async fn load_content(
    conn: &mut AsyncPgConnection,
    standard: Standard,
) -> QueryResult<StandardWithContent> {
    let duty_rows: Vec<Duty> = duties::table
        .filter(duties::standard_id.eq(standard.id))
        .order(duties::position)
        .select(Duty::as_select())
        .load(conn)
        .await?;
    let ksb_rows: Vec<Ksb> = ksbs::table
        .filter(ksbs::standard_id.eq(standard.id))
        .order(ksbs::position)
        .select(Ksb::as_select())
        .load(conn)
        .await?;
    let links: Vec<(String, String)> = duty_ksbs::table
        .inner_join(duties::table)
        .inner_join(ksbs::table)
        .filter(duties::standard_id.eq(standard.id))
        .order((duties::position, ksbs::position))
        .select((duties::code, ksbs::code))
        .load(conn)
        .await?;
    Ok(StandardWithContent {
        standard,
        duties: duty_rows,
        ksbs: ksb_rows,
        links,
    })
}

/// Orders versions numerically: 1.10 is newer than 1.9.
pub fn version_key(version: &str) -> Vec<u32> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

impl Ksb {
    pub fn kind(&self) -> KsbKind {
        self.kind
    }
}

pub async fn find_by_id(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Standard>> {
    standards::table
        .find(id)
        .select(Standard::as_select())
        .first(conn)
        .await
        .optional()
}

/// One version of a standard, by reference and version.
pub async fn find_version(
    conn: &mut AsyncPgConnection,
    reference: &str,
    version: &str,
) -> QueryResult<Option<Standard>> {
    standards::table
        .filter(standards::reference.eq(reference))
        .filter(standards::version.eq(version))
        .select(Standard::as_select())
        .first(conn)
        .await
        .optional()
}

/// Sets (or clears) a version's published minimum of OTJ hours.
pub async fn set_minimum_otj_hours(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    hours: Option<i32>,
) -> QueryResult<Standard> {
    diesel::update(standards::table.find(id))
        .set(standards::minimum_otj_hours.eq(hours))
        .returning(Standard::as_returning())
        .get_result(conn)
        .await
}
