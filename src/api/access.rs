//! Loading what a caller asks for, within what they may see: anything outside their scope
//! answers 404 (never 403, so ids leak nothing). The rules are `domain::scope`'s.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::db::apprenticeships::{self, Apprenticeship};
use crate::db::evidence::{self, Evidence};
use crate::domain::scope::Actor;
use crate::error::{AppError, AppResult};

/// The apprenticeship if the actor may see it; otherwise 404.
pub async fn visible_apprenticeship(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> AppResult<Apprenticeship> {
    apprenticeships::find(conn, id)
        .await?
        .filter(|a| actor.can_see_apprenticeship(&a.parties()))
        .ok_or_else(|| AppError::not_found("apprenticeship"))
}

/// The evidence and its apprenticeship, if the actor may see them; 404 otherwise.
pub async fn visible_evidence(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> AppResult<(Evidence, Apprenticeship)> {
    let not_found = || AppError::not_found("evidence");
    let row = evidence::find(conn, id).await?.ok_or_else(not_found)?;
    let apprenticeship = apprenticeships::find(conn, row.apprenticeship_id)
        .await?
        .filter(|a| actor.can_see_apprenticeship(&a.parties()))
        .ok_or_else(not_found)?;
    Ok((row, apprenticeship))
}
