//! Employer sign-off of KSBs: `create`, `revoke`, `list`, and what they share (the mentor check,
//! the response).

pub mod create;
pub mod list;
pub mod revoke;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::references::PersonName;
use crate::db::apprenticeships::Apprenticeship;
use crate::db::{signoffs, users};
use crate::domain::policy;
use crate::domain::scope::Actor;
use crate::error::AppResult;

#[derive(Debug, Serialize, ToSchema)]
pub struct SignoffResponse {
    pub id: Uuid,
    pub ksb: String,
    pub comment: String,
    pub signed_off_by: PersonName,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<PersonName>,
    pub revoked_reason: Option<String>,
}

/// 403 unless the caller is the apprenticeship's own mentor (the refusal names them).
pub(super) async fn require_mentor(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &Actor,
    apprenticeship: &Apprenticeship,
) -> AppResult<()> {
    if actor.user_id == apprenticeship.mentor_id {
        return Ok(policy::sign_off(actor, &apprenticeship.parties(), "")?);
    }
    let mentor = crate::db::users::find(conn, apprenticeship.mentor_id)
        .await?
        .map_or_else(|| "the assigned mentor".to_string(), |u| u.name);
    Ok(policy::sign_off(actor, &apprenticeship.parties(), &mentor)?)
}

pub(super) async fn responses(
    conn: &mut diesel_async::AsyncPgConnection,
    rows: Vec<(signoffs::Signoff, String)>,
) -> AppResult<Vec<SignoffResponse>> {
    let ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|(s, _)| std::iter::once(s.signed_off_by).chain(s.revoked_by))
        .collect();
    let names: std::collections::HashMap<Uuid, String> = users::find_many(conn, &ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let person = |id: Uuid| PersonName {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    Ok(rows
        .into_iter()
        .map(|(s, ksb)| SignoffResponse {
            id: s.id,
            ksb,
            comment: s.comment,
            signed_off_by: person(s.signed_off_by),
            created_at: s.created_at,
            revoked_at: s.revoked_at,
            revoked_by: s.revoked_by.map(person),
            revoked_reason: s.revoked_reason,
        })
        .collect())
}
