//! Apprenticeships: an apprentice enrolled on a standard with an employer and a provider.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{apprenticeships, standards};
use crate::domain::scope::{ApprenticeshipParties, ApprenticeshipScope};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = apprenticeships)]
pub struct Apprenticeship {
    pub id: Uuid,
    pub apprentice_id: Uuid,
    pub standard_id: Uuid,
    pub employer_id: Uuid,
    pub provider_id: Uuid,
    pub mentor_id: Uuid,
    pub tutor_id: Uuid,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The standard's `mapping_updated_at`: checks the in-process catalogue cache
    /// ([`crate::db::catalogue::cache`]). Every query of this struct joins `standards`.
    #[diesel(select_expression = standards::mapping_updated_at)]
    #[diesel(select_expression_type = standards::mapping_updated_at)]
    pub catalogue_stamp: DateTime<Utc>,
}

impl Apprenticeship {
    pub fn parties(&self) -> ApprenticeshipParties {
        ApprenticeshipParties {
            apprentice_id: self.apprentice_id,
            employer_id: self.employer_id,
            provider_id: self.provider_id,
            mentor_id: self.mentor_id,
            tutor_id: self.tutor_id,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = apprenticeships)]
pub struct NewApprenticeship {
    pub apprentice_id: Uuid,
    pub standard_id: Uuid,
    pub employer_id: Uuid,
    pub provider_id: Uuid,
    pub mentor_id: Uuid,
    pub tutor_id: Uuid,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    new: &NewApprenticeship,
) -> QueryResult<Apprenticeship> {
    let id: Uuid = diesel::insert_into(apprenticeships::table)
        .values(new)
        .returning(apprenticeships::id)
        .get_result(conn)
        .await?;
    find(conn, id).await?.ok_or(diesel::result::Error::NotFound)
}

/// Takes a shared connection, so it can run pipelined with other reads (`futures::try_join!`).
pub async fn find(mut conn: &AsyncPgConnection, id: Uuid) -> QueryResult<Option<Apprenticeship>> {
    apprenticeships::table
        .inner_join(standards::table)
        .filter(apprenticeships::id.eq(id))
        .select(Apprenticeship::as_select())
        .first(&mut conn)
        .await
        .optional()
}

/// The SQL form of an [`ApprenticeshipScope`] (with the standard, for the catalogue stamp).
fn scoped(
    scope: ApprenticeshipScope,
) -> diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::InnerJoin<apprenticeships::table, standards::table>,
    Pg,
> {
    let query = apprenticeships::table
        .inner_join(standards::table)
        .into_boxed();
    match scope {
        ApprenticeshipScope::All => query,
        ApprenticeshipScope::Apprentice(id) => query.filter(apprenticeships::apprentice_id.eq(id)),
        ApprenticeshipScope::Employer(org) => query.filter(apprenticeships::employer_id.eq(org)),
        ApprenticeshipScope::Provider(org) => query.filter(apprenticeships::provider_id.eq(org)),
        ApprenticeshipScope::TutoredBy(id) => query.filter(apprenticeships::tutor_id.eq(id)),
        ApprenticeshipScope::MentoredBy(id) => query.filter(apprenticeships::mentor_id.eq(id)),
        ApprenticeshipScope::Nothing => query.filter(apprenticeships::id.is_null()),
    }
}

/// The apprenticeships of a scope, without the standard (for lists that do not need the stamp).
pub fn in_scope(scope: ApprenticeshipScope) -> apprenticeships::BoxedQuery<'static, Pg> {
    let query = apprenticeships::table.into_boxed();
    match scope {
        ApprenticeshipScope::All => query,
        ApprenticeshipScope::Apprentice(id) => query.filter(apprenticeships::apprentice_id.eq(id)),
        ApprenticeshipScope::Employer(org) => query.filter(apprenticeships::employer_id.eq(org)),
        ApprenticeshipScope::Provider(org) => query.filter(apprenticeships::provider_id.eq(org)),
        ApprenticeshipScope::TutoredBy(id) => query.filter(apprenticeships::tutor_id.eq(id)),
        ApprenticeshipScope::MentoredBy(id) => query.filter(apprenticeships::mentor_id.eq(id)),
        ApprenticeshipScope::Nothing => query.filter(apprenticeships::id.is_null()),
    }
}

/// Newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: ApprenticeshipScope,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Apprenticeship>, i64)> {
    let total = scoped(scope).count().get_result(conn).await?;
    let items = scoped(scope)
        .order((apprenticeships::created_at.desc(), apprenticeships::id))
        .limit(limit)
        .offset(offset)
        .select(Apprenticeship::as_select())
        .load(conn)
        .await?;
    Ok((items, total))
}

/// Marks activity on an apprenticeship (for the caseload's "last activity").
pub async fn touch(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(apprenticeships::table.find(id))
        .set(apprenticeships::last_activity_at.eq(diesel::dsl::now))
        .execute(conn)
        .await
        .map(drop)
}

/// The apprentice's existing enrolment on any version of the standard `reference`, if any.
/// Locks the apprentice's user row first, so two concurrent enrolments of one apprentice queue
/// here and the second sees the first.
pub async fn enrolment_on_standard(
    conn: &mut AsyncPgConnection,
    apprentice_id: Uuid,
    reference: &str,
) -> QueryResult<Option<Uuid>> {
    use super::schema::users;
    users::table
        .find(apprentice_id)
        .select(users::id)
        .for_update()
        .first::<Uuid>(conn)
        .await
        .optional()?;
    apprenticeships::table
        .inner_join(standards::table)
        .filter(apprenticeships::apprentice_id.eq(apprentice_id))
        .filter(standards::reference.eq(reference))
        .select(apprenticeships::id)
        .first(conn)
        .await
        .optional()
}
