//! Breaks in learning: an apprentice pauses their apprenticeship (illness, parental leave …) and
//! later returns. A break covers every day from `starts_on` to `ends_on`, both included; an open
//! break has no `ends_on` yet. Breaks of one apprenticeship never overlap and at most one is
//! open. While a break is open no review falls due (`domain::review`) and the expected OTJ time
//! stops growing (`domain::otj`); when it ends, the review deadline and the expected end date move
//! later by its length.

use chrono::{Duration, NaiveDate};

/// One break, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakPeriod {
    pub starts_on: NaiveDate,
    /// The last day of the break; `None` while it is open.
    pub ends_on: Option<NaiveDate>,
}

impl BreakPeriod {
    pub fn is_open(&self) -> bool {
        self.ends_on.is_none()
    }

    /// Days of a closed break (both ends included); `None` while open.
    pub fn length_days(&self) -> Option<i64> {
        self.ends_on
            .map(|end| (end - self.starts_on).num_days() + 1)
    }

    /// How many days of this break fall within `from..=to`; an open break is counted as running
    /// up to `to`.
    pub fn days_within(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let first = self.starts_on.max(from);
        let last = self.ends_on.map_or(to, |end| end.min(to));
        if last < first {
            0
        } else {
            (last - first).num_days() + 1
        }
    }

    /// Whether the two breaks share a day (an open break runs for ever).
    fn overlaps(&self, other: &BreakPeriod) -> bool {
        let ends = |b: &BreakPeriod| b.ends_on.unwrap_or(NaiveDate::MAX);
        self.starts_on <= ends(other) && other.starts_on <= ends(self)
    }
}

/// Why a break cannot start or end as asked (422, on the date the request gave: `starts_on`
/// when starting, `ends_on` when ending; "in the future" is about either).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BreakError {
    #[error("a break is already open since {0}; end it before starting another")]
    AlreadyOpen(NaiveDate),
    #[error("overlaps the break from {0}; breaks in learning cannot overlap")]
    Overlaps(NaiveDate),
    #[error("must not be before the break started ({0})")]
    EndBeforeStart(NaiveDate),
    #[error("must not be before the apprenticeship started ({0})")]
    BeforeApprenticeshipStart(NaiveDate),
    #[error("must not be in the future")]
    InFuture,
    #[error("this break has already ended")]
    AlreadyEnded,
}

/// Whether a break may start on `starts_on`, given the apprenticeship's other breaks.
pub fn check_start(
    existing: &[BreakPeriod],
    starts_on: NaiveDate,
    apprenticeship_start: NaiveDate,
    today: NaiveDate,
) -> Result<(), BreakError> {
    if let Some(open) = existing.iter().find(|b| b.is_open()) {
        return Err(BreakError::AlreadyOpen(open.starts_on));
    }
    if starts_on < apprenticeship_start {
        return Err(BreakError::BeforeApprenticeshipStart(apprenticeship_start));
    }
    if starts_on > today {
        return Err(BreakError::InFuture);
    }
    let new = BreakPeriod {
        starts_on,
        ends_on: None,
    };
    match existing.iter().find(|b| b.overlaps(&new)) {
        Some(other) => Err(BreakError::Overlaps(other.starts_on)),
        None => Ok(()),
    }
}

/// Whether `this` break may end on `ends_on` (its last day), given the other breaks.
pub fn check_end(
    others: &[BreakPeriod],
    this: &BreakPeriod,
    ends_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), BreakError> {
    if !this.is_open() {
        return Err(BreakError::AlreadyEnded);
    }
    if ends_on < this.starts_on {
        return Err(BreakError::EndBeforeStart(this.starts_on));
    }
    if ends_on > today {
        return Err(BreakError::InFuture);
    }
    let closed = BreakPeriod {
        starts_on: this.starts_on,
        ends_on: Some(ends_on),
    };
    match others.iter().find(|b| b.overlaps(&closed)) {
        Some(other) => Err(BreakError::Overlaps(other.starts_on)),
        None => Ok(()),
    }
}

/// `date` moved later by `days` (saturating at the calendar's end).
pub fn later_by(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(Duration::days(days))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn closed(s: NaiveDate, e: NaiveDate) -> BreakPeriod {
        BreakPeriod {
            starts_on: s,
            ends_on: Some(e),
        }
    }

    const START: (i32, u32, u32) = (2025, 9, 1);

    fn start() -> NaiveDate {
        d(START.0, START.1, START.2)
    }

    #[test]
    fn a_break_counts_both_its_first_and_last_day() {
        assert_eq!(closed(d(2026, 1, 1), d(2026, 1, 1)).length_days(), Some(1));
        assert_eq!(
            closed(d(2026, 1, 1), d(2026, 1, 31)).length_days(),
            Some(31)
        );
        let open = BreakPeriod {
            starts_on: d(2026, 1, 10),
            ends_on: None,
        };
        assert_eq!(open.length_days(), None);
        assert_eq!(open.days_within(d(2026, 1, 1), d(2026, 1, 12)), 3);
        assert_eq!(open.days_within(d(2026, 1, 1), d(2026, 1, 9)), 0);
    }

    #[test]
    fn a_second_open_break_is_refused() {
        let open = BreakPeriod {
            starts_on: d(2026, 1, 10),
            ends_on: None,
        };
        assert_eq!(
            check_start(&[open], d(2026, 3, 1), start(), d(2026, 4, 1)),
            Err(BreakError::AlreadyOpen(d(2026, 1, 10)))
        );
    }

    #[test]
    fn a_break_overlapping_an_earlier_one_is_refused() {
        let earlier = closed(d(2026, 1, 10), d(2026, 2, 10));
        let today = d(2026, 4, 1);
        assert_eq!(
            check_start(&[earlier], d(2026, 2, 10), start(), today),
            Err(BreakError::Overlaps(d(2026, 1, 10)))
        );
        assert_eq!(
            check_start(&[earlier], d(2026, 1, 1), start(), today),
            Err(BreakError::Overlaps(d(2026, 1, 10))),
            "an open break from before an earlier break runs over it"
        );
        assert_eq!(
            check_start(&[earlier], d(2026, 2, 11), start(), today),
            Ok(())
        );
    }

    #[test]
    fn a_break_starts_within_the_apprenticeship_and_not_in_the_future() {
        let today = d(2026, 4, 1);
        assert_eq!(
            check_start(&[], d(2025, 8, 31), start(), today),
            Err(BreakError::BeforeApprenticeshipStart(start()))
        );
        assert_eq!(
            check_start(&[], d(2026, 4, 2), start(), today),
            Err(BreakError::InFuture)
        );
        assert_eq!(check_start(&[], today, start(), today), Ok(()));
    }

    #[test]
    fn a_break_cannot_end_before_it_started_or_end_twice() {
        let open = BreakPeriod {
            starts_on: d(2026, 1, 10),
            ends_on: None,
        };
        let today = d(2026, 4, 1);
        assert_eq!(
            check_end(&[], &open, d(2026, 1, 9), today),
            Err(BreakError::EndBeforeStart(d(2026, 1, 10)))
        );
        assert_eq!(check_end(&[], &open, d(2026, 1, 10), today), Ok(()));
        assert_eq!(
            check_end(&[], &open, d(2026, 4, 2), today),
            Err(BreakError::InFuture)
        );
        let ended = closed(d(2026, 1, 10), d(2026, 1, 20));
        assert_eq!(
            check_end(&[], &ended, d(2026, 1, 30), today),
            Err(BreakError::AlreadyEnded)
        );
    }
}
