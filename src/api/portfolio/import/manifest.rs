//! `portfolio.json` as the import reads it: the same shape the export writes
//! (`super::super::PortfolioExport`, published as the JSON Schema at
//! `GET /api/v1/schemas/portfolio.json`), read strictly: an unknown field anywhere is refused,
//! so a document of another shape never half-imports. The derived figures (coverage, the OTJ
//! summary, gateway readiness) are read as they are and not trusted: the import recomputes
//! them from the records. Some fields are read only so that the shape is checked whole (the
//! original ids of reviews' authors, the figures): hence `dead_code` allowed here.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::evidence::{EvidenceKind, EvidenceStatus};
use crate::domain::otj::{OtjActivity, OtjStatus};
use crate::domain::review::{NextAction, ReviewParty, ReviewSnapshot, ReviewStatus};
use crate::domain::standard::MappingStatus;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonWithEmail {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apprenticeship {
    pub id: Uuid,
    pub apprentice: PersonWithEmail,
    pub employer: Organisation,
    pub provider: Organisation,
    pub mentor: Person,
    pub tutor: Person,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    pub planned_otj_hours: Option<i32>,
    pub rpl_reduction_hours: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub reference: String,
    pub version: String,
    pub title: String,
    pub mapping_status: MappingStatus,
    pub mapping_note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub decision: crate::domain::evidence::Decision,
    pub reviewer: Person,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub path: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub id: Uuid,
    pub revision: i32,
    pub title: String,
    pub description: String,
    pub kind: EvidenceKind,
    pub status: EvidenceStatus,
    pub occurred_on: NaiveDate,
    pub submitted_at: Option<DateTime<Utc>>,
    pub ksbs: Vec<String>,
    pub decision: Option<Decision>,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    pub ksb: String,
    pub signed_off_by: Person,
    pub signed_at: DateTime<Utc>,
    pub comment: String,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtjEntry {
    pub id: Uuid,
    pub occurred_on: NaiveDate,
    pub minutes: i32,
    pub activity: OtjActivity,
    pub description: String,
    pub status: OtjStatus,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Otj {
    /// Recomputed on import.
    pub summary: serde_json::Value,
    pub entries: Vec<OtjEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub id: Uuid,
    pub role: ReviewParty,
    pub signer: Person,
    pub signed_at: DateTime<Utc>,
    pub content_sha256: String,
    pub valid: bool,
    pub voided_at: Option<DateTime<Utc>>,
    pub voided_by: Option<Uuid>,
    pub void_reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub id: Uuid,
    pub apprenticeship_id: Uuid,
    pub held_on: NaiveDate,
    pub previous_actions: String,
    pub progress_notes: String,
    pub concerns: String,
    pub next_actions: Vec<NextAction>,
    pub snapshot: ReviewSnapshot,
    pub status: ReviewStatus,
    pub content_sha256: String,
    pub unsigned_overdue: bool,
    pub signatures: Vec<Signature>,
    pub version: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The whole document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub exported_at: DateTime<Utc>,
    pub exported_from: Option<String>,
    pub apprenticeship: Apprenticeship,
    pub standard: Standard,
    /// Recomputed on import (the round trip must give the same figures per duty).
    pub coverage: serde_json::Value,
    pub evidence: Vec<Evidence>,
    pub signoffs: Vec<Signoff>,
    pub reviews: Vec<Review>,
    pub otj: Otj,
    /// Readiness for gateway is recomputed; a portfolio moves provider unfrozen.
    pub gateway: serde_json::Value,
}
