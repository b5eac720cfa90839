//! Apprenticeships: an apprentice enrolled on a standard with an employer and a provider.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{apprenticeships, standards};
use crate::domain::enrolment::ApprenticeshipStatus;
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
    /// Kept KSB counts (`db::progress`).
    pub ksbs_total: i32,
    pub ksbs_in_progress: i32,
    pub ksbs_evidenced: i32,
    pub ksbs_signed_off: i32,
    pub version: i32,
    pub planned_otj_hours: Option<i32>,
    pub rpl_reduction_hours: i32,
    /// Kept OTJ figures (`db::otj`).
    pub otj_approved_minutes: i64,
    pub otj_pending_minutes: i64,
    /// Kept review figures (`db::reviews::refresh`).
    pub last_review_on: Option<NaiveDate>,
    pub next_review_due_by: Option<NaiveDate>,
    pub unsigned_reviews: i32,
    pub oldest_unsigned_review_on: Option<NaiveDate>,
    pub on_break: bool,
    /// `transferred` once the apprentice moved provider (`domain::enrolment`).
    pub status: ApprenticeshipStatus,
    pub ended_at: Option<DateTime<Utc>>,
    /// The apprenticeship a transferred one continues in.
    pub transferred_to: Option<Uuid>,
    /// Where an imported apprenticeship came from; `None` for one enrolled here.
    pub origin: Option<serde_json::Value>,
    /// The standard version's published minimum of OTJ hours, if any.
    #[diesel(select_expression = standards::minimum_otj_hours)]
    #[diesel(select_expression_type = standards::minimum_otj_hours)]
    pub minimum_otj_hours: Option<i32>,
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
    /// `None`: a new one is made (an import chooses it, to prepare the rows that name it).
    pub id: Option<Uuid>,
    pub apprentice_id: Uuid,
    pub standard_id: Uuid,
    pub employer_id: Uuid,
    pub provider_id: Uuid,
    pub mentor_id: Uuid,
    pub tutor_id: Uuid,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    pub planned_otj_hours: Option<i32>,
    pub rpl_reduction_hours: i32,
    /// The first review's deadline, from the start date (`domain::review`).
    pub next_review_due_by: Option<NaiveDate>,
    /// Where an imported apprenticeship came from (`None`: enrolled here).
    pub origin: Option<serde_json::Value>,
}

/// The editable fields of an apprenticeship (`PATCH`): every field is written.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = apprenticeships, treat_none_as_null = true)]
pub struct ApprenticeshipEdit {
    pub mentor_id: Uuid,
    pub tutor_id: Uuid,
    pub expected_end_date: NaiveDate,
    pub planned_otj_hours: Option<i32>,
    pub rpl_reduction_hours: i32,
}

/// Writes an edit if the row is still at `version`, bumping it; `None` when it is not (a
/// concurrent edit won).
pub async fn update_edit(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    version: i32,
    edit: &ApprenticeshipEdit,
) -> QueryResult<Option<Apprenticeship>> {
    let updated = diesel::update(
        apprenticeships::table
            .filter(apprenticeships::id.eq(id))
            .filter(apprenticeships::version.eq(version)),
    )
    .set((
        edit,
        apprenticeships::version.eq(apprenticeships::version + 1),
        apprenticeships::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)
    .await?;
    if updated == 0 {
        return Ok(None);
    }
    find(conn, id).await
}

/// Locks the apprenticeship's row until the transaction ends (`SELECT … FOR UPDATE` on this
/// table only, never its standard's row, which every apprenticeship on the standard shares):
/// the changes that check a rule across rows (the daily OTJ cap, overlapping breaks) or move
/// kept figures run one at a time per apprenticeship.
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    apprenticeships::table
        .find(id)
        .select(apprenticeships::id)
        .for_update()
        .first::<Uuid>(conn)
        .await
        .map(drop)
}

/// Moves the expected end date later (a break ended), bumping the version.
pub async fn move_expected_end(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    expected_end_date: NaiveDate,
) -> QueryResult<()> {
    diesel::update(apprenticeships::table.find(id))
        .set((
            apprenticeships::expected_end_date.eq(expected_end_date),
            apprenticeships::version.eq(apprenticeships::version + 1),
            apprenticeships::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
        .map(drop)
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

/// Newest first; with `search`, only those whose apprentice's name or e-mail, employer's name or
/// provider's name contains it (any case). The search is three subqueries of the same
/// statement: the scope's own index still picks the rows, and the few matching people and
/// organisations are looked up once (hashed), never per row.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: ApprenticeshipScope,
    search: Option<&str>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Apprenticeship>, i64)> {
    let filtered = || {
        let query = scoped(scope);
        let Some(search) = search else {
            return query;
        };
        use super::schema::{organisations, users};
        let pattern = super::contains_pattern(search);
        let people = users::table
            .filter(
                users::name
                    .ilike(pattern.clone())
                    .or(users::email.ilike(pattern.clone())),
            )
            .select(users::id);
        let organisations = || {
            organisations::table
                .filter(organisations::name.ilike(pattern.clone()))
                .select(organisations::id)
        };
        query.filter(
            apprenticeships::apprentice_id
                .eq_any(people)
                .or(apprenticeships::employer_id.eq_any(organisations()))
                .or(apprenticeships::provider_id.eq_any(organisations())),
        )
    };
    let total = filtered().count().get_result(conn).await?;
    let items = filtered()
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

/// The apprentice's active enrolment on any version of the standard `reference`, if any (an
/// ended one, `transferred`, does not count). Locks the apprentice's user row first, so two
/// concurrent enrolments (or imports) of one apprentice queue here and the second sees the
/// first.
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
        .filter(apprenticeships::status.eq(ApprenticeshipStatus::Active))
        .select(apprenticeships::id)
        .first(conn)
        .await
        .optional()
}

/// Ends an active enrolment as `transferred` to the apprenticeship `to`, bumping its version;
/// `false` when it was no longer active.
pub async fn transfer(conn: &mut AsyncPgConnection, id: Uuid, to: Uuid) -> QueryResult<bool> {
    let updated = diesel::update(
        apprenticeships::table
            .filter(apprenticeships::id.eq(id))
            .filter(apprenticeships::status.eq(ApprenticeshipStatus::Active)),
    )
    .set((
        apprenticeships::status.eq(ApprenticeshipStatus::Transferred),
        apprenticeships::ended_at.eq(diesel::dsl::now),
        apprenticeships::transferred_to.eq(to),
        apprenticeships::version.eq(apprenticeships::version + 1),
        apprenticeships::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}
