//! Organisations: `create`, `list`, and the response they share.

pub mod create;
pub mod list;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::organisations;
use crate::domain::identity::OrganisationKind;

#[derive(Serialize, ToSchema)]
pub struct OrganisationResponse {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
    pub created_at: DateTime<Utc>,
}

impl From<organisations::Organisation> for OrganisationResponse {
    fn from(org: organisations::Organisation) -> Self {
        Self {
            kind: OrganisationKind::parse(&org.kind).unwrap_or(OrganisationKind::Employer),
            id: org.id,
            name: org.name,
            created_at: org.created_at,
        }
    }
}
