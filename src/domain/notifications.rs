//! Who hears about what, and when: each person's delivery choice and its default, the kinds of
//! message, the review reminder thresholds, when the day's digest is due, and the retry
//! schedule of a message that could not be sent. Pure rules; the outbox rows are in
//! `db::outbox`, the sending in `notifications`.

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::London;

use super::identity::Role;
use super::labels::labelled_enum;
use super::review::DUE_SOON_DAYS;

labelled_enum! {
    /// How a person wants to hear about what waits for them.
    pub enum Delivery {
        /// One e-mail per event, sent at once.
        Immediate => "immediate",
        /// One e-mail a day listing everything new since the last one.
        DailyDigest => "daily_digest",
        /// No notification e-mails (sign-in links still arrive).
        Off => "off",
    }
}

labelled_enum! {
    /// Where a message of the outbox stands.
    pub enum OutboxStatus {
        /// Waiting to be sent (or tried again), or to be gathered into a digest.
        Pending => "pending",
        Sent => "sent",
        /// Its last attempt failed: listed for administrators.
        Failed => "failed",
        /// A digest item a digest message lists.
        Digested => "digested",
        /// The recipient was deactivated before it went out.
        Skipped => "skipped",
    }
}

labelled_enum! {
    /// A review reminder already written for a deadline: at most one of each per deadline.
    pub enum ReminderThreshold {
        DueSoon => "due_soon",
        Overdue => "overdue",
    }
}

impl ReminderThreshold {
    /// The threshold a reminder message stands for.
    pub fn of(kind: Kind) -> Self {
        if kind == Kind::ReviewOverdue {
            Self::Overdue
        } else {
            Self::DueSoon
        }
    }
}

/// Roles whose members get a daily digest unless they choose otherwise: mentors, who act in
/// batches, would otherwise get an e-mail for every KSB their apprentice completes.
pub const DIGEST_BY_DEFAULT: &[Role] = &[Role::Employer];

/// The delivery a person has until they choose one.
pub fn default_delivery(role: Role) -> Delivery {
    if DIGEST_BY_DEFAULT.contains(&role) {
        Delivery::DailyDigest
    } else {
        Delivery::Immediate
    }
}

labelled_enum! {
    /// What a message is about.
    pub enum Kind {
        /// To the tutor: evidence waits for their review.
        EvidenceSubmitted => "evidence_submitted",
        /// To the apprentice: the tutor asked for changes.
        ChangesRequested => "changes_requested",
        /// To the apprentice: the tutor accepted the evidence.
        EvidenceAccepted => "evidence_accepted",
        /// To the mentor: a KSB has accepted evidence and waits for sign-off.
        KsbEvidenced => "ksb_evidenced",
        /// To each party who has not signed: a review was recorded or reopened.
        ReviewToSign => "review_to_sign",
        /// To the apprentice, mentor and tutor: the next review is due within 14 days.
        ReviewDueSoon => "review_due_soon",
        /// To the apprentice, mentor and tutor: the next review is overdue.
        ReviewOverdue => "review_overdue",
        /// To the apprentice: an off-the-job training entry was rejected.
        OtjRejected => "otj_rejected",
        /// To the person who asked: a link to sign in with.
        SignInLink => "sign_in_link",
        /// To a person an administrator sent it to: a link to set their password.
        PasswordLink => "password_link",
        /// One message listing a day's notifications.
        Digest => "digest",
    }
}

impl Kind {
    /// Kinds a person is waiting for at this moment: sent before any notification.
    pub const AWAITED: [Kind; 2] = [Kind::SignInLink, Kind::PasswordLink];

    /// Whether the recipient's delivery choice applies. A sign-in or password link is wanted
    /// now (and is no notification to turn off), and a digest is already the choice applied.
    pub fn follows_preference(self) -> bool {
        !matches!(self, Self::SignInLink | Self::PasswordLink | Self::Digest)
    }
}

/// A review deadline's reminder threshold on `today`: `None` while it is more than 14 days away.
pub fn reminder_threshold(due_by: NaiveDate, today: NaiveDate) -> Option<Kind> {
    if due_by < today {
        Some(Kind::ReviewOverdue)
    } else if due_by - today <= Duration::days(DUE_SOON_DAYS) {
        Some(Kind::ReviewDueSoon)
    } else {
        None
    }
}

/// The day whose digest may be made at `now`: today in London once its hour `digest_hour` has
/// begun, none before then.
pub fn digest_day(now: DateTime<Utc>, digest_hour: u32) -> Option<NaiveDate> {
    let local = now.with_timezone(&London);
    (local.hour() >= digest_hour).then(|| local.date_naive())
}

/// Attempts at sending one message before it is `failed`.
pub const MAX_ATTEMPTS: i32 = 8;

/// After failed attempt `attempts` (1-based): `None` when it was the last, or the wait before the
/// next one, doubling from `base`.
pub fn retry_after(attempts: i32, base: std::time::Duration) -> Option<std::time::Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let exponent = u32::try_from(attempts.max(1) - 1).unwrap_or(0);
    Some(base.saturating_mul(2u32.saturating_pow(exponent)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn mentors_get_a_digest_and_everyone_else_immediate_mail_by_default() {
        assert_eq!(default_delivery(Role::Employer), Delivery::DailyDigest);
        for role in [Role::Apprentice, Role::Provider, Role::Admin] {
            assert_eq!(default_delivery(role), Delivery::Immediate);
        }
    }

    #[test]
    fn labels_are_the_serde_names() {
        crate::domain::labels::assert_labels_are_serde_names(Delivery::ALL, |v| v.as_str());
        crate::domain::labels::assert_labels_are_serde_names(Kind::ALL, |v| v.as_str());
    }

    #[test]
    fn a_deadline_is_due_soon_within_fourteen_days_and_overdue_after_it() {
        let today = day("2026-12-01");
        assert_eq!(reminder_threshold(day("2026-12-16"), today), None);
        assert_eq!(
            reminder_threshold(day("2026-12-15"), today),
            Some(Kind::ReviewDueSoon)
        );
        assert_eq!(reminder_threshold(today, today), Some(Kind::ReviewDueSoon));
        assert_eq!(
            reminder_threshold(day("2026-11-30"), today),
            Some(Kind::ReviewOverdue)
        );
    }

    #[test]
    fn the_digest_hour_is_london_time_in_summer_and_winter() {
        // 06:30 UTC in July is 07:30 in London (BST): the 7 o'clock digest is due.
        let summer = Utc
            .with_ymd_and_hms(2026, 7, 1, 6, 30, 0)
            .single()
            .expect("time");
        assert_eq!(digest_day(summer, 7), Some(day("2026-07-01")));
        // 06:30 UTC in January is 06:30 in London (GMT): not yet.
        let winter = Utc
            .with_ymd_and_hms(2026, 1, 5, 6, 30, 0)
            .single()
            .expect("time");
        assert_eq!(digest_day(winter, 7), None);
        // 23:30 UTC on 31 July is already 1 August in London.
        let late = Utc
            .with_ymd_and_hms(2026, 7, 31, 23, 30, 0)
            .single()
            .expect("time");
        assert_eq!(crate::domain::calendar::london_day(late), day("2026-08-01"));
    }

    #[test]
    fn retries_double_and_stop_after_the_eighth_attempt() {
        let base = std::time::Duration::from_secs(30);
        assert_eq!(retry_after(1, base), Some(base));
        assert_eq!(retry_after(2, base), Some(base * 2));
        assert_eq!(retry_after(7, base), Some(base * 64));
        assert_eq!(retry_after(8, base), None);
    }
}
