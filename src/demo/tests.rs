//! The demo data is deterministic, realistic in shape, and its kept KSB statuses equal what
//! `db::ksb_statuses::compute` recomputes from the raw rows it loaded.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::portfolio::generate;
use super::rows::batch;
use super::world::{Catalogue, World};
use super::*;
use crate::domain::evidence::EvidenceStatus;

fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0)
        .single()
        .expect("a valid instant")
}

fn fake_catalogue() -> Catalogue {
    let codes = (1..=44)
        .map(|i| format!("K{i}"))
        .chain((1..=44).map(|i| format!("S{i}")))
        .chain((1..=6).map(|i| format!("B{i}")));
    let ksbs: Vec<(Uuid, String)> = codes
        .enumerate()
        .map(|(i, c)| (Uuid::from_u128(1000 + i as u128), c))
        .collect();
    // Ten duties, each with every tenth KSB.
    let duties = (0..10)
        .map(|d| (format!("D{}", d + 1), (d..ksbs.len()).step_by(10).collect()))
        .collect();
    Catalogue {
        standard_id: Uuid::from_u128(7),
        ksbs,
        duties,
        minimum_otj_hours: None,
    }
}

fn bytes_of(world: &World, ks: std::ops::Range<u64>) -> Vec<Vec<u8>> {
    batch(world, ks, "hash")
        .into_iter()
        .map(|c| c.data)
        .collect()
}

#[test]
fn the_same_seed_gives_byte_identical_data_and_another_seed_does_not() {
    let one = World::new(1, 40, anchor(), fake_catalogue());
    let again = World::new(1, 40, anchor(), fake_catalogue());
    let other = World::new(2, 40, anchor(), fake_catalogue());
    assert_eq!(bytes_of(&one, 1..6), bytes_of(&again, 1..6));
    assert_ne!(bytes_of(&one, 1..6), bytes_of(&other, 1..6));
    // Any apprenticeship can be generated alone: batches do not depend on each other.
    let whole = bytes_of(&one, 3..4);
    assert_eq!(whole, bytes_of(&again, 3..4));
}

#[test]
fn portfolios_look_like_a_live_service() {
    let world = World::new(9, 300, anchor(), fake_catalogue());
    let portfolios: Vec<_> = (1..=300).map(|k| generate(&world, k)).collect();
    let items: Vec<_> = portfolios.iter().flat_map(|p| &p.items).collect();
    let mean = items.len() as f64 / 300.0;
    assert!(
        (85.0..=115.0).contains(&mean),
        "about 100 per apprenticeship, got {mean}"
    );
    let mut by_status: HashMap<EvidenceStatus, usize> = HashMap::new();
    for item in &items {
        *by_status.entry(item.status).or_default() += 1;
        assert!((1..=5).contains(&item.ksbs.len()));
        assert_eq!(
            item.revisions.len() as i32,
            item.version,
            "one revision per version"
        );
        assert!(item.updated_at < world.anchor && item.created_at <= item.updated_at);
    }
    for &status in EvidenceStatus::ALL {
        assert!(
            by_status.get(&status).copied().unwrap_or(0) > 0,
            "{status:?} occurs"
        );
    }
    let accepted = by_status[&EvidenceStatus::Accepted] as f64 / items.len() as f64;
    assert!(accepted > 0.6, "most evidence is accepted: {accepted}");
    let signoffs: Vec<_> = portfolios.iter().flat_map(|p| &p.signoffs).collect();
    assert!(
        signoffs.iter().any(|s| s.revoked.is_some()),
        "a few revocations"
    );
    assert!(
        portfolios.iter().any(|p| p.signoffs.is_empty()),
        "early starters"
    );
    // A sign-off only on a KSB with accepted evidence, at most one active per KSB.
    for p in &portfolios {
        for row in &p.statuses {
            if row.signed.is_some() {
                assert!(row.counts.accepted > 0);
            }
        }
        let mut active = std::collections::HashSet::new();
        for s in p.signoffs.iter().filter(|s| s.revoked.is_none()) {
            assert!(active.insert(s.ksb));
        }
    }
}

#[test]
fn otj_entries_follow_the_apps_rules_and_the_kept_minutes_are_their_sum() {
    use crate::domain::otj::{self, OtjStatus};

    let world = World::new(9, 300, anchor(), fake_catalogue());
    let today = world.anchor.date_naive();
    let mut by_status: HashMap<OtjStatus, usize> = HashMap::new();
    let (mut entries, mut weeks) = (0usize, 0f64);
    for k in 1..=300 {
        let p = generate(&world, k);
        let log = &p.otj;
        assert!((187..=400).contains(&log.planned_otj_hours));
        assert!(log.rpl_reduction_hours >= 0);
        let mut days: HashMap<chrono::NaiveDate, i64> = HashMap::new();
        for e in &log.entries {
            *by_status.entry(e.status).or_default() += 1;
            assert!((1..=720).contains(&e.minutes), "{}", e.minutes);
            *days.entry(e.occurred_on).or_default() += i64::from(e.minutes);
            assert!(e.occurred_on >= p.plan.start_date && e.occurred_on < today);
            assert!(e.created_at.date_naive() >= e.occurred_on);
            assert!(e.created_at <= e.updated_at && e.updated_at < world.anchor);
            assert!(e.ksbs.len() <= 2);
            assert_eq!(e.version as usize, e.history.len(), "a version per change");
            assert_eq!(e.reviewed.is_some(), e.status != OtjStatus::Pending);
            assert_eq!(
                e.rejection_reason.is_some(),
                e.status == OtjStatus::Rejected
            );
            assert_eq!(e.status_at(e.updated_at), Some(e.status));
        }
        assert!(
            days.values().all(|m| *m <= otj::DAILY_CAP_MINUTES),
            "a day's total stays within the cap"
        );
        let pairs: Vec<_> = log.entries.iter().map(|e| (e.status, e.minutes)).collect();
        assert_eq!(log.kept, otj::recompute(&pairs));
        entries += log.entries.len();
        weeks += (today - p.plan.start_date).num_days() as f64 / 7.0;
    }
    let per_week = entries as f64 / weeks;
    assert!(
        (0.9..=1.5).contains(&per_week),
        "one or two a week: {per_week}"
    );
    let approved = by_status[&OtjStatus::Approved] as f64 / entries as f64;
    assert!(approved > 0.85, "most are approved: {approved}");
    assert!(by_status[&OtjStatus::Pending] > 0 && by_status[&OtjStatus::Rejected] > 0);
}

#[test]
fn progress_reviews_fall_every_few_months_and_are_mostly_signed_by_all_three() {
    use crate::domain::review::{self, ReviewState, ReviewStatus};

    let world = World::new(9, 300, anchor(), fake_catalogue());
    let today = world.anchor.date_naive();
    let mut states: HashMap<ReviewState, usize> = HashMap::new();
    let (mut held, mut signed, mut latest_unsigned) = (0usize, 0usize, 0usize);
    for k in 1..=300 {
        let p = generate(&world, k);
        let reviews = &p.progress.held;
        let mut since = p.plan.start_date;
        for r in reviews {
            assert!(r.held_on > since && r.held_on < today);
            assert!(r.held_on <= review::calendar_deadline(since), "never late");
            since = r.held_on;
            assert_eq!(r.status == ReviewStatus::Signed, r.signatures.len() == 3);
            assert!(
                r.signatures
                    .iter()
                    .all(|s| s.at > r.created_at && s.at < world.anchor)
            );
            assert!(r.next_actions.iter().all(|a| a.due_on >= r.held_on));
            assert_eq!(r.snapshot.totals.ksbs, 94);
            assert_eq!(r.snapshot.duties.len(), 10);
            signed += usize::from(r.status == ReviewStatus::Signed);
        }
        held += reviews.len();
        latest_unsigned += usize::from(
            reviews
                .last()
                .is_some_and(|r| r.status != ReviewStatus::Signed),
        );
        let f = &p.progress.figures;
        assert_eq!(f.last_review_on, reviews.last().map(|r| r.held_on));
        assert_eq!(
            f.unsigned_reviews as usize,
            reviews
                .iter()
                .filter(|r| r.status != ReviewStatus::Signed)
                .count()
        );
        *states
            .entry(review::review_state(f.next_review_due_by, today))
            .or_default() += 1;
    }
    let share = signed as f64 / held as f64;
    assert!(share > 0.8, "most reviews are signed: {share}");
    assert!(
        (15..=150).contains(&latest_unsigned),
        "some wait for signatures: {latest_unsigned}"
    );
    let overdue = states.get(&ReviewState::Overdue).copied().unwrap_or(0);
    assert!((5..=45).contains(&overdue), "a few are overdue: {overdue}");
    assert!(states[&ReviewState::OnTime] > 150, "{states:?}");
}

/// The server the tests use: DATABASE_URL's, or the embedded cluster the API tests also use.
async fn admin_url() -> String {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        let mut parsed = url::Url::parse(&url).expect("DATABASE_URL is a URL");
        parsed.set_path("/postgres");
        return parsed.to_string();
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp/test-cluster");
    let embedded =
        tokio::task::spawn_blocking(move || crate::embedded_pg::EmbeddedPostgres::start(&dir))
            .await
            .expect("join")
            .expect("the embedded test cluster starts");
    let url = embedded.admin_url();
    // Left running on purpose, like the API tests' cluster (`make test-db-stop` stops it).
    std::mem::forget(embedded);
    url
}

/// A database of this test's own, dropped at the end even when the test fails.
struct Scratch {
    admin: String,
    name: String,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                if let Ok(mut conn) = AsyncPgConnection::establish(&admin).await {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                }
            });
        })
        .join();
    }
}

#[derive(Queryable, Debug, PartialEq)]
struct Kept {
    ksb_id: Uuid,
    status: String,
    counts: (i32, i32, i32, i32),
    signed_off_at: Option<DateTime<Utc>>,
    signed_off_by: Option<Uuid>,
    evidenced_at: Option<DateTime<Utc>>,
}

#[derive(QueryableByName)]
struct Broken {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[tokio::test]
async fn seeded_kept_statuses_equal_a_recomputation_from_the_raw_rows() {
    use crate::db::schema::{apprenticeships, ksb_statuses};

    let admin = admin_url().await;
    let name = format!("ksbfolio_demo_{}", Uuid::new_v4().simple());
    let mut conn = AsyncPgConnection::establish(&admin).await.expect("admin");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create");
    let scratch = Scratch {
        admin: admin.clone(),
        name,
    };
    let mut url = url::Url::parse(&admin).expect("url");
    url.set_path(&format!("/{}", scratch.name));
    let url = url.to_string();
    crate::startup::prepare_database(&url)
        .await
        .expect("migrated");

    let cheap = HashingParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };
    let options = Options {
        apprenticeships: 12,
        seed: 5,
        force: false,
        hashing: cheap,
        anchor: Some(anchor()),
        vacuum: false,
    };
    let summary = seed(&url, &options).await.expect("seeded");
    assert_eq!(summary.rows_of("apprenticeships"), 12);
    assert_eq!(summary.rows_of("ksb_statuses"), 12 * 94);
    assert!(summary.rows_of("evidence") > 12 * 20);
    assert!(summary.rows_of("evidence_revisions") > summary.rows_of("evidence"));

    let mut db = AsyncPgConnection::establish(&url).await.expect("connect");
    let unhashed: i64 = crate::db::schema::signoffs::table
        .filter(crate::db::schema::signoffs::content_sha256.is_null())
        .count()
        .get_result(&mut db)
        .await
        .expect("count");
    assert!(summary.rows_of("signoffs") > 0);
    assert_eq!(unhashed, 0, "every loaded sign-off keeps its hash");
    let all: Vec<(Uuid, Uuid)> = apprenticeships::table
        .select((apprenticeships::id, apprenticeships::standard_id))
        .load(&mut db)
        .await
        .expect("apprenticeships");
    assert_eq!(all.len(), 12);
    for (id, standard) in all {
        let recomputed: Vec<Kept> = crate::db::ksb_statuses::compute(
            &db,
            id,
            standard,
            crate::db::ksb_statuses::KsbSelection::All,
        )
        .await
        .expect("compute")
        .into_iter()
        .map(|r| Kept {
            ksb_id: r.ksb_id,
            status: r.status.as_str().to_string(),
            counts: (
                r.counts.draft,
                r.counts.submitted,
                r.counts.accepted,
                r.counts.changes_requested,
            ),
            signed_off_at: r.signoff.map(|s| s.0),
            signed_off_by: r.signoff.map(|s| s.1),
            evidenced_at: r.evidenced_at,
        })
        .collect();
        let order: HashMap<Uuid, usize> = recomputed
            .iter()
            .enumerate()
            .map(|(i, k)| (k.ksb_id, i))
            .collect();
        let mut kept: Vec<Kept> = ksb_statuses::table
            .filter(ksb_statuses::apprenticeship_id.eq(id))
            .select((
                ksb_statuses::ksb_id,
                ksb_statuses::status,
                (
                    ksb_statuses::draft,
                    ksb_statuses::submitted,
                    ksb_statuses::accepted,
                    ksb_statuses::changes_requested,
                ),
                ksb_statuses::signed_off_at,
                ksb_statuses::signed_off_by,
                ksb_statuses::evidenced_at,
            ))
            .load(&mut db)
            .await
            .expect("kept");
        kept.sort_by_key(|k| order.get(&k.ksb_id).copied().unwrap_or(usize::MAX));
        assert_eq!(kept, recomputed, "apprenticeship {id}");
    }

    // The kept OTJ and review figures equal what the app recomputes from the loaded rows, and
    // every signature attests the content hash the app computes for its review.
    let ids: Vec<Uuid> = apprenticeships::table
        .select(apprenticeships::id)
        .load(&mut db)
        .await
        .expect("ids");
    let (mut reviews_seen, mut entries_seen) = (0usize, 0i64);
    for id in ids {
        let kept = crate::db::apprenticeships::find(&db, id)
            .await
            .expect("read")
            .expect("row");
        let otj = crate::db::otj::recompute(&mut db, id).await.expect("otj");
        assert_eq!(
            (kept.otj_approved_minutes, kept.otj_pending_minutes),
            (otj.approved, otj.pending),
            "apprenticeship {id}"
        );
        assert!(
            kept.planned_otj_hours
                .is_some_and(|h| (187..=400).contains(&h))
        );
        entries_seen += otj.approved + otj.pending;
        let figures = crate::db::reviews::compute(&mut db, id, kept.start_date)
            .await
            .expect("review figures");
        assert_eq!(
            crate::db::reviews::ReviewFigures {
                last_review_on: kept.last_review_on,
                next_review_due_by: kept.next_review_due_by,
                unsigned_reviews: kept.unsigned_reviews,
                oldest_unsigned_review_on: kept.oldest_unsigned_review_on,
                on_break: kept.on_break,
            },
            figures,
            "apprenticeship {id}"
        );
        let (rows, _) = crate::db::reviews::list(&mut db, id, 100, 0)
            .await
            .expect("reviews");
        let stored: Vec<String> = rows.iter().map(|r| r.status.as_str().to_string()).collect();
        let built = crate::api::reviews::responses(&mut db, rows)
            .await
            .expect("responses");
        for (r, stored) in built.iter().zip(stored) {
            assert_eq!(r.status.as_str(), stored, "review {}", r.id);
            assert!(r.signatures.iter().all(|s| s.valid), "review {}", r.id);
            assert_eq!(r.status.as_str() == "signed", r.signatures.len() == 3);
            reviews_seen += 1;
        }
    }
    assert!(reviews_seen > 12 && entries_seen > 0);
    assert_eq!(
        summary.rows_of("progress_reviews"),
        reviews_seen as u64,
        "the summary counts what was loaded"
    );
    // A day's OTJ time stays within the cap; entries fall between the start and the anchor.
    let broken: Broken = diesel::sql_query(
        "SELECT count(*) AS n FROM ( \
           SELECT e.apprenticeship_id, e.occurred_on FROM otj_entries e \
           GROUP BY 1, 2 HAVING sum(e.minutes) > 720 \
           UNION ALL SELECT e.apprenticeship_id, e.occurred_on FROM otj_entries e \
           JOIN apprenticeships a ON a.id = e.apprenticeship_id \
           WHERE e.occurred_on < a.start_date OR e.occurred_on >= DATE '2026-11-25' \
              OR e.minutes NOT BETWEEN 1 AND 720) x",
    )
    .get_result(&mut db)
    .await
    .expect("day rule");
    assert_eq!(broken.n, 0);

    // The loader computed the kept progress: every KSB counted, one row per duty.
    let counted: Vec<i32> = apprenticeships::table
        .select(apprenticeships::ksbs_total)
        .load(&mut db)
        .await
        .expect("progress");
    assert_eq!(counted, vec![94; 12]);
    let duty_rows: i64 = crate::db::schema::duty_progress::table
        .count()
        .get_result(&mut db)
        .await
        .expect("duty progress");
    assert_eq!(duty_rows, 12 * 10);

    // One revision per version, the newest matching the evidence row, as the app writes them.
    let broken: Broken = diesel::sql_query(
        "SELECT count(*) AS n FROM evidence e WHERE e.version <> \
             (SELECT count(*) FROM evidence_revisions r WHERE r.evidence_id = e.id) \
           OR e.status <> (SELECT r.status FROM evidence_revisions r \
                           WHERE r.evidence_id = e.id AND r.version = e.version)",
    )
    .get_result(&mut db)
    .await
    .expect("revisions");
    assert_eq!(broken.n, 0);

    // Demo logins work with the printed password and the server's parameters.
    let hash: String = crate::db::schema::users::table
        .filter(crate::db::schema::users::email.eq(format!("admin@demo-{}.example", options.seed)))
        .select(crate::db::schema::users::password_hash)
        .first(&mut db)
        .await
        .expect("admin");
    assert_eq!(
        crate::auth::password::verify(DEMO_PASSWORD, &hash, cheap).expect("verify"),
        crate::auth::password::Verified::Yes
    );

    // A second seed into a database with apprenticeships is refused without --force.
    let again = seed(
        &url,
        &Options {
            seed: 6,
            ..options.clone()
        },
    )
    .await;
    assert!(again.is_err_and(|e| e.to_string().contains("--force")));
    drop(db);
    drop(conn);
    drop(scratch);
}
