//! The outbox: messages written in the transaction of the change that causes them, claimed by
//! the delivery worker one at a time (`FOR UPDATE SKIP LOCKED`, so several workers on one
//! database never take the same row), and gathered into each person's daily digest.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Int4, Jsonb, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{notification_preferences, outbox, users};
use crate::domain::notifications::{DIGEST_BY_DEFAULT, Delivery, Kind, OutboxStatus};

/// One message to write.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub recipient_id: Uuid,
    pub kind: Kind,
    pub payload: serde_json::Value,
}

/// Writes messages, each delivered as its recipient chose (their role's default when they have
/// not): immediate, into the daily digest, or not written at all when they turned mail off or
/// are deactivated. One statement, whatever the number of messages.
pub async fn enqueue(mut conn: &AsyncPgConnection, messages: &[NewMessage]) -> QueryResult<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let recipients: Vec<Uuid> = messages.iter().map(|m| m.recipient_id).collect();
    let kinds: Vec<&str> = messages.iter().map(|m| m.kind.as_str()).collect();
    let payloads: Vec<serde_json::Value> = messages.iter().map(|m| m.payload.clone()).collect();
    let follows: Vec<bool> = messages
        .iter()
        .map(|m| m.kind.follows_preference())
        .collect();
    let digest_roles: Vec<&str> = DIGEST_BY_DEFAULT.iter().map(|r| r.as_str()).collect();
    diesel::sql_query(
        "INSERT INTO outbox (recipient_id, kind, payload, delivery) \
         SELECT m.recipient_id, m.kind, m.payload, \
                CASE WHEN m.follows THEN chosen.delivery ELSE 'immediate' END \
         FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::bool[]) \
              AS m(recipient_id, kind, payload, follows) \
         JOIN users u ON u.id = m.recipient_id AND u.active \
         LEFT JOIN notification_preferences p ON p.user_id = u.id \
         CROSS JOIN LATERAL (SELECT COALESCE(p.delivery, \
                CASE WHEN u.role = ANY($5) THEN 'daily_digest' ELSE 'immediate' END) AS delivery) chosen \
         WHERE NOT m.follows OR chosen.delivery <> 'off'",
    )
    .bind::<Array<diesel::sql_types::Uuid>, _>(recipients)
    .bind::<Array<Text>, _>(kinds)
    .bind::<Array<Jsonb>, _>(payloads)
    .bind::<Array<diesel::sql_types::Bool>, _>(follows)
    .bind::<Array<Text>, _>(digest_roles)
    .execute(&mut conn)
    .await
    .map(drop)
}

/// A sign-in link message to the active user with this e-mail address, if there is one. The
/// same single statement runs whether or not the account exists, so neither the answer nor its
/// timing says which e-mails have accounts. Returns the user it was written for.
pub async fn enqueue_sign_in_link(
    conn: &mut AsyncPgConnection,
    email: &str,
) -> QueryResult<Option<Uuid>> {
    #[derive(QueryableByName)]
    struct Written {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        recipient_id: Uuid,
    }
    let written: Option<Written> = diesel::sql_query(
        "INSERT INTO outbox (recipient_id, kind, payload, delivery) \
         SELECT id, $2, '{}'::jsonb, 'immediate' FROM users \
         WHERE lower(email) = lower($1) AND active \
         RETURNING recipient_id",
    )
    .bind::<Text, _>(email)
    .bind::<Text, _>(Kind::SignInLink.as_str())
    .get_result(conn)
    .await
    .optional()?;
    Ok(written.map(|w| w.recipient_id))
}

/// A password link message to this user, sent at once whatever their delivery choice, if they
/// are active; `sent_by` is recorded as the link's maker when the worker makes it. Returns
/// whether it was written.
pub async fn enqueue_password_link(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    sent_by: Uuid,
) -> QueryResult<bool> {
    let written = diesel::sql_query(
        "INSERT INTO outbox (recipient_id, kind, payload, delivery) \
         SELECT id, $2, jsonb_build_object('sent_by', $3::uuid), 'immediate' FROM users \
         WHERE id = $1 AND active",
    )
    .bind::<diesel::sql_types::Uuid, _>(user_id)
    .bind::<Text, _>(Kind::PasswordLink.as_str())
    .bind::<diesel::sql_types::Uuid, _>(sent_by)
    .execute(conn)
    .await?;
    Ok(written == 1)
}

/// A claimed message and what its text needs: locked until the claiming transaction ends. Its
/// `kind` is read as text (the column has no CHECK, so that a newer version can add kinds while
/// older processes still run; [`claim_due`] takes only the kinds this version knows) and parsed
/// strictly by the worker.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    #[diesel(sql_type = Int4)]
    pub attempts: i32,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub recipient_id: Uuid,
    #[diesel(sql_type = Text)]
    pub recipient_email: String,
    #[diesel(sql_type = Text)]
    pub recipient_name: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub recipient_active: bool,
    #[diesel(sql_type = Nullable<Text>)]
    pub apprentice_name: Option<String>,
}

/// Takes the oldest due immediate message nobody else holds, of a kind this version can write,
/// the links people are waiting for ([`Kind::AWAITED`]) before any notification: under
/// `FOR UPDATE SKIP LOCKED` (a second worker skips it meanwhile) its next attempt moves
/// `lease_secs` ahead, so once this transaction commits no other worker finds it due while this
/// one sends it. A worker that dies mid-send leaves it to be tried again when the lease runs out.
/// During a rolling upgrade an older process leaves the kinds only newer ones know to them.
/// One statement: the awaited kinds have an index of their own (`outbox_due_links_idx`), so
/// the first part finds them, or nothing, without walking a burst of notifications; the second
/// runs only when it found nothing (a one-time filter on `NOT EXISTS`).
pub async fn claim_due(
    conn: &mut AsyncPgConnection,
    lease_secs: f64,
) -> QueryResult<Option<Claimed>> {
    let awaited: Vec<&str> = Kind::AWAITED.iter().map(|k| k.as_str()).collect();
    let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    diesel::sql_query(
        "WITH awaited AS ( \
             SELECT id FROM outbox \
             WHERE status = 'pending' AND delivery = 'immediate' AND next_attempt_at <= now() \
               AND kind = ANY($2) \
             ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED), \
         other AS ( \
             SELECT id FROM outbox \
             WHERE status = 'pending' AND delivery = 'immediate' AND next_attempt_at <= now() \
               AND kind = ANY($3) AND NOT EXISTS (SELECT FROM awaited) \
             ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED), \
         due AS (SELECT id FROM awaited UNION ALL SELECT id FROM other), \
         leased AS ( \
             UPDATE outbox o SET next_attempt_at = now() + $1 * interval '1 second' FROM due \
             WHERE o.id = due.id \
             RETURNING o.id, o.kind, o.payload, o.attempts, o.recipient_id) \
         SELECT l.id, l.kind, l.payload, l.attempts, u.id AS recipient_id, \
                u.email AS recipient_email, u.name AS recipient_name, \
                u.active AS recipient_active, a.name AS apprentice_name \
         FROM leased l \
         JOIN users u ON u.id = l.recipient_id \
         LEFT JOIN users a ON a.id = (l.payload->>'apprentice_id')::uuid",
    )
    .bind::<diesel::sql_types::Double, _>(lease_secs)
    .bind::<Array<Text>, _>(awaited)
    .bind::<Array<Text>, _>(known)
    .get_result(conn)
    .await
    .optional()
}

/// An item of a digest, oldest first.
#[derive(Debug, Clone, QueryableByName)]
pub struct DigestItem {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    #[diesel(sql_type = Nullable<Text>)]
    pub apprentice_name: Option<String>,
}

pub async fn digest_items(
    conn: &mut AsyncPgConnection,
    digest_id: i64,
) -> QueryResult<Vec<DigestItem>> {
    diesel::sql_query(
        "SELECT o.kind, o.payload, a.name AS apprentice_name FROM outbox o \
         LEFT JOIN users a ON a.id = (o.payload->>'apprentice_id')::uuid \
         WHERE o.digest_id = $1 ORDER BY o.id",
    )
    .bind::<BigInt, _>(digest_id)
    .load(conn)
    .await
}

/// The message was handed to the mail server (or written to its file).
pub async fn mark_sent(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(OutboxStatus::Sent),
            outbox::sent_at.eq(diesel::dsl::now),
            outbox::attempts.eq(outbox::attempts + 1),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The recipient was deactivated before the message went out.
pub async fn mark_skipped(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set(outbox::status.eq(OutboxStatus::Skipped))
        .execute(conn)
        .await
        .map(drop)
}

/// A failed attempt: tried again at `retry_at`, or `failed` when there is none.
pub async fn mark_attempt_failed(
    conn: &mut AsyncPgConnection,
    id: i64,
    retry_at: Option<DateTime<Utc>>,
    error: &str,
) -> QueryResult<()> {
    let status = if retry_at.is_some() {
        OutboxStatus::Pending
    } else {
        OutboxStatus::Failed
    };
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(status),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::next_attempt_at.eq(retry_at.unwrap_or_else(Utc::now)),
            outbox::last_error.eq(error),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Makes `day`'s digest for everyone with digest items waiting and no digest that day yet, and
/// files the items under it. One statement; the unique index on `(recipient_id, digest_day)`
/// makes a second run, on this process or another, change nothing. Returns the digests made.
pub async fn make_digests(conn: &mut AsyncPgConnection, day: NaiveDate) -> QueryResult<usize> {
    diesel::sql_query(
        "WITH waiting AS ( \
             SELECT DISTINCT recipient_id FROM outbox \
             WHERE status = 'pending' AND delivery = 'daily_digest'), \
         made AS ( \
             INSERT INTO outbox (recipient_id, kind, delivery, digest_day) \
             SELECT recipient_id, $2, 'immediate', $1 FROM waiting \
             ON CONFLICT (recipient_id, digest_day) WHERE digest_day IS NOT NULL DO NOTHING \
             RETURNING id, recipient_id), \
         filed AS ( \
             UPDATE outbox o SET status = 'digested', digest_id = made.id FROM made \
             WHERE o.recipient_id = made.recipient_id AND o.status = 'pending' \
               AND o.delivery = 'daily_digest') \
         SELECT count(*) AS n FROM made",
    )
    .bind::<Date, _>(day)
    .bind::<Text, _>(Kind::Digest.as_str())
    .get_result::<Made>(conn)
    .await
    .map(|made| usize::try_from(made.n).unwrap_or(0))
}

#[derive(QueryableByName)]
struct Made {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A person's delivery choice, if they made one.
pub async fn preference(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<Option<Delivery>> {
    notification_preferences::table
        .find(user_id)
        .select(notification_preferences::delivery)
        .first(conn)
        .await
        .optional()
}

pub async fn set_preference(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    delivery: Delivery,
) -> QueryResult<()> {
    diesel::insert_into(notification_preferences::table)
        .values((
            notification_preferences::user_id.eq(user_id),
            notification_preferences::delivery.eq(delivery),
        ))
        .on_conflict(notification_preferences::user_id)
        .do_update()
        .set((
            notification_preferences::delivery.eq(delivery),
            notification_preferences::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// An outbox row as administrators see it.
#[derive(Debug, Clone, Queryable)]
pub struct Listed {
    pub id: i64,
    /// Text, like [`Claimed::kind`].
    pub kind: String,
    pub delivery: Delivery,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub recipient_id: Uuid,
    pub recipient_email: String,
    pub recipient_name: String,
}

type Joined =
    diesel::dsl::IntoBoxed<'static, diesel::dsl::InnerJoin<outbox::table, users::table>, Pg>;

fn filtered(status: Option<OutboxStatus>) -> Joined {
    let mut query = outbox::table.inner_join(users::table).into_boxed();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status));
    }
    query
}

/// Newest first, optionally of one status; the page and its total in two statements.
pub async fn list(
    conn: &mut AsyncPgConnection,
    status: Option<OutboxStatus>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Listed>, i64)> {
    let total = filtered(status).count().get_result(conn).await?;
    let items = filtered(status)
        .order(outbox::id.desc())
        .limit(limit)
        .offset(offset)
        .select((
            outbox::id,
            outbox::kind,
            outbox::delivery,
            outbox::status,
            outbox::attempts,
            outbox::next_attempt_at,
            outbox::last_error,
            outbox::created_at,
            outbox::sent_at,
            users::id,
            users::email,
            users::name,
        ))
        .load(conn)
        .await?;
    Ok((items, total))
}

/// Messages still waiting to be tried (for tests and the shutdown log).
pub async fn pending_count(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::status.eq(OutboxStatus::Pending))
        .filter(outbox::delivery.eq(Delivery::Immediate))
        .count()
        .get_result(conn)
        .await
}
