//! The standards catalogue: `list`, `get`, `update` (the OTJ minimum), and the views they share.

pub mod get;
pub mod list;
pub mod update;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::catalogue::Standard;
use crate::domain::standard::{KsbKind, MappingStatus};

#[derive(Serialize, ToSchema)]
pub struct StandardSummary {
    pub reference: String,
    pub title: String,
    pub level: i32,
    pub version: String,
    pub mapping_status: MappingStatus,
    /// The published minimum of off-the-job training hours; `null`: none published (the
    /// funded minimum of 187 hours applies).
    pub minimum_otj_hours: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct MappingProvenance {
    /// `provisional`: inferred links, to be replaced by the official record; `official`: published.
    pub status: MappingStatus,
    /// Shown wherever duties are shown.
    pub note: String,
    /// Where the links came from (file name).
    pub source: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct DutyView {
    pub code: String,
    pub text: String,
    /// KSB codes linked to this duty, in standard order.
    pub ksbs: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct KsbView {
    pub code: String,
    pub kind: KsbKind,
    pub text: String,
    /// Duty codes this KSB belongs to.
    pub duties: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StandardDetail {
    pub reference: String,
    pub title: String,
    pub level: i32,
    pub version: String,
    pub source: Option<String>,
    /// The published minimum of off-the-job training hours, if any.
    pub minimum_otj_hours: Option<i32>,
    pub mapping: MappingProvenance,
    pub duties: Vec<DutyView>,
    pub ksbs: Vec<KsbView>,
}

pub(super) fn mapping_status(standard: &Standard) -> MappingStatus {
    MappingStatus::parse(&standard.mapping_status).unwrap_or(MappingStatus::Provisional)
}
