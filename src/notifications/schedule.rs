//! The scheduled jobs every server process runs: review reminders (due within 14 days, then
//! overdue: once per review deadline per threshold) and the day's digests from
//! `KSBFOLIO_DIGEST_HOUR` (London time). Several processes may run them at once: a transaction
//! advisory lock lets one go at a time, and the unique keys (`review_reminders`' primary key,
//! one digest per person per day) make a second run write nothing.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::sql_types::{Date, Int4};
use diesel::{ExpressionMethods, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::People;
use crate::db::outbox;
use crate::db::schema::review_reminders;
use crate::domain::calendar::london_day;
use crate::domain::notifications::{Kind, ReminderThreshold, digest_day, reminder_threshold};
use crate::domain::review::DUE_SOON_DAYS;

#[derive(QueryableByName)]
struct Due {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    apprentice_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    mentor_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    tutor_id: Uuid,
    #[diesel(sql_type = Date)]
    due_by: NaiveDate,
}

/// One run of both jobs at `now`. Returns (reminders written, digests made).
pub async fn run_once(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    digest_hour: u32,
) -> diesel::QueryResult<(usize, usize)> {
    conn.transaction(async |conn| {
        #[derive(QueryableByName)]
        struct Locked {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            locked: bool,
        }
        let lock: Locked = diesel::sql_query(
            "SELECT pg_try_advisory_xact_lock(hashtextextended('ksbfolio scheduled jobs', 0)) AS locked",
        )
        .get_result(conn)
        .await?;
        if !lock.locked {
            return Ok((0, 0));
        }
        let reminders = reminders(conn, london_day(now)).await?;
        let digests = match digest_day(now, digest_hour) {
            Some(day) => outbox::make_digests(conn, day).await?,
            None => 0,
        };
        Ok((reminders, digests))
    })
    .await
}

/// Writes the reminders of deadlines that reached a threshold not yet reminded of.
async fn reminders(conn: &mut AsyncPgConnection, today: NaiveDate) -> diesel::QueryResult<usize> {
    // Deadlines within the window, less those whose every due reminder is written: an overdue
    // one, or a due-soon one while the deadline is not yet past.
    let due: Vec<Due> = diesel::sql_query(
        "SELECT a.id, a.apprentice_id, a.mentor_id, a.tutor_id, a.next_review_due_by AS due_by \
         FROM apprenticeships a \
         WHERE a.next_review_due_by <= $1 + $2 \
           AND NOT EXISTS (SELECT 1 FROM review_reminders r \
                           WHERE r.apprenticeship_id = a.id AND r.due_by = a.next_review_due_by \
                             AND (r.threshold = 'overdue' OR a.next_review_due_by >= $1))",
    )
    .bind::<Date, _>(today)
    .bind::<Int4, _>(i32::try_from(DUE_SOON_DAYS).unwrap_or(14))
    .load(conn)
    .await?;
    let wanted: Vec<(People, Kind, NaiveDate)> = due
        .into_iter()
        .filter_map(|d| {
            let kind = reminder_threshold(d.due_by, today)?;
            let people = People {
                apprenticeship_id: d.id,
                apprentice_id: d.apprentice_id,
                mentor_id: d.mentor_id,
                tutor_id: d.tutor_id,
            };
            Some((people, kind, d.due_by))
        })
        .collect();
    if wanted.is_empty() {
        return Ok(0);
    }
    let rows: Vec<_> = wanted
        .iter()
        .map(|(people, kind, due_by)| {
            (
                review_reminders::apprenticeship_id.eq(people.apprenticeship_id),
                review_reminders::due_by.eq(*due_by),
                review_reminders::threshold.eq(ReminderThreshold::of(*kind)),
            )
        })
        .collect();
    let written: Vec<(Uuid, ReminderThreshold)> = diesel::insert_into(review_reminders::table)
        .values(&rows)
        .on_conflict_do_nothing()
        .returning((
            review_reminders::apprenticeship_id,
            review_reminders::threshold,
        ))
        .get_results(conn)
        .await?;
    let messages: Vec<outbox::NewMessage> = wanted
        .iter()
        .filter(|(people, kind, _)| {
            written.iter().any(|(id, t)| {
                *id == people.apprenticeship_id && *t == ReminderThreshold::of(*kind)
            })
        })
        .flat_map(|(people, kind, due_by)| super::review_reminder(*people, *kind, *due_by))
        .collect();
    outbox::enqueue(conn, &messages).await?;
    Ok(written.len())
}

/// Runs the jobs every `every` until `stop` turns true.
pub async fn run(
    pool: crate::db::DbPool,
    every: std::time::Duration,
    digest_hour: u32,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        if super::worker::asked_to_stop(&stop) {
            return;
        }
        match pool.get().await {
            Ok(mut conn) => {
                if let Err(error) = run_once(&mut conn, Utc::now(), digest_hour).await {
                    tracing::warn!(%error, "scheduled notification jobs failed; trying again later");
                }
            }
            Err(error) => tracing::warn!(%error, "no database connection for scheduled jobs"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => {}
        }
    }
}
