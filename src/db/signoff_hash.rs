//! The `content_sha256` of sign-offs: the accepted evidence revisions behind each sign-off,
//! read as the revision history stood at its `created_at`, hashed by
//! `domain::signoff::content_sha256` and stored. New sign-offs (single or bulk) are hashed in
//! their own transaction; sign-offs made before the column existed are hashed by [`backfill`]
//! with the very same rule (migration `000500_inbox_signoff_hash`), in the background of every
//! server ([`spawn_backfill`]).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, Date, Integer, Text, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::signoffs;
use crate::domain::signoff::{EvidenceRevision, content_sha256};

#[derive(Debug, Clone, diesel::QueryableByName)]
struct BehindRow {
    #[diesel(sql_type = SqlUuid)]
    signoff_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    evidence_id: Uuid,
    #[diesel(sql_type = Integer)]
    version: i32,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    description: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Date)]
    occurred_on: NaiveDate,
    #[diesel(sql_type = Array<Text>)]
    ksbs: Vec<String>,
}

/// Hashes these sign-offs and stores the hashes: three statements however many there are. Each
/// hash covers, of every evidence of the apprenticeship, its latest revision at the sign-off's
/// `created_at`, where that revision is accepted and names the KSB (by the revision's own KSB
/// list, so history decides). Today's links only narrow the search: accepted evidence can no
/// longer be edited (only withdrawn, which is final), so evidence accepted for a KSB at any
/// moment still links to it. Returns the hashes.
pub async fn hash_and_store(
    conn: &mut AsyncPgConnection,
    signoff_ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, String>> {
    if signoff_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let heads: Vec<(Uuid, Uuid, String)> = signoffs::table
        .inner_join(super::schema::ksbs::table)
        .filter(signoffs::id.eq_any(signoff_ids))
        .select((
            signoffs::id,
            signoffs::apprenticeship_id,
            super::schema::ksbs::code,
        ))
        .load(conn)
        .await?;
    let rows: Vec<BehindRow> = diesel::sql_query(
        "SELECT s.id AS signoff_id, r.evidence_id, r.version, r.title, r.description, r.kind, \
                r.occurred_on, r.ksbs::text[] AS ksbs \
         FROM signoffs s \
         JOIN ksbs k ON k.id = s.ksb_id \
         JOIN evidence_ksbs ek ON ek.ksb_id = s.ksb_id \
         JOIN evidence e ON e.id = ek.evidence_id AND e.apprenticeship_id = s.apprenticeship_id \
         CROSS JOIN LATERAL ( \
             SELECT * FROM evidence_revisions r \
             WHERE r.evidence_id = e.id AND r.created_at <= s.created_at \
             ORDER BY r.version DESC LIMIT 1 \
         ) r \
         WHERE s.id = ANY($1) AND r.status = 'accepted' AND k.code = ANY(r.ksbs)",
    )
    .bind::<Array<SqlUuid>, _>(signoff_ids)
    .load(conn)
    .await?;
    let mut behind: HashMap<Uuid, Vec<EvidenceRevision>> = HashMap::new();
    for r in rows {
        behind
            .entry(r.signoff_id)
            .or_default()
            .push(EvidenceRevision {
                evidence_id: r.evidence_id,
                version: r.version,
                title: r.title,
                description: r.description,
                kind: r.kind,
                occurred_on: r.occurred_on,
                ksbs: r.ksbs,
            });
    }
    let hashes: HashMap<Uuid, String> = heads
        .into_iter()
        .map(|(id, apprenticeship_id, code)| {
            let revisions = behind.remove(&id).unwrap_or_default();
            (id, content_sha256(apprenticeship_id, &code, &revisions))
        })
        .collect();
    let (ids, values): (Vec<Uuid>, Vec<String>) =
        hashes.iter().map(|(id, h)| (*id, h.clone())).unzip();
    diesel::sql_query(
        "UPDATE signoffs s SET content_sha256 = v.hash \
         FROM unnest($1::uuid[], $2::text[]) AS v (id, hash) WHERE s.id = v.id",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .bind::<Array<Text>, _>(values)
    .execute(conn)
    .await?;
    Ok(hashes)
}

/// How many sign-offs one backfill transaction hashes.
const BATCH: i64 = 500;

/// Hashes every sign-off still without a `content_sha256`, in batches of one transaction each,
/// skipping rows another server holds (so servers starting together share the work and never
/// wait on each other). Returns how many it hashed.
pub async fn backfill(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    let mut done = 0;
    loop {
        let hashed = conn
            .transaction(async |conn| {
                let ids: Vec<Uuid> = signoffs::table
                    .filter(signoffs::content_sha256.is_null())
                    .order((signoffs::created_at, signoffs::id))
                    .limit(BATCH)
                    .select(signoffs::id)
                    .for_update()
                    .skip_locked()
                    .load(conn)
                    .await?;
                Ok::<_, diesel::result::Error>(hash_and_store(conn, &ids).await?.len())
            })
            .await?;
        if hashed == 0 {
            return Ok(done);
        }
        done += hashed;
    }
}

/// Runs [`backfill`] in the background once the database answers (tried each minute until
/// then), so a large backfill never holds up start-up; `content_sha256` is `null` meanwhile.
pub fn spawn_backfill(pool: super::DbPool) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            let result = async {
                let mut conn = pool.get().await.map_err(|e| e.to_string())?;
                backfill(&mut conn).await.map_err(|e| e.to_string())
            }
            .await;
            match result {
                Ok(0) => return,
                Ok(hashed) => {
                    tracing::info!(hashed, "sign-offs made before hashes were kept are hashed");
                    return;
                }
                Err(error) => tracing::warn!(%error, "the sign-off hash backfill failed; retrying"),
            }
        }
    });
}
