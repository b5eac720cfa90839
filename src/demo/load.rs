//! Loading a demo data set into PostgreSQL: COPY in one transaction (all or nothing), with the
//! next batch generated on a blocking thread while the current one streams to the server, then
//! VACUUM (ANALYZE) so the planner and the visibility map see the data as a settled database would.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use futures_util::SinkExt;
use tokio_postgres::{Client, NoTls};
use uuid::Uuid;

use super::rows::{self, Copy};
use super::world::{Catalogue, World};
use super::{DEMO_PASSWORD, Options, Summary, TABLES};

/// Apprenticeships generated and sent per round of COPYs.
const BATCH: u64 = 250;

async fn connect(url: &str) -> anyhow::Result<Client> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .context("cannot connect to the database")?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::error!(%error, "demo seed connection");
        }
    });
    Ok(client)
}

/// The newest ST0220 version and its KSBs in standard order.
async fn catalogue(client: &Client) -> anyhow::Result<Catalogue> {
    let versions = client
        .query(
            "SELECT id::text, version FROM standards WHERE reference = 'ST0220'",
            &[],
        )
        .await?;
    let newest = versions
        .iter()
        .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
        .max_by_key(|(_, v)| crate::db::catalogue::version_key(v))
        .context("the ST0220 standard is not in the catalogue (run `ksbfolio migrate`)")?;
    let ksbs = client
        .query(
            "SELECT id::text, code FROM ksbs WHERE standard_id = $1::text::uuid ORDER BY position",
            &[&newest.0],
        )
        .await?
        .iter()
        .map(|r| Ok((Uuid::parse_str(&r.get::<_, String>(0))?, r.get(1))))
        .collect::<anyhow::Result<Vec<(Uuid, String)>>>()?;
    anyhow::ensure!(!ksbs.is_empty(), "ST0220 has no KSBs in this database");
    let index: std::collections::HashMap<Uuid, usize> = ksbs
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    // Each duty with the KSBs it links (in standard order), in duty order.
    let mut duties: Vec<(String, Vec<usize>)> = Vec::new();
    let links = client
        .query(
            "SELECT d.code, dk.ksb_id::text FROM duties d \
             LEFT JOIN duty_ksbs dk ON dk.duty_id = d.id \
             WHERE d.standard_id = $1::text::uuid ORDER BY d.position, d.id",
            &[&newest.0],
        )
        .await?;
    for row in &links {
        let code: String = row.get(0);
        if duties.last().is_none_or(|(c, _)| *c != code) {
            duties.push((code, Vec::new()));
        }
        if let Some(ksb) = row.get::<_, Option<String>>(1)
            && let Some(i) = index.get(&Uuid::parse_str(&ksb)?)
            && let Some((_, of)) = duties.last_mut()
        {
            of.push(*i);
        }
    }
    for (_, of) in &mut duties {
        of.sort_unstable();
    }
    let minimum_otj_hours: Option<i32> = client
        .query_one(
            "SELECT minimum_otj_hours FROM standards WHERE id = $1::text::uuid",
            &[&newest.0],
        )
        .await?
        .get(0);
    Ok(Catalogue {
        standard_id: Uuid::parse_str(&newest.0)?,
        ksbs,
        duties,
        minimum_otj_hours,
    })
}

async fn copy(client: &Client, copy: Copy) -> anyhow::Result<()> {
    if copy.rows == 0 {
        return Ok(());
    }
    let statement = format!("COPY {} ({}) FROM STDIN", copy.table, copy.columns);
    let sink = client
        .copy_in::<_, Bytes>(&statement)
        .await
        .with_context(|| format!("COPY into {}", copy.table))?;
    futures_util::pin_mut!(sink);
    let data = Bytes::from(copy.data);
    let mut start = 0;
    while start < data.len() {
        let end = (start + (1 << 20)).min(data.len());
        sink.send(data.slice(start..end)).await?;
        start = end;
    }
    sink.as_mut()
        .finish()
        .await
        .with_context(|| format!("COPY into {}", copy.table))?;
    Ok(())
}

/// Midnight UTC of today: every demo event happens before it.
pub fn today_anchor() -> DateTime<Utc> {
    Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
}

pub async fn seed(url: &str, options: &Options) -> anyhow::Result<Summary> {
    let n = options.apprenticeships;
    anyhow::ensure!(
        (1..=99_999_999).contains(&n),
        "--apprenticeships must be between 1 and 99,999,999"
    );
    let client = connect(url).await?;
    let catalogue = catalogue(&client).await?;
    let world = Arc::new(World::new(
        options.seed,
        n,
        options.anchor.unwrap_or_else(today_anchor),
        catalogue,
    ));
    let existing: i64 = client
        .query_one("SELECT count(*) FROM apprenticeships", &[])
        .await?
        .get(0);
    anyhow::ensure!(
        existing == 0 || options.force,
        "this database already holds {existing} apprenticeships; demo data goes into an empty \
         database (add --force to load it alongside, with a --seed not loaded before)"
    );
    let admin = world.admin();
    let loaded: i64 = client
        .query_one(
            "SELECT count(*) FROM users WHERE lower(email) = lower($1)",
            &[&admin.email],
        )
        .await?
        .get(0);
    anyhow::ensure!(
        loaded == 0,
        "demo seed {} is already loaded here ({} exists); choose another --seed",
        options.seed,
        admin.email
    );

    // One shared hash of the published demo password, with the server's own parameters (so
    // signing in never triggers a rehash). Fine for demo data, never for real accounts.
    let hash = crate::auth::password::hash_blocking(DEMO_PASSWORD.into(), options.hashing).await?;
    let hash = Arc::new(hash);
    let started = Instant::now();
    let mut rows: Vec<(&'static str, u64)> = TABLES.iter().map(|t| (*t, 0)).collect();
    let mut tally = |copy: &Copy| {
        if let Some(slot) = rows.iter_mut().find(|(t, _)| *t == copy.table) {
            slot.1 += copy.rows;
        }
    };

    client.batch_execute("BEGIN").await?;
    // Off while the rows are copied, inside this transaction (no other session ever sees them
    // off): they would recompute an apprenticeship once per row; one recomputation follows.
    client.batch_execute(&waiting_triggers("DISABLE")).await?;
    for c in rows::world_rows(&world, &hash) {
        tally(&c);
        copy(&client, c).await?;
    }
    let build = |from: u64| {
        let (world, hash) = (world.clone(), hash.clone());
        tokio::task::spawn_blocking(move || {
            rows::batch(&world, from..(from + BATCH).min(n + 1), &hash)
        })
    };
    let mut next = Some(build(1));
    let mut from = 1;
    let mut report_at = n / 10;
    while let Some(pending) = next.take() {
        let copies = pending.await?;
        from += BATCH;
        if from <= n {
            next = Some(build(from));
        }
        for c in copies {
            tally(&c);
            copy(&client, c).await?;
        }
        let done = (from - 1).min(n);
        if n >= 2_000 && done >= report_at {
            eprintln!(
                "  {done} of {n} apprenticeships loaded ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
            report_at += n / 10;
        }
    }
    // The kept progress of what was loaded (and of anything already there: it is idempotent).
    client
        .execute(
            "SELECT refresh_progress(ARRAY(SELECT id FROM apprenticeships), false)",
            &[],
        )
        .await?;
    // Who each apprenticeship waits on (migration `000400_kept_waiting`), likewise.
    client
        .execute(
            "SELECT refresh_waiting(ARRAY(SELECT id FROM apprenticeships))",
            &[],
        )
        .await?;
    client.batch_execute(&waiting_triggers("ENABLE")).await?;
    let summary = serde_json::json!({ "seed": options.seed, "apprenticeships": n }).to_string();
    client
        .execute(
            "INSERT INTO audit_log (action, entity_type, entity_id, summary) \
             VALUES ('demo.seeded', 'database', $1, $2::text::jsonb)",
            &[&options.seed.to_string(), &summary],
        )
        .await?;
    client.batch_execute("COMMIT").await?;
    // What each loaded sign-off attests, by the rule every sign-off follows (so a server started
    // on the data set has no backfill to do).
    let mut conn = diesel_async::AsyncPgConnection::establish(url).await?;
    crate::db::signoff_hash::backfill(&mut conn).await?;
    let loaded_in = started.elapsed();

    let vacuumed = Instant::now();
    if options.vacuum {
        client
            .batch_execute(&format!(
                "VACUUM (ANALYZE) {}, duty_progress",
                TABLES.join(", ")
            ))
            .await?;
    }
    Ok(Summary {
        world,
        rows,
        load_seconds: loaded_in.as_secs_f64(),
        vacuum_seconds: options.vacuum.then(|| vacuumed.elapsed().as_secs_f64()),
    })
}

/// `ALTER TABLE … {action} TRIGGER` for each trigger that keeps who an apprenticeship waits on
/// when a row is inserted (migration `000400_kept_waiting`): the loader only inserts.
fn waiting_triggers(action: &str) -> String {
    [
        ("ksb_statuses", "kept_waiting_insert"),
        ("evidence", "kept_waiting_insert"),
        ("otj_entries", "kept_waiting_insert"),
        ("progress_reviews", "kept_waiting_insert"),
        ("review_signatures", "kept_waiting"),
    ]
    .iter()
    .map(|(table, trigger)| format!("ALTER TABLE {table} {action} TRIGGER {trigger};"))
    .collect()
}
