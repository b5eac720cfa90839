//! Whether an apprenticeship is on plan: the share of its KSBs evidenced (accepted evidence, or
//! signed off) against the share of its planned time (start date to expected end date) that has
//! passed, in percentage points, shown red / amber / green. The thresholds are here and nowhere
//! else: each caseload row carries its `plan_status` and `points_behind`, which the page shows
//! as they are; it only writes the numbers out beside its table (`PLAN_THRESHOLDS`).
//!
//! The comparison is made in whole numbers (days and KSB counts, cross-multiplied), never in
//! floating point, so a share exactly on a threshold always lands on the same side: the
//! caseload's `behind_plan` filter runs the same arithmetic in SQL (`plan_behind_by_more_than`,
//! migration `000870_plan_status`), and a test checks the two agree on every case of a grid.

use chrono::NaiveDate;

/// More than this many points behind: amber.
pub const AMBER_POINTS: i32 = 10;
/// More than this many points behind: red.
pub const RED_POINTS: i32 = 20;

/// Where an apprenticeship stands against its plan (sent as `green`, `amber` or `red`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// At most [`AMBER_POINTS`] behind, or ahead.
    Green,
    /// More than [`AMBER_POINTS`] and at most [`RED_POINTS`] behind.
    Amber,
    /// More than [`RED_POINTS`] behind.
    Red,
}

impl PlanStatus {
    /// "Behind plan": red or amber.
    pub fn is_behind(self) -> bool {
        self != Self::Green
    }
}

/// The facts the plan status is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanFacts {
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    /// All of the standard's KSBs.
    pub ksbs: i32,
    /// KSBs evidenced or signed off.
    pub evidenced: i32,
}

/// The elapsed share as a fraction of whole days: (days passed, days planned). Days passed are
/// held between none and all; a plan of no days counts as one day.
fn elapsed_days(facts: &PlanFacts, today: NaiveDate) -> (i64, i64) {
    let planned = (facts.expected_end_date - facts.start_date)
        .num_days()
        .max(1);
    let passed = (today - facts.start_date).num_days().clamp(0, planned);
    (passed, planned)
}

/// Whether the evidenced share is more than `points` percentage points below the elapsed share
/// on `today`: 100·(passed/planned − evidenced/ksbs) > points, multiplied out.
pub fn behind_by_more_than(facts: &PlanFacts, today: NaiveDate, points: i32) -> bool {
    let (passed, planned) = elapsed_days(facts, today);
    let ksbs = i64::from(facts.ksbs.max(1));
    let evidenced = i64::from(facts.evidenced.clamp(0, facts.ksbs.max(0)));
    100 * (passed * ksbs - evidenced * planned) > i64::from(points) * planned * ksbs
}

/// Red, amber or green on `today`.
pub fn plan_status(facts: &PlanFacts, today: NaiveDate) -> PlanStatus {
    if behind_by_more_than(facts, today, RED_POINTS) {
        PlanStatus::Red
    } else if behind_by_more_than(facts, today, AMBER_POINTS) {
        PlanStatus::Amber
    } else {
        PlanStatus::Green
    }
}

/// Percentage points behind plan on `today` (negative: ahead), for showing; the status is
/// decided by [`plan_status`], exactly. One division of whole numbers, so a whole number of
/// points comes out whole.
pub fn points_behind(facts: &PlanFacts, today: NaiveDate) -> f64 {
    let (passed, planned) = elapsed_days(facts, today);
    let ksbs = i64::from(facts.ksbs.max(1));
    let evidenced = i64::from(facts.evidenced.clamp(0, facts.ksbs.max(0)));
    // Far below 2^52 (days × KSBs × 100), so both convert exactly.
    let numerator = 100 * (passed * ksbs - evidenced * planned);
    numerator as f64 / (planned * ksbs) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// A 100-day plan from 2026-01-01 with 100 KSBs: a day is a point, a KSB is a point.
    fn hundred(evidenced: i32) -> PlanFacts {
        PlanFacts {
            start_date: day("2026-01-01"),
            expected_end_date: day("2026-04-11"),
            ksbs: 100,
            evidenced,
        }
    }

    fn on(days: i64) -> NaiveDate {
        day("2026-01-01") + chrono::Duration::days(days)
    }

    #[test]
    fn exactly_on_a_threshold_is_the_kinder_colour() {
        // 50 days of 100 passed.
        assert_eq!(plan_status(&hundred(40), on(50)), PlanStatus::Green); // 10 behind
        assert_eq!(plan_status(&hundred(39), on(50)), PlanStatus::Amber); // 11 behind
        assert_eq!(plan_status(&hundred(30), on(50)), PlanStatus::Amber); // 20 behind
        assert_eq!(plan_status(&hundred(29), on(50)), PlanStatus::Red); // 21 behind
        assert_eq!(points_behind(&hundred(40), on(50)), 10.0);
    }

    #[test]
    fn thresholds_hold_exactly_where_floating_point_would_round() {
        // 3 of 7 KSBs (42.857…%) against 7 of 13 days (53.846…%): 10.989 points behind.
        let facts = PlanFacts {
            start_date: day("2026-01-01"),
            expected_end_date: day("2026-01-14"),
            ksbs: 7,
            evidenced: 3,
        };
        assert_eq!(plan_status(&facts, day("2026-01-08")), PlanStatus::Amber);
        // 0.4 of the KSBs against 0.5 of the time is 10 points exactly (0.5 − 0.4 is not 0.1
        // in binary floating point): green.
        let facts = PlanFacts {
            start_date: day("2026-01-01"),
            expected_end_date: day("2026-01-21"),
            ksbs: 5,
            evidenced: 2,
        };
        assert_eq!(plan_status(&facts, day("2026-01-11")), PlanStatus::Green);
        assert!(!behind_by_more_than(&facts, day("2026-01-11"), 10));
        assert!(behind_by_more_than(&facts, day("2026-01-11"), 9));
    }

    #[test]
    fn before_the_start_nothing_is_expected_and_after_the_end_everything_is() {
        assert_eq!(plan_status(&hundred(0), on(-30)), PlanStatus::Green);
        assert_eq!(points_behind(&hundred(0), on(-30)), 0.0);
        assert_eq!(plan_status(&hundred(0), on(0)), PlanStatus::Green);
        assert_eq!(plan_status(&hundred(85), on(400)), PlanStatus::Amber);
        assert_eq!(points_behind(&hundred(85), on(400)), 15.0);
        assert_eq!(plan_status(&hundred(100), on(400)), PlanStatus::Green);
    }

    #[test]
    fn ahead_of_plan_is_green_and_negative_points() {
        assert_eq!(plan_status(&hundred(90), on(10)), PlanStatus::Green);
        assert_eq!(points_behind(&hundred(90), on(10)), -80.0);
    }

    #[test]
    fn a_standard_without_ksbs_or_a_plan_of_one_day_does_not_divide_by_zero() {
        let none = PlanFacts {
            ksbs: 0,
            evidenced: 0,
            ..hundred(0)
        };
        assert_eq!(plan_status(&none, on(50)), PlanStatus::Red); // 50 behind: nothing to show
        let one_day = PlanFacts {
            start_date: day("2026-01-01"),
            expected_end_date: day("2026-01-02"),
            ksbs: 10,
            evidenced: 9,
        };
        assert_eq!(plan_status(&one_day, day("2026-01-01")), PlanStatus::Green);
        assert_eq!(plan_status(&one_day, day("2026-01-02")), PlanStatus::Green); // 10 behind
        let same_day = PlanFacts {
            expected_end_date: day("2026-01-01"),
            ..one_day
        };
        assert_eq!(plan_status(&same_day, day("2026-01-05")), PlanStatus::Green);
    }

    #[test]
    fn behind_plan_is_red_or_amber() {
        assert!(PlanStatus::Red.is_behind());
        assert!(PlanStatus::Amber.is_behind());
        assert!(!PlanStatus::Green.is_behind());
    }

    proptest! {
        #[test]
        fn the_status_follows_the_points_shown(
            planned in 1i64..2000, passed in -100i64..2200, ksbs in 1i32..200, share in 0.0f64..=1.0,
        ) {
            let start = day("2025-01-01");
            let evidenced = (f64::from(ksbs) * share).floor() as i32;
            let facts = PlanFacts {
                start_date: start,
                expected_end_date: start + chrono::Duration::days(planned),
                ksbs,
                evidenced,
            };
            let today = start + chrono::Duration::days(passed);
            let points = points_behind(&facts, today);
            let status = plan_status(&facts, today);
            // Away from the thresholds (where the shown figure may round), the two agree.
            if (points - f64::from(RED_POINTS)).abs() > 1e-9 && (points - f64::from(AMBER_POINTS)).abs() > 1e-9 {
                let expected = if points > f64::from(RED_POINTS) {
                    PlanStatus::Red
                } else if points > f64::from(AMBER_POINTS) {
                    PlanStatus::Amber
                } else {
                    PlanStatus::Green
                };
                prop_assert_eq!(status, expected);
            }
        }
    }
}
