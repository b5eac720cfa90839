//! Users: one file per verb (`create`, `list`, `get`, `update`) and the response they share.

pub mod create;
pub mod get;
pub mod list;
pub mod update;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::users;
use crate::domain::identity::Role;

/// "an apprentice", "a provider".
pub(super) fn with_article(word: &str) -> String {
    let article = if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {word}")
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<Uuid>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<users::User> for UserResponse {
    fn from(user: users::User) -> Self {
        Self {
            role: Role::parse(&user.role).unwrap_or(Role::Apprentice),
            id: user.id,
            email: user.email,
            name: user.name,
            organisation_id: user.organisation_id,
            active: user.active,
            created_at: user.created_at,
        }
    }
}
