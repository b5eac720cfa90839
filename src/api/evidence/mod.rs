//! Evidence: one file per verb (`create`, `list`, `get`, `update`, `delete`, `submit`,
//! `withdraw`, `review`), comments and revisions, and what the verbs share: the response
//! (`response`), content checks (`validate`), the workflow step (`transition`) and the record of
//! every change (`change`).

pub mod change;
pub mod comments;
pub mod create;
pub mod delete;
pub mod get;
pub mod list;
pub mod response;
pub mod review;
pub mod revisions;
pub mod submit;
pub mod transition;
pub mod update;
pub mod validate;
pub mod withdraw;

use crate::db::apprenticeships::Apprenticeship;
use crate::db::evidence::Evidence;
use crate::domain::evidence::EvidenceStatus;
use crate::domain::policy;
use crate::domain::scope::Actor;
use crate::error::AppResult;

/// Only the apprentice of the apprenticeship writes its evidence (403 for others in scope).
pub fn require_apprentice(actor: &Actor, apprenticeship: &Apprenticeship) -> AppResult<()> {
    Ok(policy::write_evidence(actor, &apprenticeship.parties())?)
}

pub fn status_of(row: &Evidence) -> EvidenceStatus {
    EvidenceStatus::parse(&row.status).unwrap_or(EvidenceStatus::Draft)
}
