//! Off-the-job (OTJ) training: the floor a plan must reach, the entries an apprentice logs and
//! their review, how each change moves the kept figures, and the summary a provider is funded
//! and inspected on.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::breaks::BreakPeriod;
use super::labels::labelled_enum;

/// Funding rule (Apprenticeship funding rules 2025 to 2026, DfE, "off-the-job training"):
/// every apprenticeship needs at least 187 hours of off-the-job training to be funded, and
/// each standard may publish its own minimum; recognised prior learning (RPL) reduces the
/// standard's minimum, but never below these 187 hours.
pub const FUNDED_MINIMUM_HOURS: i32 = 187;

/// The most one apprenticeship may log for one day (12 hours), across all its entries.
pub const DAILY_CAP_MINUTES: i64 = 720;

/// An upper bound for plans and RPL, far beyond any real programme: it keeps arithmetic in
/// range and catches a typo (minutes entered as hours).
pub const MAX_PLAN_HOURS: i32 = 20_000;

labelled_enum! {
    /// What kind of off-the-job training an entry records.
    pub enum OtjActivity {
        TaughtSession => "taught_session",
        OnlineLearning => "online_learning",
        PracticalTraining => "practical_training",
        Shadowing => "shadowing",
        Mentoring => "mentoring",
        Assignment => "assignment",
        IndustryVisit => "industry_visit",
        Other => "other",
    }
}

labelled_enum! {
    /// Where an entry stands: waiting for the provider, counted, or sent back.
    pub enum OtjStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
    }
}

labelled_enum! {
    /// The provider's decision on a pending entry.
    pub enum OtjDecision {
        Approved => "approved",
        Rejected => "rejected",
    }
}

labelled_enum! {
    /// How the approved time stands against the plan.
    pub enum OtjPlanStatus {
        /// No plan has been set for this apprenticeship yet.
        NoPlan => "no_plan",
        OnTrack => "on_track",
        /// Approved time is below 90% of what the plan expects by now.
        Behind => "behind",
        /// Approved time has reached the plan.
        Complete => "complete",
    }
}

/// The least number of planned hours the funding rules allow, given the standard's published
/// minimum (if any) and the hours of recognised prior learning.
pub fn floor_hours(minimum_otj_hours: Option<i32>, rpl_reduction_hours: i32) -> i32 {
    match minimum_otj_hours {
        Some(minimum) => FUNDED_MINIMUM_HOURS.max(minimum.saturating_sub(rpl_reduction_hours)),
        None => FUNDED_MINIMUM_HOURS,
    }
}

/// A plan below the floor: the detail says the floor and why (422 on `planned_otj_hours`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BelowFloor(pub String);

/// Checks a plan against the floor (the funding rule at [`FUNDED_MINIMUM_HOURS`]).
pub fn check_plan(
    planned_otj_hours: i32,
    rpl_reduction_hours: i32,
    minimum_otj_hours: Option<i32>,
) -> Result<(), BelowFloor> {
    let floor = floor_hours(minimum_otj_hours, rpl_reduction_hours);
    if planned_otj_hours >= floor {
        return Ok(());
    }
    let why = match minimum_otj_hours {
        Some(minimum) if minimum.saturating_sub(rpl_reduction_hours) > FUNDED_MINIMUM_HOURS => {
            format!(
                "the standard's published minimum of {minimum} hours less \
                 {rpl_reduction_hours} hours of recognised prior learning"
            )
        }
        Some(minimum) => format!(
            "the funding rules never allow fewer than {FUNDED_MINIMUM_HOURS} hours, even though \
             the standard's minimum of {minimum} hours less {rpl_reduction_hours} hours of \
             recognised prior learning would be {}",
            minimum.saturating_sub(rpl_reduction_hours)
        ),
        None => format!(
            "the standard publishes no minimum, and the funding rules require at least \
             {FUNDED_MINIMUM_HOURS} hours of off-the-job training"
        ),
    };
    Err(BelowFloor(format!(
        "must be at least {floor} hours ({why}); {planned_otj_hours} hours were planned"
    )))
}

/// A day's entries would pass the cap.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "would bring this day's off-the-job time to {total} minutes; at most {DAILY_CAP_MINUTES} \
     minutes (12 hours) can be logged for one day, and {already} are logged already"
)]
pub struct OverDailyCap {
    pub already: i64,
    pub total: i64,
}

/// Whether `adding` minutes fit on a day that already holds `already` minutes of pending and
/// approved entries (rejected ones do not count).
pub fn check_daily_cap(already: i64, adding: i64) -> Result<(), OverDailyCap> {
    let total = already + adding;
    if total <= DAILY_CAP_MINUTES {
        Ok(())
    } else {
        Err(OverDailyCap { already, total })
    }
}

/// What someone wants to do with an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtjAction {
    Edit,
    Delete,
    Review(OtjDecision),
}

/// Why an action is not allowed in the entry's status (a 409 detail).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotAllowed(pub &'static str);

/// The status after `action`. Editing a rejected entry sends it back for review; an approved
/// entry is frozen. Deleting yields the status it had (the caller removes the row).
pub fn transition(status: OtjStatus, action: OtjAction) -> Result<OtjStatus, NotAllowed> {
    use OtjStatus::*;
    match (status, action) {
        (Pending | Rejected, OtjAction::Edit) => Ok(Pending),
        (Pending | Rejected, OtjAction::Delete) => Ok(status),
        (Approved, OtjAction::Edit | OtjAction::Delete) => Err(NotAllowed(
            "This off-the-job entry is approved and counts towards the plan: it is frozen.",
        )),
        (Pending, OtjAction::Review(OtjDecision::Approved)) => Ok(Approved),
        (Pending, OtjAction::Review(OtjDecision::Rejected)) => Ok(Rejected),
        (_, OtjAction::Review(_)) => Err(NotAllowed(
            "Only a pending off-the-job entry can be reviewed.",
        )),
    }
}

/// How a change moves an apprenticeship's kept minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OtjDelta {
    pub approved: i64,
    pub pending: i64,
}

impl OtjDelta {
    pub fn is_zero(&self) -> bool {
        self.approved == 0 && self.pending == 0
    }
}

fn counted(entry: Option<(OtjStatus, i32)>) -> OtjDelta {
    match entry {
        Some((OtjStatus::Approved, minutes)) => OtjDelta {
            approved: i64::from(minutes),
            pending: 0,
        },
        Some((OtjStatus::Pending, minutes)) => OtjDelta {
            approved: 0,
            pending: i64::from(minutes),
        },
        Some((OtjStatus::Rejected, _)) | None => OtjDelta::default(),
    }
}

/// The delta of a change from `before` to `after` (status and minutes; `None`: no entry).
pub fn delta(before: Option<(OtjStatus, i32)>, after: Option<(OtjStatus, i32)>) -> OtjDelta {
    let (was, now) = (counted(before), counted(after));
    OtjDelta {
        approved: now.approved - was.approved,
        pending: now.pending - was.pending,
    }
}

/// The kept figures recomputed from entries (status, minutes): what [`delta`] must add up to.
pub fn recompute(entries: &[(OtjStatus, i32)]) -> OtjDelta {
    entries.iter().fold(OtjDelta::default(), |sum, entry| {
        let one = counted(Some(*entry));
        OtjDelta {
            approved: sum.approved + one.approved,
            pending: sum.pending + one.pending,
        }
    })
}

/// What the OTJ summary is computed from.
#[derive(Debug, Clone)]
pub struct OtjFacts<'a> {
    pub planned_otj_hours: Option<i32>,
    pub rpl_reduction_hours: i32,
    pub minimum_otj_hours: Option<i32>,
    pub approved_minutes: i64,
    pub pending_minutes: i64,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    pub breaks: &'a [BreakPeriod],
    pub today: NaiveDate,
}

/// An apprenticeship's OTJ time against its plan, in minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OtjSummary {
    /// `null` until a plan is set.
    pub planned_minutes: Option<i64>,
    pub rpl_reduction_minutes: i64,
    /// The least the plan may be (the funding rules' floor), in minutes.
    pub floor_minutes: i64,
    pub approved_minutes: i64,
    pub pending_minutes: i64,
    /// The plan × the share of learning days from the start to the expected end that has
    /// passed, in whole minutes; days of breaks in learning do not count.
    pub expected_by_now_minutes: i64,
    pub status: OtjPlanStatus,
}

/// Learning days (days not in a break) from `start` up to, not including, `until`.
fn learning_days(start: NaiveDate, until: NaiveDate, breaks: &[BreakPeriod]) -> i64 {
    if until <= start {
        return 0;
    }
    let Some(last) = until.pred_opt() else {
        return 0;
    };
    let paused: i64 = breaks.iter().map(|b| b.days_within(start, last)).sum();
    ((until - start).num_days() - paused).max(0)
}

/// The minutes the plan expects by `today`: planned × elapsed learning days / planned learning
/// days. A closed break moved the expected end date later by its length, so its days are taken
/// out of both; an open break stops the elapsed days from growing.
pub fn expected_by_now(planned_minutes: i64, facts: &OtjFacts<'_>) -> i64 {
    let closed: Vec<BreakPeriod> = facts
        .breaks
        .iter()
        .copied()
        .filter(|b| !b.is_open())
        .collect();
    let span = learning_days(facts.start_date, facts.expected_end_date, &closed).max(1);
    let elapsed = learning_days(facts.start_date, facts.today, facts.breaks).min(span);
    let expected = i128::from(planned_minutes) * i128::from(elapsed) / i128::from(span);
    i64::try_from(expected).unwrap_or(planned_minutes)
}

/// The summary: `behind` when approved is below 90% of expected by now.
pub fn summary(facts: &OtjFacts<'_>) -> OtjSummary {
    let floor_minutes = i64::from(floor_hours(
        facts.minimum_otj_hours,
        facts.rpl_reduction_hours,
    )) * 60;
    let planned_minutes = facts.planned_otj_hours.map(|h| i64::from(h) * 60);
    let expected = planned_minutes.map_or(0, |planned| expected_by_now(planned, facts));
    let status = match planned_minutes {
        None => OtjPlanStatus::NoPlan,
        Some(planned) if facts.approved_minutes >= planned => OtjPlanStatus::Complete,
        Some(_) if facts.approved_minutes * 10 < expected * 9 => OtjPlanStatus::Behind,
        Some(_) => OtjPlanStatus::OnTrack,
    };
    OtjSummary {
        planned_minutes,
        rpl_reduction_minutes: i64::from(facts.rpl_reduction_hours) * 60,
        floor_minutes,
        approved_minutes: facts.approved_minutes,
        pending_minutes: facts.pending_minutes,
        expected_by_now_minutes: expected,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::labels::assert_labels_are_serde_names;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn facts(breaks: &[BreakPeriod], today: NaiveDate, approved: i64) -> OtjFacts<'_> {
        OtjFacts {
            planned_otj_hours: Some(400),
            rpl_reduction_hours: 0,
            minimum_otj_hours: None,
            approved_minutes: approved,
            pending_minutes: 0,
            start_date: d(2026, 1, 1),
            // 100 days of learning.
            expected_end_date: d(2026, 4, 11),
            breaks,
            today,
        }
    }

    #[test]
    fn labels_are_the_serde_names() {
        assert_labels_are_serde_names(OtjActivity::ALL, |v| v.as_str());
        assert_labels_are_serde_names(OtjStatus::ALL, |v| v.as_str());
        assert_labels_are_serde_names(OtjDecision::ALL, |v| v.as_str());
        assert_labels_are_serde_names(OtjPlanStatus::ALL, |v| v.as_str());
        assert!(OtjStatus::from_stored("approved ").is_err());
    }

    #[test]
    fn the_floor_is_187_hours_without_a_published_minimum() {
        assert_eq!(floor_hours(None, 0), 187);
        assert_eq!(
            floor_hours(None, 50),
            187,
            "RPL cannot go below the funded minimum"
        );
        assert_eq!(check_plan(187, 0, None), Ok(()));
        let refused = check_plan(186, 0, None).expect_err("below");
        assert!(refused.0.contains("at least 187 hours"), "{}", refused.0);
        assert!(refused.0.contains("publishes no minimum"), "{}", refused.0);
    }

    #[test]
    fn the_floor_is_the_published_minimum_less_rpl_but_never_below_187() {
        assert_eq!(floor_hours(Some(400), 0), 400);
        assert_eq!(floor_hours(Some(400), 100), 300);
        assert_eq!(floor_hours(Some(250), 100), 187);
        assert_eq!(floor_hours(Some(100), 0), 187);
        assert_eq!(check_plan(300, 100, Some(400)), Ok(()));
        let refused = check_plan(299, 100, Some(400)).expect_err("below");
        assert!(refused.0.contains("at least 300 hours"), "{}", refused.0);
        assert!(
            refused.0.contains("400 hours less 100 hours"),
            "{}",
            refused.0
        );
        let refused = check_plan(186, 100, Some(250)).expect_err("below");
        assert!(
            refused.0.contains("never allow fewer than 187"),
            "{}",
            refused.0
        );
    }

    #[test]
    fn a_day_holds_at_most_720_minutes() {
        assert_eq!(check_daily_cap(0, 720), Ok(()));
        assert_eq!(check_daily_cap(600, 120), Ok(()));
        assert_eq!(
            check_daily_cap(600, 121),
            Err(OverDailyCap {
                already: 600,
                total: 721
            })
        );
    }

    #[test]
    fn an_approved_entry_is_frozen_and_only_a_pending_one_is_reviewed() {
        use OtjStatus::*;
        assert_eq!(transition(Rejected, OtjAction::Edit), Ok(Pending));
        assert_eq!(transition(Pending, OtjAction::Delete), Ok(Pending));
        assert!(transition(Approved, OtjAction::Edit).is_err());
        assert!(transition(Approved, OtjAction::Delete).is_err());
        let approve = OtjAction::Review(OtjDecision::Approved);
        assert_eq!(transition(Pending, approve), Ok(Approved));
        assert!(transition(Approved, approve).is_err());
        assert!(transition(Rejected, approve).is_err());
    }

    #[test]
    fn expected_by_now_grows_with_learning_days_and_stops_during_a_break() {
        let planned = 400 * 60;
        assert_eq!(expected_by_now(planned, &facts(&[], d(2026, 1, 1), 0)), 0);
        assert_eq!(
            expected_by_now(planned, &facts(&[], d(2026, 2, 20), 0)),
            planned / 2
        );
        assert_eq!(
            expected_by_now(planned, &facts(&[], d(2027, 1, 1), 0)),
            planned
        );
        // Open break from day 50 (19 Feb): frozen at 49 learning days whatever the date.
        let open = [BreakPeriod {
            starts_on: d(2026, 2, 19),
            ends_on: None,
        }];
        let frozen = planned * 49 / 100;
        assert_eq!(
            expected_by_now(planned, &facts(&open, d(2026, 2, 19), 0)),
            frozen
        );
        assert_eq!(
            expected_by_now(planned, &facts(&open, d(2026, 6, 30), 0)),
            frozen
        );
        // Closed: 10 days, the end date moved later by them; the share is the same as without.
        let closed = [BreakPeriod {
            starts_on: d(2026, 2, 19),
            ends_on: Some(d(2026, 2, 28)),
        }];
        let moved = OtjFacts {
            expected_end_date: d(2026, 4, 21),
            ..facts(&closed, d(2026, 3, 11), 0)
        };
        assert_eq!(expected_by_now(planned, &moved), planned * 59 / 100);
    }

    #[test]
    fn the_status_is_behind_below_90_percent_of_expected() {
        let today = d(2026, 2, 20); // half way: 12,000 minutes expected
        assert_eq!(
            summary(&facts(&[], today, 10_800)).status,
            OtjPlanStatus::OnTrack
        );
        assert_eq!(
            summary(&facts(&[], today, 10_799)).status,
            OtjPlanStatus::Behind
        );
        assert_eq!(
            summary(&facts(&[], today, 24_000)).status,
            OtjPlanStatus::Complete
        );
        let no_plan = OtjFacts {
            planned_otj_hours: None,
            ..facts(&[], today, 0)
        };
        let s = summary(&no_plan);
        assert_eq!(
            (s.status, s.planned_minutes, s.floor_minutes),
            (OtjPlanStatus::NoPlan, None, 187 * 60)
        );
    }

    proptest! {
        /// Any history of creations, edits, reviews and deletions: the sum of the deltas equals
        /// a recomputation from the entries left.
        #[test]
        fn deltas_always_add_up_to_a_recomputation(
            steps in proptest::collection::vec((0usize..6, 1i32..=720, any::<bool>(), 0usize..4), 0..60)
        ) {
            let mut entries: Vec<(OtjStatus, i32)> = Vec::new();
            let mut kept = OtjDelta::default();
            for (slot, minutes, approve, verb) in steps {
                let index = (!entries.is_empty()).then(|| slot % entries.len());
                let was = index.map(|i| entries[i]);
                let action = match verb {
                    1 => OtjAction::Edit,
                    2 => OtjAction::Review(if approve { OtjDecision::Approved } else { OtjDecision::Rejected }),
                    _ => OtjAction::Delete,
                };
                let (index, after) = match (verb, was) {
                    (0, _) | (_, None) => (None, Some((OtjStatus::Pending, minutes))),
                    (_, Some((status, old))) => match transition(status, action) {
                        Err(_) => continue,
                        Ok(next) => match action {
                            OtjAction::Edit => (index, Some((next, minutes))),
                            OtjAction::Review(_) => (index, Some((next, old))),
                            OtjAction::Delete => (index, None),
                        },
                    },
                };
                let was = index.map(|i| entries[i]);
                let d = delta(was, after);
                kept.approved += d.approved;
                kept.pending += d.pending;
                match (index, after) {
                    (None, Some(new)) => entries.push(new),
                    (Some(i), Some(new)) => entries[i] = new,
                    (Some(i), None) => { entries.remove(i); }
                    (None, None) => {}
                }
                prop_assert_eq!(kept, recompute(&entries));
            }
        }

        /// Expected-by-now never shrinks as days pass, whatever the breaks, and never exceeds
        /// the plan.
        #[test]
        fn expected_by_now_never_shrinks(day in 0i64..400, pause in 0i64..120, length in 0i64..60, open in any::<bool>()) {
            let start = d(2026, 1, 1);
            let b = [BreakPeriod {
                starts_on: start + chrono::Duration::days(pause),
                ends_on: (!open).then(|| start + chrono::Duration::days(pause + length)),
            }];
            let at = |n: i64| expected_by_now(24_000, &OtjFacts { today: start + chrono::Duration::days(n), ..facts(&b, start, 0) });
            prop_assert!(at(day) <= at(day + 1));
            prop_assert!(at(day + 1) <= 24_000);
        }
    }
}
