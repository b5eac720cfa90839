//! One apprenticeship's progress reviews: the tutor holds one every eight to twelve weeks from
//! the start (so the funding rules' three-month deadline is met), records it the same day with
//! the snapshot the app takes (coverage and duties from the evidence and sign-offs as they stood,
//! the OTJ summary of the entries as they stood), and the apprentice, the mentor and the tutor
//! sign it over the following days. Signatures that would fall after the day of seeding are not
//! made, so the latest review of some apprenticeships waits for signatures; for a few the reviews
//! stop some months ago (the tutor fell behind), so those are overdue.
//!
//! Each signature holds the hash of the canonical content by the app's own rule
//! (`domain::review::content_sha256`), the status is `domain::review::review_status` of the
//! signatures, and the kept figures on the apprenticeship follow `db::reviews::compute` with the
//! deadline rule `domain::review::next_review_due_by` (the demo has no breaks in learning).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::ids::{self, Kind};
use super::otj::OtjLog;
use super::portfolio::{Item, Signoff};
use super::rng::Rng;
use super::world::{Plan, World, working_time};
use crate::domain::coverage::{EvidenceCounts, KsbStatus, Totals, ksb_status, percent};
use crate::domain::otj::{self, OtjFacts, OtjStatus};
use crate::domain::review::{
    self, DutySnapshot, NextAction, ReviewContent, ReviewParty, ReviewSnapshot, ReviewStatus,
    SignatureFact,
};

#[derive(Debug, Clone)]
pub struct Signature {
    pub id: Uuid,
    pub role: ReviewParty,
    pub signer: Uuid,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ProgressReview {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub previous_actions: String,
    pub progress_notes: &'static str,
    pub concerns: &'static str,
    pub next_actions: Vec<NextAction>,
    pub snapshot: ReviewSnapshot,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub signatures: Vec<Signature>,
    pub content_sha256: String,
    pub status: ReviewStatus,
}

/// The kept review columns of the apprenticeship (`db::reviews::ReviewFigures` less `on_break`,
/// which stays false: the demo has no breaks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub last_review_on: Option<NaiveDate>,
    pub next_review_due_by: Option<NaiveDate>,
    pub unsigned_reviews: i32,
    pub oldest_unsigned_review_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct Reviews {
    pub held: Vec<ProgressReview>,
    pub figures: Figures,
}

const NOTES: &[&str] = &[
    "Good progress across the duties since the last review; the portfolio is well organised.",
    "Steady progress. Evidence is reaching the expected standard and feedback is acted on.",
    "Progress has slowed during a busy period on the ward; we agreed how to catch up.",
    "Strong reflective writing. The mentor reports growing confidence in the laboratory.",
    "On track for gateway. We looked at the KSBs still waiting for evidence.",
];

const CONCERNS: &[&str] = &[
    "Workload has been heavy; the mentor will protect study time each week.",
    "The apprentice asked for support with the written assignment; referred to study skills.",
];

const ACTIONS: &[(&str, ReviewParty)] = &[
    (
        "Log the off-the-job hours from the teaching days",
        ReviewParty::Apprentice,
    ),
    (
        "Submit evidence for the KSBs discussed today",
        ReviewParty::Apprentice,
    ),
    (
        "Write a reflective account of the audit project",
        ReviewParty::Apprentice,
    ),
    (
        "Arrange an observation of practice in the clinic",
        ReviewParty::Employer,
    ),
    (
        "Protect two hours of study time a week",
        ReviewParty::Employer,
    ),
    (
        "Review the evidence waiting for feedback",
        ReviewParty::Provider,
    ),
    (
        "Book the mock professional discussion",
        ReviewParty::Provider,
    ),
];

pub fn generate(
    world: &World,
    plan: &Plan,
    items: &[Item],
    signoffs: &[Signoff],
    otj_log: &OtjLog,
) -> Reviews {
    let mut rng = Rng::new(world.seed, World::stream(Kind::ProgressReview, plan.k));
    let today = world.anchor.date_naive();
    // For a few the reviews stop some months ago: those are overdue now.
    let stops = rng
        .chance(0.07)
        .then(|| today - Duration::days(rng.range(100, 200)));
    let mut held_on = plan.start_date + Duration::days(rng.range(42, 88));
    let mut held = Vec::new();
    let mut previous: Vec<NextAction> = Vec::new();
    while held_on < today && stops.is_none_or(|s| held_on <= s) {
        let number = plan.k * 10_000 + held.len() as u64;
        let id = ids::id(Kind::ProgressReview, world.seed, number);
        let r = one(
            &mut rng, world, plan, items, signoffs, otj_log, id, held_on, &previous,
        );
        previous = r.next_actions.clone();
        held.push(r);
        held_on += Duration::days(rng.range(56, 88));
    }
    // The latest of some is still being signed, or not yet at all.
    if let Some(last) = held.last_mut()
        && rng.chance(0.1)
    {
        let keep = rng.below(3) as usize;
        last.signatures.truncate(keep);
    }
    // Now and then an older one was never signed by the mentor.
    let older = held.len().saturating_sub(1);
    for r in &mut held[..older] {
        if rng.chance(0.03) {
            r.signatures.retain(|s| s.role != ReviewParty::Employer);
        }
    }
    for (n, r) in held.iter_mut().enumerate() {
        for (i, s) in r.signatures.iter_mut().enumerate() {
            let number = plan.k * 10_000 + n as u64 * 3 + i as u64;
            s.id = ids::id(Kind::ReviewSignature, world.seed, number);
        }
        r.status = status(&r.signatures, &r.content_sha256);
    }
    let figures = figures(plan, &held);
    Reviews { held, figures }
}

/// The status by the app's rule (every demo signature is live and over the current content).
fn status(signatures: &[Signature], hash: &str) -> ReviewStatus {
    let facts: Vec<SignatureFact> = signatures
        .iter()
        .map(|s| SignatureFact {
            role: s.role,
            signer_name: String::new(),
            content_sha256: hash.to_string(),
            voided: false,
        })
        .collect();
    review::review_status(&facts, hash)
}

/// The kept figures, as `db::reviews::compute` derives them from the reviews.
fn figures(plan: &Plan, held: &[ProgressReview]) -> Figures {
    let last_review_on = held.iter().map(|r| r.held_on).max();
    let unsigned: Vec<NaiveDate> = held
        .iter()
        .filter(|r| r.status != ReviewStatus::Signed)
        .map(|r| r.held_on)
        .collect();
    Figures {
        last_review_on,
        next_review_due_by: review::next_review_due_by(
            last_review_on.unwrap_or(plan.start_date),
            &[],
        ),
        unsigned_reviews: unsigned.len() as i32,
        oldest_unsigned_review_on: unsigned.into_iter().min(),
    }
}

#[allow(clippy::too_many_arguments)]
fn one(
    rng: &mut Rng,
    world: &World,
    plan: &Plan,
    items: &[Item],
    signoffs: &[Signoff],
    otj_log: &OtjLog,
    id: Uuid,
    held_on: NaiveDate,
    previous: &[NextAction],
) -> ProgressReview {
    let anchor = world.anchor;
    let created_at = working_time(rng, held_on);
    let snapshot = snapshot(world, plan, items, signoffs, otj_log, created_at);
    let previous_actions = previous
        .iter()
        .map(|a| a.action.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let wanted = rng.range(1, 3) as usize;
    let mut next_actions: Vec<NextAction> = Vec::with_capacity(wanted);
    for _ in 0..wanted {
        let (action, owner) = *rng.pick(ACTIONS);
        if next_actions.iter().any(|a| a.action == action) {
            continue;
        }
        next_actions.push(NextAction {
            action: action.to_string(),
            owner,
            due_on: held_on + Duration::days(rng.range(14, 60)),
        });
    }
    let concerns = if rng.chance(0.1) {
        *rng.pick(CONCERNS)
    } else {
        ""
    };
    let mut r = ProgressReview {
        id,
        held_on,
        previous_actions,
        progress_notes: NOTES[rng.below(NOTES.len() as u64) as usize],
        concerns,
        next_actions,
        snapshot,
        created_by: plan.tutor_id,
        created_at,
        signatures: Vec::new(),
        content_sha256: String::new(),
        status: ReviewStatus::Draft,
    };
    r.content_sha256 = review::content_sha256(&ReviewContent {
        review_id: r.id,
        apprenticeship_id: plan.id,
        held_on: r.held_on,
        previous_actions: &r.previous_actions,
        progress_notes: r.progress_notes,
        concerns: r.concerns,
        next_actions: &r.next_actions,
        snapshot: &r.snapshot,
    });
    let parties = [
        (ReviewParty::Provider, plan.tutor_id, 0, 2),
        (ReviewParty::Apprentice, plan.apprentice.id, 0, 7),
        (ReviewParty::Employer, plan.mentor_id, 1, 14),
    ];
    for (role, signer, min_days, max_days) in parties {
        let at = created_at
            + Duration::days(rng.range(min_days, max_days))
            + Duration::minutes(rng.range(10, 480));
        if at < anchor {
            r.signatures.push(Signature {
                id: Uuid::nil(),
                role,
                signer,
                at,
            });
        }
    }
    r.signatures.sort_by_key(|s| s.at);
    r
}

/// What the app would have snapshotted at `t`: each KSB's status from the evidence as it stood
/// (each item's latest revision by then) and the sign-offs standing then, by the app's rule, and
/// the OTJ summary of the entries as they stood, on that day.
fn snapshot(
    world: &World,
    plan: &Plan,
    items: &[Item],
    signoffs: &[Signoff],
    otj_log: &OtjLog,
    t: DateTime<Utc>,
) -> ReviewSnapshot {
    let total = world.catalogue.ksbs.len();
    let mut counts = vec![EvidenceCounts::default(); total];
    for item in items {
        let Some(rev) = item.revisions.iter().take_while(|r| r.at <= t).last() else {
            continue;
        };
        for ksb in &item.ksbs {
            counts[*ksb].add(rev.status, 1);
        }
    }
    let mut signed = vec![false; total];
    for s in signoffs {
        if s.at <= t && s.revoked.is_none_or(|(at, _)| at > t) {
            signed[s.ksb] = true;
        }
    }
    let statuses: Vec<KsbStatus> = (0..total)
        .map(|k| ksb_status(&counts[k], signed[k]))
        .collect();
    let duties = world
        .catalogue
        .duties
        .iter()
        .map(|(code, ksbs)| {
            let of = |wanted: KsbStatus| ksbs.iter().filter(|k| statuses[**k] == wanted).count();
            let (evidenced, signed_off) = (
                of(KsbStatus::Evidenced) as i32,
                of(KsbStatus::SignedOff) as i32,
            );
            DutySnapshot {
                code: code.clone(),
                percent_evidenced: percent(evidenced + signed_off, ksbs.len() as i32),
                percent_signed_off: percent(signed_off, ksbs.len() as i32),
            }
        })
        .collect();
    let (mut approved, mut pending) = (0i64, 0i64);
    for e in &otj_log.entries {
        match e.status_at(t) {
            Some(OtjStatus::Approved) => approved += i64::from(e.minutes),
            Some(OtjStatus::Pending) => pending += i64::from(e.minutes),
            Some(OtjStatus::Rejected) | None => {}
        }
    }
    let otj = otj::summary(&OtjFacts {
        planned_otj_hours: Some(otj_log.planned_otj_hours),
        rpl_reduction_hours: otj_log.rpl_reduction_hours,
        minimum_otj_hours: world.catalogue.minimum_otj_hours,
        approved_minutes: approved,
        pending_minutes: pending,
        start_date: plan.start_date,
        expected_end_date: plan.expected_end_date,
        breaks: &[],
        today: t.date_naive(),
    });
    ReviewSnapshot {
        totals: Totals::count(&statuses),
        duties,
        otj,
    }
}
