//! Kept progress: per apprenticeship, how many KSBs are in each status (which the caseload's
//! "behind plan" filter reads) and the share `progress` (the caseload's order); per duty, how
//! many of its KSBs are evidenced or signed off (`duty_progress`). A change moves them by the statuses it
//! moved ([`apply`], called by [`super::ksb_statuses::apply`] in the change's transaction); a new
//! apprenticeship, an import that rebuilds a standard's duty links and the demo loader compute
//! them whole from the kept statuses with the SQL function `refresh_progress` (migration
//! `000901_kept_progress`). A test checks they always equal a recomputation.

use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::apprenticeships;
use crate::domain::status_delta::StatusDelta;

diesel::define_sql_function! {
    /// Recomputes the kept progress of these apprenticeships; with `touch`, marks activity now.
    /// Returns how many apprenticeship rows it wrote.
    fn refresh_progress(apprenticeship_ids: Array<SqlUuid>, touch: Bool) -> Integer;
}

/// ProgressScope progress to recompute.
#[derive(Debug, Clone, Copy)]
pub enum ProgressScope<'a> {
    /// These apprenticeships (a change to one portfolio).
    Apprenticeships(&'a [Uuid]),
    /// Every apprenticeship on a standard (its duty links were replaced).
    Standard(Uuid),
}

/// Recomputes the kept progress of `scope` from their KSB statuses. With `touch`, also marks
/// activity on them now (the caseload's "last activity"), in the same statement.
pub async fn refresh(
    mut conn: &AsyncPgConnection,
    scope: ProgressScope<'_>,
    touch: bool,
) -> QueryResult<()> {
    let ids = match scope {
        ProgressScope::Apprenticeships([]) => return Ok(()),
        ProgressScope::Apprenticeships(ids) => ids.to_vec(),
        ProgressScope::Standard(standard) => {
            apprenticeships::table
                .filter(apprenticeships::standard_id.eq(standard))
                .select(apprenticeships::id)
                .load(&mut conn)
                .await?
        }
    };
    diesel::select(refresh_progress(ids, touch))
        .get_result::<i32>(&mut conn)
        .await
        .map(drop)
}

/// Moves an apprenticeship's kept progress by what a change moved, and marks activity on it now:
/// one statement, plus one for its duties when a status moved.
pub async fn apply(
    mut conn: &AsyncPgConnection,
    apprenticeship_id: Uuid,
    delta: &StatusDelta,
) -> QueryResult<()> {
    use apprenticeships::{ksbs_evidenced, ksbs_in_progress, ksbs_signed_off, last_activity_at};
    let apprenticeship = diesel::update(apprenticeships::table.find(apprenticeship_id))
        .set((
            last_activity_at.eq(diesel::dsl::now),
            ksbs_in_progress.eq(ksbs_in_progress + delta.in_progress),
            ksbs_evidenced.eq(ksbs_evidenced + delta.evidenced),
            ksbs_signed_off.eq(ksbs_signed_off + delta.signed_off),
        ))
        .execute(&mut conn);
    if delta.ksbs.is_empty() {
        return apprenticeship.await.map(drop);
    }
    let (ksbs, (evidenced, signed_off)): (Vec<Uuid>, (Vec<i32>, Vec<i32>)) = delta
        .ksbs
        .iter()
        .map(|k| (k.ksb_id, (k.evidenced, k.signed_off)))
        .unzip();
    let duties = diesel::sql_query(
        "UPDATE duty_progress dp \
         SET evidenced = dp.evidenced + d.evidenced, signed_off = dp.signed_off + d.signed_off \
         FROM ( \
             SELECT dk.duty_id, sum(m.evidenced)::int AS evidenced, \
                    sum(m.signed_off)::int AS signed_off \
             FROM unnest($2::uuid[], $3::int[], $4::int[]) AS m (ksb_id, evidenced, signed_off) \
             JOIN duty_ksbs dk ON dk.ksb_id = m.ksb_id \
             GROUP BY dk.duty_id \
         ) d \
         WHERE dp.apprenticeship_id = $1 AND dp.duty_id = d.duty_id",
    )
    .bind::<SqlUuid, _>(apprenticeship_id)
    .bind::<Array<SqlUuid>, _>(ksbs)
    .bind::<Array<diesel::sql_types::Integer>, _>(evidenced)
    .bind::<Array<diesel::sql_types::Integer>, _>(signed_off)
    .execute(&mut conn);
    // Pipelined: both in one round trip.
    futures_util::try_join!(apprenticeship, duties).map(drop)
}
