//! One apprenticeship's portfolio, simulated forward in time from its start to the day of
//! seeding: evidence goes draft → submitted → reviewed (sometimes sent back and resubmitted),
//! a few pieces are withdrawn, the mentor signs off KSBs that have accepted evidence (a few
//! sign-offs are revoked, some of those signed again), and people comment. Every step that
//! would fall after the day of seeding does not happen, so recent evidence is still in draft or
//! waiting for review, just as in a live service.
//!
//! Revisions follow the app: one per version of a piece of evidence, the version bumped by every
//! edit and every status change. The kept KSB statuses are computed with the same rule as the
//! app (`domain::coverage::ksb_status`) from the final rows, and since when each evidenced KSB
//! has been so with the app's recomputation (`domain::evidenced_at::recomputed`): the later of
//! its first acceptance still standing and its latest revoked sign-off.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::ids::{self, Kind};
use super::otj::{self, OtjLog};
use super::reviews::{self, Reviews};
use super::rng::Rng;
use super::text;
use super::world::{Plan, World, working_time};
use crate::domain::coverage::{EvidenceCounts, KsbStatus, ksb_status};
use crate::domain::evidence::{EvidenceKind, EvidenceStatus};
use crate::domain::evidenced_at;

#[derive(Debug, Clone)]
pub struct Revision {
    pub version: i32,
    /// Index into [`Item::descriptions`].
    pub content: usize,
    pub status: EvidenceStatus,
    pub edited_by: Uuid,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: Uuid,
    pub title: &'static str,
    /// Every text the description has had; the last is current.
    pub descriptions: Vec<String>,
    pub kind: EvidenceKind,
    pub occurred_on: NaiveDate,
    /// Indices into the catalogue's KSBs, in standard order.
    pub ksbs: Vec<usize>,
    pub status: EvidenceStatus,
    pub version: i32,
    pub submitted_at: Option<DateTime<Utc>>,
    pub withdrawn: Option<(DateTime<Utc>, &'static str)>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub revisions: Vec<Revision>,
    /// When it was accepted, if it is accepted now.
    pub accepted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct Review {
    pub id: Uuid,
    pub evidence_id: Uuid,
    pub reviewer: Uuid,
    pub decision: &'static str,
    pub feedback: &'static str,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: Uuid,
    pub evidence_id: Uuid,
    pub author: Uuid,
    pub body: &'static str,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Signoff {
    pub id: Uuid,
    pub ksb: usize,
    pub by: Uuid,
    pub at: DateTime<Utc>,
    pub revoked: Option<(DateTime<Utc>, &'static str)>,
}

/// One kept `ksb_statuses` row.
#[derive(Debug, Clone)]
pub struct KsbRow {
    pub ksb: usize,
    pub status: KsbStatus,
    pub counts: EvidenceCounts,
    pub signed: Option<(DateTime<Utc>, Uuid)>,
    /// Since when the KSB has been evidenced (`None` unless it is).
    pub evidenced_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct Portfolio {
    pub plan: Plan,
    pub items: Vec<Item>,
    pub reviews: Vec<Review>,
    pub comments: Vec<Comment>,
    pub signoffs: Vec<Signoff>,
    pub statuses: Vec<KsbRow>,
    pub last_activity_at: DateTime<Utc>,
    /// The OTJ plan and entries (`demo::otj`).
    pub otj: OtjLog,
    /// Progress reviews and the kept review figures (`demo::reviews`).
    pub progress: Reviews,
}

/// Kinds in `EvidenceKind::ALL` order, weighted by how often apprentices use them.
const KIND_WEIGHTS: [u32; 8] = [20, 10, 25, 15, 8, 7, 12, 3];
/// How many KSBs one piece of evidence shows: 1 to 5.
const KSB_COUNT_WEIGHTS: [u32; 5] = [25, 30, 25, 12, 8];

/// Some time `min_days..=max_days` days after `t` (at least ten minutes later).
fn later(rng: &mut Rng, t: DateTime<Utc>, min_days: i64, max_days: i64) -> DateTime<Utc> {
    t + Duration::days(rng.range(min_days, max_days)) + Duration::minutes(rng.range(10, 8 * 60))
}

struct Ids {
    seed: u64,
    k: u64,
    reviews: u64,
    comments: u64,
    signoffs: u64,
}

impl Ids {
    fn next(&mut self, kind: Kind) -> Uuid {
        let counter = match kind {
            Kind::Review => &mut self.reviews,
            Kind::Comment => &mut self.comments,
            _ => &mut self.signoffs,
        };
        *counter += 1;
        ids::id(kind, self.seed, self.k * 10_000 + *counter)
    }
}

pub fn generate(world: &World, k: u64) -> Portfolio {
    let (plan, mut rng) = world.plan(k);
    let anchor = world.anchor;
    let ksb_total = world.catalogue.ksbs.len();
    let codes: Vec<&str> = world
        .catalogue
        .ksbs
        .iter()
        .map(|(_, c)| c.as_str())
        .collect();
    let mut ids = Ids {
        seed: world.seed,
        k,
        reviews: 0,
        comments: 0,
        signoffs: 0,
    };
    // The order this apprentice meets the KSBs in; early evidence draws from the first ones.
    let mut order: Vec<usize> = (0..ksb_total).collect();
    rng.shuffle(&mut order);

    let elapsed_days = (anchor.date_naive() - plan.start_date).num_days().max(1);
    let count =
        (15.0 + 145.0 * plan.elapsed.min(1.0) + rng.range(-10, 10) as f64).max(3.0) as usize;
    let mut days: Vec<i64> = (0..count).map(|_| rng.range(0, elapsed_days - 1)).collect();
    days.sort_unstable();

    // The KSBs met by `day` (from the start): more as the apprenticeship goes on.
    let duration_days = plan.duration_days;
    let unlocked = |day: i64| {
        let n = (20.0 + 110.0 * day as f64 / duration_days as f64).clamp(20.0, ksb_total as f64)
            as usize;
        order[..n.min(ksb_total)].to_vec()
    };
    let otj_log = otj::generate(world, &plan, unlocked);
    let mut portfolio = Portfolio {
        items: Vec::with_capacity(count),
        reviews: Vec::new(),
        comments: Vec::new(),
        signoffs: Vec::new(),
        statuses: Vec::with_capacity(ksb_total),
        last_activity_at: plan.created_at,
        otj: otj_log,
        progress: Reviews::default(),
        plan,
    };
    for (i, day) in days.into_iter().enumerate() {
        let id = ids::id(
            Kind::Evidence,
            world.seed,
            ids::evidence_number(k, i as u64),
        );
        let mut pool: Vec<usize> = unlocked(day);
        let wanted = (rng.weighted(&KSB_COUNT_WEIGHTS) + 1).min(pool.len());
        for j in 0..wanted {
            let pick = j + rng.below((pool.len() - j) as u64) as usize;
            pool.swap(j, pick);
        }
        let mut ksbs = pool[..wanted].to_vec();
        ksbs.sort_unstable();
        let occurred_on = portfolio.plan.start_date + Duration::days(day);
        let item = simulate(
            &mut rng,
            &mut ids,
            &mut portfolio,
            anchor,
            id,
            occurred_on,
            ksbs,
            &codes,
        );
        portfolio.items.push(item);
    }
    sign_off(&mut rng, &mut ids, &mut portfolio, anchor, ksb_total);
    portfolio.last_activity_at = last_activity(&portfolio);
    portfolio.progress = reviews::generate(
        world,
        &portfolio.plan,
        &portfolio.items,
        &portfolio.signoffs,
        &portfolio.otj,
    );
    portfolio
}

/// One step of the workflow: a new version with its revision, as `after_change` writes it.
fn step(
    item: &mut Item,
    status: EvidenceStatus,
    by: Uuid,
    at: DateTime<Utc>,
    new_text: Option<&str>,
) {
    if let Some(extra) = new_text {
        let next = format!("{}{extra}", item.descriptions[item.descriptions.len() - 1]);
        item.descriptions.push(next);
    }
    if !item.revisions.is_empty() {
        item.version += 1;
    }
    item.status = status;
    item.updated_at = at;
    item.revisions.push(Revision {
        version: item.version,
        content: item.descriptions.len() - 1,
        status,
        edited_by: by,
        at,
    });
}

#[allow(clippy::too_many_arguments)]
fn simulate(
    rng: &mut Rng,
    ids: &mut Ids,
    portfolio: &mut Portfolio,
    anchor: DateTime<Utc>,
    id: Uuid,
    occurred_on: NaiveDate,
    ksbs: Vec<usize>,
    codes: &[&str],
) -> Item {
    let plan = &portfolio.plan;
    let apprentice = plan.apprentice.id;
    let shown: Vec<&str> = ksbs.iter().map(|i| codes[*i]).collect();
    let lag = Duration::days(rng.range(0, 3));
    let mut created_at = working_time(rng, occurred_on + lag);
    if created_at >= anchor {
        created_at = anchor - Duration::minutes(rng.range(30, 600));
    }
    let mut item = Item {
        id,
        title: text::title(rng),
        descriptions: vec![text::description(rng, &shown)],
        kind: EvidenceKind::ALL[rng.weighted(&KIND_WEIGHTS)],
        occurred_on,
        ksbs,
        status: EvidenceStatus::Draft,
        version: 1,
        submitted_at: None,
        withdrawn: None,
        created_at,
        updated_at: created_at,
        revisions: Vec::new(),
        accepted_at: None,
    };
    let mut t = created_at;
    step(&mut item, EvidenceStatus::Draft, apprentice, t, None);
    if rng.chance(0.12) {
        let edited = later(rng, t, 0, 3);
        if edited < anchor {
            t = edited;
            step(
                &mut item,
                EvidenceStatus::Draft,
                apprentice,
                t,
                Some(text::EDIT_NOTE),
            );
        }
    }
    // A few drafts are never sent.
    let abandoned = rng.chance(0.03);
    for round in 0..3 {
        if abandoned {
            break;
        }
        let submitted = later(rng, t, 0, 10);
        if submitted >= anchor {
            break;
        }
        t = submitted;
        item.submitted_at = Some(t);
        step(&mut item, EvidenceStatus::Submitted, apprentice, t, None);
        let reviewed = later(rng, t, 1, 21);
        if reviewed >= anchor {
            break;
        }
        t = reviewed;
        let reviewer = if rng.chance(0.1) {
            plan.colleague_id
        } else {
            plan.tutor_id
        };
        let changes = round < 2 && rng.chance(if round == 0 { 0.22 } else { 0.08 });
        let (decision, feedback, status) = if changes {
            let feedback = text::changes_feedback(rng);
            (
                "changes_requested",
                feedback,
                EvidenceStatus::ChangesRequested,
            )
        } else {
            ("accepted", text::praise(rng), EvidenceStatus::Accepted)
        };
        portfolio.reviews.push(Review {
            id: ids.next(Kind::Review),
            evidence_id: id,
            reviewer,
            decision,
            feedback,
            at: t,
        });
        step(&mut item, status, reviewer, t, None);
        if !changes {
            item.accepted_at = Some(t);
            break;
        }
        let edited = later(rng, t, 1, 14);
        if edited >= anchor {
            break;
        }
        t = edited;
        step(
            &mut item,
            EvidenceStatus::ChangesRequested,
            apprentice,
            t,
            Some(text::FEEDBACK_NOTE),
        );
    }
    if item.status != EvidenceStatus::Draft && rng.chance(0.02) {
        let withdrawn = later(rng, t, 1, 30);
        if withdrawn < anchor {
            t = withdrawn;
            item.withdrawn = Some((t, text::withdrawal_reason(rng)));
            item.accepted_at = None;
            step(&mut item, EvidenceStatus::Withdrawn, apprentice, t, None);
        }
    }
    if let Some(from) = item.submitted_at
        && rng.chance(0.25)
    {
        let people = [plan.tutor_id, apprentice, plan.mentor_id];
        let first = rng.below(3) as usize;
        let mut at = from;
        for n in 0..rng.range(1, 3) as usize {
            at = later(rng, at, 0, 5);
            if at >= anchor {
                break;
            }
            portfolio.comments.push(Comment {
                id: ids.next(Kind::Comment),
                evidence_id: id,
                author: people[(first + n) % 3],
                body: text::comment(rng),
                at,
            });
        }
    }
    item
}

/// The mentor signs off KSBs with accepted evidence, more of them the further the apprentice
/// has come; a few sign-offs are revoked and some of those signed again. Then the kept statuses.
fn sign_off(
    rng: &mut Rng,
    ids: &mut Ids,
    portfolio: &mut Portfolio,
    anchor: DateTime<Utc>,
    ksb_total: usize,
) {
    let mut counts = vec![EvidenceCounts::default(); ksb_total];
    let mut first_accepted: Vec<Option<DateTime<Utc>>> = vec![None; ksb_total];
    for item in &portfolio.items {
        for ksb in &item.ksbs {
            counts[*ksb].add(item.status, 1);
            if let Some(at) = item.accepted_at {
                let slot = &mut first_accepted[*ksb];
                *slot = Some(slot.map_or(at, |s| s.min(at)));
            }
        }
    }
    let mentor = portfolio.plan.mentor_id;
    let p = (portfolio.plan.elapsed * 0.95 - 0.1).clamp(0.0, 0.9);
    let mut active: Vec<Option<(DateTime<Utc>, Uuid)>> = vec![None; ksb_total];
    let mut last_revoked: Vec<Option<DateTime<Utc>>> = vec![None; ksb_total];
    for (ksb, accepted) in first_accepted.iter().enumerate() {
        let Some(accepted) = accepted else { continue };
        if !rng.chance(p) {
            continue;
        }
        let at = later(rng, *accepted, 2, 60);
        if at >= anchor {
            continue;
        }
        let mut signoff = Signoff {
            id: ids.next(Kind::Signoff),
            ksb,
            by: mentor,
            at,
            revoked: None,
        };
        active[ksb] = Some((at, mentor));
        if rng.chance(0.03) {
            let revoked = later(rng, at, 1, 20);
            if revoked < anchor {
                signoff.revoked = Some((revoked, text::revocation_reason(rng)));
                active[ksb] = None;
                last_revoked[ksb] = Some(revoked);
                let again = later(rng, revoked, 3, 30);
                if rng.chance(0.5) && again < anchor {
                    portfolio.signoffs.push(signoff);
                    signoff = Signoff {
                        id: ids.next(Kind::Signoff),
                        ksb,
                        by: mentor,
                        at: again,
                        revoked: None,
                    };
                    active[ksb] = Some((again, mentor));
                }
            }
        }
        portfolio.signoffs.push(signoff);
    }
    portfolio.statuses = (0..ksb_total)
        .map(|ksb| {
            let status = ksb_status(&counts[ksb], active[ksb].is_some());
            KsbRow {
                ksb,
                status,
                counts: counts[ksb],
                signed: active[ksb],
                evidenced_at: evidenced_at::recomputed(
                    status,
                    first_accepted[ksb],
                    last_revoked[ksb],
                ),
            }
        })
        .collect();
}

fn last_activity(portfolio: &Portfolio) -> DateTime<Utc> {
    let evidence = portfolio.items.iter().map(|i| i.updated_at);
    let signoffs = portfolio
        .signoffs
        .iter()
        .map(|s| s.revoked.map_or(s.at, |r| r.0));
    evidence
        .chain(signoffs)
        .max()
        .unwrap_or(portfolio.plan.created_at)
}
