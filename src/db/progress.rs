//! Kept progress: per apprenticeship, how many KSBs are in each status (and the shares the
//! caseload sorts and filters by, `progress` and `signed_off_share`); per duty, how many of its
//! KSBs are evidenced or signed off (`duty_progress`). Derived from the kept `ksb_statuses`
//! alone by the SQL function `refresh_progress` (migration `000901_kept_progress`), which every
//! change that refreshes a status calls in its transaction ([`super::ksb_statuses::refresh`]),
//! as does an import that rebuilds a standard's duty links — so, like the statuses, the figures
//! always equal a recomputation.

use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::apprenticeships;

diesel::define_sql_function! {
    /// Recomputes the kept progress of these apprenticeships; with `touch`, marks activity now.
    /// Returns how many apprenticeship rows it wrote.
    fn refresh_progress(apprenticeship_ids: Array<SqlUuid>, touch: Bool) -> Integer;
}

/// Whose progress to recompute.
#[derive(Debug, Clone, Copy)]
pub enum Whose<'a> {
    /// These apprenticeships (a change to one portfolio).
    Apprenticeships(&'a [Uuid]),
    /// Every apprenticeship on a standard (its duty links were replaced).
    Standard(Uuid),
}

/// Recomputes the kept progress of `whose` from their KSB statuses. With `touch`, also marks
/// activity on them now (the caseload's "last activity"), in the same statement.
pub async fn refresh(
    conn: &mut AsyncPgConnection,
    whose: Whose<'_>,
    touch: bool,
) -> QueryResult<()> {
    let ids = match whose {
        Whose::Apprenticeships([]) => return Ok(()),
        Whose::Apprenticeships(ids) => ids.to_vec(),
        Whose::Standard(standard) => {
            apprenticeships::table
                .filter(apprenticeships::standard_id.eq(standard))
                .select(apprenticeships::id)
                .load(conn)
                .await?
        }
    };
    diesel::select(refresh_progress(ids, touch))
        .get_result::<i32>(conn)
        .await
        .map(drop)
}
