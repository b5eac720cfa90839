//! One apprenticeship's off-the-job (OTJ) training: a plan set at enrolment and the entries the
//! apprentice logs, one or two a week of elapsed time, which the tutor (now and then a colleague)
//! approves — a few are rejected, some of those edited and sent back — and the latest still
//! wait. Entries follow the app's rules: 1 to 720 minutes each, at most 720 minutes a day across
//! the day's entries, never before the start or after the day of seeding (the demo has no breaks
//! in learning), and a version bumped by every change. The kept figures are the app's own
//! recomputation (`domain::otj::recompute`) of the final entries.
//!
//! A random stream of its own per apprenticeship, so adding OTJ time left every other row of
//! the data set as it was.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::ids::{self, Kind};
use super::rng::Rng;
use super::world::{Plan, World, working_time};
use crate::domain::otj::{
    self, DAILY_CAP_MINUTES, FUNDED_MINIMUM_HOURS, OtjActivity, OtjDelta, OtjStatus,
};

#[derive(Debug, Clone)]
pub struct OtjEntry {
    pub id: Uuid,
    pub occurred_on: NaiveDate,
    pub minutes: i32,
    pub activity: OtjActivity,
    pub description: &'static str,
    /// Indices into the catalogue's KSBs, in standard order.
    pub ksbs: Vec<usize>,
    pub status: OtjStatus,
    pub version: i32,
    /// Who reviewed it and when (the latest decision; `None` while pending).
    pub reviewed: Option<(Uuid, DateTime<Utc>)>,
    pub rejection_reason: Option<&'static str>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Every status it has had and since when, oldest first (for the reviews' snapshots).
    pub history: Vec<(DateTime<Utc>, OtjStatus)>,
}

impl OtjEntry {
    /// Its status at `t` (`None`: not logged yet).
    pub fn status_at(&self, t: DateTime<Utc>) -> Option<OtjStatus> {
        self.history
            .iter()
            .take_while(|(at, _)| *at <= t)
            .last()
            .map(|(_, s)| *s)
    }
}

#[derive(Debug, Clone)]
pub struct OtjLog {
    pub planned_otj_hours: i32,
    pub rpl_reduction_hours: i32,
    pub entries: Vec<OtjEntry>,
    /// The kept figures (`otj_approved_minutes`, `otj_pending_minutes`).
    pub kept: OtjDelta,
}

/// Activities in `OtjActivity::ALL` order, weighted by how often apprentices log them.
const ACTIVITY_WEIGHTS: [u32; 8] = [25, 22, 18, 10, 8, 12, 3, 2];

/// How many KSBs an entry names: none to two (naming them is optional).
const KSB_COUNT_WEIGHTS: [u32; 3] = [20, 50, 30];

/// What an entry says, by activity (in `OtjActivity::ALL` order).
const DESCRIPTIONS: [&[&str]; 8] = [
    &[
        "Provider teaching day on quality management in the pathology laboratory",
        "Taught session on anatomy and physiology of the cardiovascular system",
        "Workshop on health and safety legislation and risk assessment",
    ],
    &[
        "Online module on information governance and data protection",
        "E-learning on infection prevention and control, with the end-of-module quiz",
        "Online course on point-of-care testing and its quality control",
    ],
    &[
        "Supervised practice calibrating the analysers before the morning run",
        "Practical training on specimen reception and sample labelling",
        "Hands-on training with the new blood gas analyser",
    ],
    &[
        "Shadowed a senior healthcare scientist running external quality assessment",
        "Shadowed the clinic team through a morning of patient appointments",
    ],
    &[
        "Mentoring session on my portfolio and the next KSBs to work on",
        "Mentoring meeting going through a difficult case and what I learned",
    ],
    &[
        "Wrote up the reflective account for my assignment on audit",
        "Research and writing for the written assignment on the scientific method",
        "Prepared the presentation for the professional discussion practice",
    ],
    &[
        "Visit to the regional reference laboratory with the training cohort",
        "Industry day at the equipment manufacturer's training centre",
    ],
    &["Self-directed reading on the standard operating procedures I use"],
];

const REJECTIONS: &[&str] = &[
    "This was part of your normal duties, so it is not off-the-job training.",
    "Please say what you learned and which KSBs it supports.",
    "The time looks too long for this activity; please check the minutes.",
];

/// Minutes a day's entries may already hold and still take a shortest entry.
const SHORTEST: i64 = 15;

pub fn generate(world: &World, plan: &Plan, unlocked: impl Fn(i64) -> Vec<usize>) -> OtjLog {
    let mut rng = Rng::new(world.seed, World::stream(Kind::OtjEntry, plan.k));
    let anchor = world.anchor;
    let rpl_reduction_hours = if rng.chance(0.08) {
        rng.range(10, 60) as i32
    } else {
        0
    };
    let floor = otj::floor_hours(world.catalogue.minimum_otj_hours, rpl_reduction_hours);
    let planned_otj_hours = floor.max(rng.range(i64::from(FUNDED_MINIMUM_HOURS), 400) as i32);

    let elapsed_days = (anchor.date_naive() - plan.start_date).num_days().max(1);
    let per_week = 0.8 + 0.8 * rng.unit();
    let count = (elapsed_days as f64 / 7.0 * per_week) as usize;
    // Some apprentices keep up with the plan, some log less than it expects by now.
    let pace = 0.65 + 0.55 * rng.unit();
    let target = f64::from(planned_otj_hours) * 60.0 * plan.elapsed.min(1.0) * pace;
    let mean = target / count.max(1) as f64;
    let mut days: Vec<i64> = (0..count).map(|_| rng.range(0, elapsed_days - 1)).collect();
    days.sort_unstable();

    let mut by_day: HashMap<i64, i64> = HashMap::new();
    let mut entries = Vec::with_capacity(count);
    for day in days {
        let used = by_day.entry(day).or_default();
        let room = DAILY_CAP_MINUTES - *used;
        if room < SHORTEST {
            continue;
        }
        let wanted = (mean * (0.4 + 1.2 * rng.unit()) / 15.0).round() as i64 * 15;
        let minutes = wanted.clamp(SHORTEST, room);
        *used += minutes;
        let number = plan.k * 10_000 + entries.len() as u64;
        let occurred_on = plan.start_date + Duration::days(day);
        entries.push(entry(
            &mut rng,
            plan,
            anchor,
            ids::id(Kind::OtjEntry, world.seed, number),
            occurred_on,
            minutes as i32,
            unlocked(day),
        ));
    }
    let kept = otj::recompute(
        &entries
            .iter()
            .map(|e| (e.status, e.minutes))
            .collect::<Vec<_>>(),
    );
    OtjLog {
        planned_otj_hours,
        rpl_reduction_hours,
        entries,
        kept,
    }
}

fn entry(
    rng: &mut Rng,
    plan: &Plan,
    anchor: DateTime<Utc>,
    id: Uuid,
    occurred_on: NaiveDate,
    minutes: i32,
    unlocked: Vec<usize>,
) -> OtjEntry {
    let activity_index = rng.weighted(&ACTIVITY_WEIGHTS);
    let wanted = rng.weighted(&KSB_COUNT_WEIGHTS).min(unlocked.len());
    let mut pool = unlocked;
    for j in 0..wanted {
        let pick = j + rng.below((pool.len() - j) as u64) as usize;
        pool.swap(j, pick);
    }
    let mut ksbs = pool[..wanted].to_vec();
    ksbs.sort_unstable();
    let lag = Duration::days(rng.range(0, 4));
    let mut created_at = working_time(rng, occurred_on + lag);
    if created_at >= anchor {
        created_at = anchor - Duration::minutes(rng.range(30, 600));
    }
    let mut e = OtjEntry {
        id,
        occurred_on,
        minutes,
        activity: OtjActivity::ALL[activity_index],
        description: DESCRIPTIONS[activity_index]
            [rng.below(DESCRIPTIONS[activity_index].len() as u64) as usize],
        ksbs,
        status: OtjStatus::Pending,
        version: 1,
        reviewed: None,
        rejection_reason: None,
        created_at,
        updated_at: created_at,
        history: vec![(created_at, OtjStatus::Pending)],
    };
    let mut t = created_at;
    // At most two decisions: a rejection, then (if sent back) an approval.
    for round in 0..2 {
        let decided = t + Duration::days(rng.range(1, 14)) + Duration::minutes(rng.range(10, 480));
        if decided >= anchor {
            break;
        }
        t = decided;
        let reviewer = if rng.chance(0.1) {
            plan.colleague_id
        } else {
            plan.tutor_id
        };
        let reject = round == 0 && rng.chance(0.05);
        e.status = if reject {
            OtjStatus::Rejected
        } else {
            OtjStatus::Approved
        };
        e.rejection_reason = reject.then(|| *rng.pick(REJECTIONS));
        e.reviewed = Some((reviewer, t));
        e.version += 1;
        e.updated_at = t;
        e.history.push((t, e.status));
        if !reject {
            break;
        }
        // Some rejected entries are edited and sent back, which makes them pending again.
        let edited = t + Duration::days(rng.range(1, 7)) + Duration::minutes(rng.range(10, 480));
        if !rng.chance(0.5) || edited >= anchor {
            break;
        }
        t = edited;
        e.status = OtjStatus::Pending;
        e.rejection_reason = None;
        e.reviewed = None;
        e.version += 1;
        e.updated_at = t;
        e.history.push((t, OtjStatus::Pending));
    }
    e
}
