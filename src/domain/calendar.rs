//! The product's calendar: England's. Every date rule (a review due by the last day of a month,
//! evidence not in the future, OTJ hours expected by now, plan status, digests) reads "today"
//! as the day in London, whatever the server's or the database session's time zone. Between
//! midnight and 01:00 in British Summer Time the UTC date is still yesterday's, so a rule on the
//! UTC date would refuse evidence of an evening shift and shift a review deadline by a day.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;

/// The London calendar day of an instant.
pub fn london_day(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&London).date_naive()
}

/// Today in London.
pub fn today() -> NaiveDate {
    london_day(Utc::now())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn after_midnight_in_summer_time_london_is_a_day_ahead_of_utc() {
        let late = Utc
            .with_ymd_and_hms(2026, 7, 31, 23, 30, 0)
            .single()
            .expect("time");
        assert_eq!(london_day(late), day("2026-08-01"));
        assert_eq!(late.date_naive(), day("2026-07-31"));
    }

    #[test]
    fn in_winter_london_and_utc_share_the_day() {
        let late = Utc
            .with_ymd_and_hms(2026, 12, 31, 23, 30, 0)
            .single()
            .expect("time");
        assert_eq!(london_day(late), day("2026-12-31"));
    }

    #[test]
    fn the_clocks_change_at_01_00_utc() {
        // 29 March 2026: clocks go forward at 01:00 UTC; 25 October 2026: back at 01:00 UTC.
        let spring = Utc
            .with_ymd_and_hms(2026, 3, 28, 23, 59, 0)
            .single()
            .expect("time");
        assert_eq!(london_day(spring), day("2026-03-28"));
        let autumn = Utc
            .with_ymd_and_hms(2026, 10, 24, 23, 30, 0)
            .single()
            .expect("time");
        assert_eq!(london_day(autumn), day("2026-10-25"));
        let after = Utc
            .with_ymd_and_hms(2026, 10, 25, 23, 30, 0)
            .single()
            .expect("time");
        assert_eq!(london_day(after), day("2026-10-25"));
    }
}
