//! References to people and organisations inside other responses, and the one-query name
//! lookup that fills them for a whole page.

use std::collections::HashMap;

use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::users;
use crate::error::AppResult;

/// A person by id and name (reviewers, authors, apprentices in queues).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonName {
    pub id: Uuid,
    pub name: String,
}

/// A person with their e-mail address (the parties of an apprenticeship).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRef {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: Uuid,
    pub name: String,
}

/// The names of `ids`, in one query.
pub async fn names(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> AppResult<HashMap<Uuid, String>> {
    Ok(users::names(conn, ids).await?)
}

/// `id` with its name from [`names`].
pub fn person(names: &HashMap<Uuid, String>, id: Uuid) -> PersonName {
    PersonName {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    }
}
