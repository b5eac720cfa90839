//! Users: lookups for sign-in and the authenticated extractor, scoped listing, creation.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::pg::data_types::PgLsn;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{apprenticeships, sessions, users};
use std::collections::HashMap;

use crate::domain::identity::Role;
use crate::domain::policy::PersonStanding;
use crate::domain::scope::Actor;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<Uuid>,
    pub created_by_organisation_id: Option<Uuid>,
    pub active: bool,
    pub deactivated_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub organisation_id: Option<Uuid>,
    pub created_by_organisation_id: Option<Uuid>,
    pub password_hash: &'a str,
}

/// The user behind a token, if they are active and the token's session is not revoked, with
/// the primary's WAL position after the user's last write request (`sessions.last_write_lsn`,
/// for read-your-writes on the read replica; `None` when none is recorded).
pub async fn find_for_session(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    session_id: Uuid,
) -> QueryResult<Option<(User, Option<PgLsn>)>> {
    users::table
        .inner_join(sessions::table)
        .filter(users::id.eq(user_id))
        .filter(users::active.eq(true))
        .filter(sessions::id.eq(session_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(diesel::dsl::now))
        .select((User::as_select(), sessions::last_write_lsn))
        .first(conn)
        .await
        .optional()
}

/// A user and their password hash, by e-mail (case-insensitive).
pub async fn find_with_hash_by_email(
    conn: &mut AsyncPgConnection,
    email: &str,
) -> QueryResult<Option<(User, String)>> {
    users::table
        .filter(super::lower(users::email).eq(super::lower(email)))
        .select((User::as_select(), users::password_hash))
        .first(conn)
        .await
        .optional()
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

/// Several users by id, in one query.
pub async fn find_many(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select(User::as_select())
        .load(conn)
        .await
}

/// The names of these users, by id. Takes a shared connection (pipelining).
pub async fn names(
    mut conn: &AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<std::collections::HashMap<Uuid, String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .load::<(Uuid, String)>(&mut conn)
        .await?
        .into_iter()
        .collect())
}

/// The names of the people who signed off KSBs of an apprenticeship (active sign-offs), by id.
/// Takes a shared connection (pipelining).
pub async fn signers_of(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
) -> QueryResult<std::collections::HashMap<Uuid, String>> {
    use super::schema::ksb_statuses;
    let signers = ksb_statuses::table
        .filter(ksb_statuses::apprenticeship_id.eq(apprenticeship_id))
        .select(ksb_statuses::signed_off_by.assume_not_null());
    Ok(users::table
        .filter(users::id.eq_any(signers))
        .select((users::id, users::name))
        .load::<(Uuid, String)>(&mut conn)
        .await?
        .into_iter()
        .collect())
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

/// As [`insert`], with the id chosen by the caller (rows that name the user are prepared first).
pub async fn insert_with_id(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    new: &NewUser<'_>,
) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values((users::id.eq(id), new))
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

pub async fn set_password_hash(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    hash: &str,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Renames a user and/or changes whether they may sign in. Deactivation records when and by
/// whom (the policy lets only an administrator undo an administrator's deactivation);
/// reactivation clears it.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    name: Option<&str>,
    active: Option<bool>,
    changed_by: Uuid,
) -> QueryResult<User> {
    let current = users::table
        .find(id)
        .select(User::as_select())
        .for_update()
        .get_result(conn)
        .await?;
    let active_now = active.unwrap_or(current.active);
    // Only a change of state moves the deactivation record; renaming a deactivated user keeps it.
    let deactivation = match (current.active, active_now) {
        (true, false) => Some((Some(Utc::now()), Some(changed_by))),
        (false, true) => Some((None, None)),
        _ => None,
    };
    let (deactivated_at, deactivated_by) = deactivation.unwrap_or_default();
    let record_deactivation = deactivation.is_some();
    diesel::update(users::table.find(id))
        .set((
            users::name.eq(name.unwrap_or(&current.name)),
            users::active.eq(active_now),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    if record_deactivation {
        diesel::update(users::table.find(id))
            .set((
                users::deactivated_at.eq(deactivated_at),
                users::deactivated_by.eq(deactivated_by),
            ))
            .execute(conn)
            .await?;
    }
    users::table
        .find(id)
        .select(User::as_select())
        .get_result(conn)
        .await
}

/// Where each of these people stands for the policy: who created them and the providers of the
/// apprenticeships they take part in (as apprentice or mentor). Two queries whatever the count.
pub async fn standings(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, PersonStanding>> {
    let mut standings: HashMap<Uuid, PersonStanding> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::created_by_organisation_id))
        .load::<(Uuid, Option<Uuid>)>(conn)
        .await?
        .into_iter()
        .map(|(id, created_by)| {
            (
                id,
                PersonStanding {
                    created_by_organisation_id: created_by,
                    enrolled_with_providers: Vec::new(),
                },
            )
        })
        .collect();
    let links: Vec<(Uuid, Uuid, Uuid)> = apprenticeships::table
        .filter(
            apprenticeships::apprentice_id
                .eq_any(ids)
                .or(apprenticeships::mentor_id.eq_any(ids)),
        )
        .select((
            apprenticeships::apprentice_id,
            apprenticeships::mentor_id,
            apprenticeships::provider_id,
        ))
        .load(conn)
        .await?;
    for (apprentice, mentor, provider) in links {
        for person in [apprentice, mentor] {
            if let Some(standing) = standings.get_mut(&person)
                && !standing.enrolled_with_providers.contains(&provider)
            {
                standing.enrolled_with_providers.push(provider);
            }
        }
    }
    Ok(standings)
}

/// Filters for the user list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub organisation_id: Option<Uuid>,
    /// Part of the name or e-mail address, any case.
    pub search: Option<String>,
}

/// Users the actor may see: admins everyone; provider staff their colleagues, the users their
/// organisation created and the apprentices and mentors of its apprenticeships; employer users
/// their organisation; apprentices themselves.
fn scoped(actor: &Actor, filter: &UserFilter) -> users::BoxedQuery<'static, Pg> {
    let mut query = users::table.into_boxed();
    query = match (actor.role, actor.organisation_id) {
        (Role::Admin, _) => query,
        (Role::Provider, Some(org)) => query.filter(
            users::organisation_id
                .eq(org)
                .or(users::created_by_organisation_id.eq(org))
                .or(users::id.eq_any(
                    apprenticeships::table
                        .filter(apprenticeships::provider_id.eq(org))
                        .select(apprenticeships::apprentice_id),
                ))
                .or(users::id.eq_any(
                    apprenticeships::table
                        .filter(apprenticeships::provider_id.eq(org))
                        .select(apprenticeships::mentor_id),
                )),
        ),
        (Role::Employer, Some(org)) => query.filter(users::organisation_id.eq(org)),
        (Role::Apprentice, _) => query.filter(users::id.eq(actor.user_id)),
        (_, None) => query.filter(users::id.is_null()),
    };
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role.as_str()));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(users::organisation_id.eq(org));
    }
    if let Some(search) = &filter.search {
        let pattern = super::contains_pattern(search);
        query = query.filter(
            users::name
                .ilike(pattern.clone())
                .or(users::email.ilike(pattern)),
        );
    }
    query
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    filter: &UserFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<User>, i64)> {
    let total = scoped(actor, filter).count().get_result(conn).await?;
    let items = scoped(actor, filter)
        .order((users::created_at, users::id))
        .limit(limit)
        .offset(offset)
        .select(User::as_select())
        .load(conn)
        .await?;
    Ok((items, total))
}

/// Whether the actor may see this user (same rule as [`list`]).
pub async fn visible(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    id: Uuid,
) -> QueryResult<Option<User>> {
    scoped(actor, &UserFilter::default())
        .filter(users::id.eq(id))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

/// The users with these e-mail addresses (case-insensitive), in one query.
pub async fn find_by_emails(
    conn: &mut AsyncPgConnection,
    emails: &[String],
) -> QueryResult<Vec<User>> {
    let emails: Vec<String> = emails.iter().map(|e| e.to_lowercase()).collect();
    users::table
        .filter(super::lower(users::email).eq_any(emails))
        .select(User::as_select())
        .load(conn)
        .await
}

/// Moves a user to another organisation (an apprentice who changed employer as they moved
/// provider).
pub async fn move_to_organisation(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    organisation_id: Uuid,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::organisation_id.eq(organisation_id),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
        .map(drop)
}
