//! Progress reviews: when the next one falls due, how an apprenticeship stands against that
//! deadline, the canonical content every signature is a hash of, and when a review is signed.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use super::breaks::{BreakPeriod, later_by};
use super::coverage::Totals;
use super::labels::labelled_enum;
use super::otj::OtjSummary;

/// "Due soon": the deadline is at most this many days away.
pub const DUE_SOON_DAYS: i64 = 14;

/// A review still unsigned this many days after it was held is `unsigned_overdue`.
pub const UNSIGNED_AFTER_DAYS: i64 = 14;

labelled_enum! {
    /// How an apprenticeship stands against its next review deadline.
    pub enum ReviewState {
        OnTime => "on_time",
        /// Due within 14 days.
        DueSoon => "due_soon",
        Overdue => "overdue",
    }
}

labelled_enum! {
    /// The three parties to a review: who owns an action, and in which role someone signs.
    pub enum ReviewParty {
        Apprentice => "apprentice",
        Employer => "employer",
        Provider => "provider",
    }
}

labelled_enum! {
    /// Where a review stands: being written (or reopened), signed by some, signed by all three.
    pub enum ReviewStatus {
        Draft => "draft",
        AwaitingSignatures => "awaiting_signatures",
        Signed => "signed",
    }
}

/// Funding rule (Apprenticeship funding rules, "progress reviews"): a progress review at least
/// every 3 calendar months. The next is due on or before the last day of the third calendar
/// month after the month of `anchor` (the latest review held, or the start date): a review on
/// 1 August is due again by 30 November.
pub fn calendar_deadline(anchor: NaiveDate) -> NaiveDate {
    anchor
        .with_day(1)
        .and_then(|first| first.checked_add_months(Months::new(4)))
        .and_then(|after| after.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The next review deadline from `anchor`, moved later by the days of every break in learning
/// after the anchor that began on or before the (moved) deadline. `None` while such a break is
/// open: no review falls due during a break. A deadline that passed before a break began stays
/// passed.
pub fn next_review_due_by(anchor: NaiveDate, breaks: &[BreakPeriod]) -> Option<NaiveDate> {
    let mut sorted = breaks.to_vec();
    sorted.sort_unstable_by_key(|b| b.starts_on);
    let after_anchor = anchor.succ_opt().unwrap_or(NaiveDate::MAX);
    let mut due = calendar_deadline(anchor);
    for b in sorted {
        if b.starts_on > due {
            break;
        }
        if b.ends_on.is_some_and(|end| end < after_anchor) {
            continue;
        }
        match b.ends_on {
            None => return None,
            Some(_) => due = later_by(due, b.days_within(after_anchor, NaiveDate::MAX)),
        }
    }
    Some(due)
}

/// The state on `today` of an apprenticeship whose next review is due by `due` (`None`: not
/// due, during a break).
pub fn review_state(due: Option<NaiveDate>, today: NaiveDate) -> ReviewState {
    match due {
        None => ReviewState::OnTime,
        Some(due) if today > due => ReviewState::Overdue,
        Some(due) if (due - today).num_days() <= DUE_SOON_DAYS => ReviewState::DueSoon,
        Some(_) => ReviewState::OnTime,
    }
}

/// The deadlines that put an apprenticeship in `state` on `today`, for a filter in SQL:
/// `due_by` within `from..=to` (either end open), or no deadline at all when `or_none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub or_none: bool,
}

impl DueRange {
    pub fn of(state: ReviewState, today: NaiveDate) -> Self {
        let day = |n: i64| today.checked_add_signed(Duration::days(n));
        match state {
            ReviewState::Overdue => Self {
                from: None,
                to: day(-1),
                or_none: false,
            },
            ReviewState::DueSoon => Self {
                from: Some(today),
                to: day(DUE_SOON_DAYS),
                or_none: false,
            },
            ReviewState::OnTime => Self {
                from: day(DUE_SOON_DAYS + 1),
                to: None,
                or_none: true,
            },
        }
    }

    pub fn contains(&self, due: Option<NaiveDate>) -> bool {
        match due {
            None => self.or_none,
            Some(due) => self.from.is_none_or(|f| due >= f) && self.to.is_none_or(|t| due <= t),
        }
    }
}

/// Whether a review held on `held_on` and not yet signed by all three has stayed unsigned too
/// long.
pub fn unsigned_overdue(held_on: NaiveDate, signed: bool, today: NaiveDate) -> bool {
    !signed && (today - held_on).num_days() >= UNSIGNED_AFTER_DAYS
}

/// One agreed action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NextAction {
    pub action: String,
    pub owner: ReviewParty,
    pub due_on: NaiveDate,
}

/// One duty's progress at the moment of the review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DutySnapshot {
    pub code: String,
    pub percent_evidenced: f64,
    pub percent_signed_off: f64,
}

/// What the review discussed, as it stood when the review was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewSnapshot {
    pub totals: Totals,
    pub duties: Vec<DutySnapshot>,
    pub otj: OtjSummary,
}

/// The content of a review that its signatures attest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewContent<'a> {
    pub review_id: Uuid,
    pub apprenticeship_id: Uuid,
    pub held_on: NaiveDate,
    pub previous_actions: &'a str,
    pub progress_notes: &'a str,
    pub concerns: &'a str,
    pub next_actions: &'a [NextAction],
    pub snapshot: &'a ReviewSnapshot,
}

/// Names the format, so a later change of the canonical form cannot match an old hash.
const CANONICAL_FORMAT: &[u8] = b"ksbfolio-progress-review-v1\n";

/// The canonical bytes: the format line, then the content as compact JSON with the fields in
/// the fixed order of [`ReviewContent`] (a struct, so never a map's order).
pub fn canonical(content: &ReviewContent<'_>) -> Vec<u8> {
    let mut bytes = CANONICAL_FORMAT.to_vec();
    // A struct of strings, dates, numbers and enums always serialises.
    bytes.extend(serde_json::to_vec(content).unwrap_or_default());
    bytes
}

/// The SHA-256 of the canonical content, lower-case hex.
pub fn content_sha256(content: &ReviewContent<'_>) -> String {
    hex::encode(Sha256::digest(canonical(content)))
}

/// A signature as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureFact {
    pub role: ReviewParty,
    pub signer_name: String,
    pub content_sha256: String,
    pub voided: bool,
}

impl SignatureFact {
    /// A signature counts only if not voided and made on the content as it is now.
    pub fn is_valid(&self, current_sha256: &str) -> bool {
        !self.voided && self.content_sha256 == current_sha256
    }
}

/// Draft with no live signature; signed when all three roles have signed the current content.
pub fn review_status(signatures: &[SignatureFact], current_sha256: &str) -> ReviewStatus {
    let signed_by = |role| {
        signatures
            .iter()
            .any(|s| s.role == role && s.is_valid(current_sha256))
    };
    if ReviewParty::ALL.iter().all(|role| signed_by(*role)) {
        ReviewStatus::Signed
    } else if signatures.iter().any(|s| !s.voided) {
        ReviewStatus::AwaitingSignatures
    } else {
        ReviewStatus::Draft
    }
}

/// Why a signature or an edit is refused (409).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewConflict {
    #[error("This review is already signed as {role} by {name}; each role signs once.")]
    AlreadySigned { role: &'static str, name: String },
    #[error(
        "This review has been signed by {0}, so its content is frozen. Staff of the training \
         provider can reopen it (voiding the signatures) to change it."
    )]
    Frozen(String),
    #[error("This review has no signatures to void.")]
    NothingToReopen,
}

/// Whether `role` may sign now.
pub fn check_sign(signatures: &[SignatureFact], role: ReviewParty) -> Result<(), ReviewConflict> {
    match signatures.iter().find(|s| s.role == role && !s.voided) {
        Some(s) => Err(ReviewConflict::AlreadySigned {
            role: role.as_str(),
            name: s.signer_name.clone(),
        }),
        None => Ok(()),
    }
}

/// Whether the content may change: not after the first live signature.
pub fn check_edit(signatures: &[SignatureFact]) -> Result<(), ReviewConflict> {
    let signers: Vec<String> = signatures
        .iter()
        .filter(|s| !s.voided)
        .map(|s| format!("{} ({})", s.signer_name, s.role.as_str()))
        .collect();
    if signers.is_empty() {
        Ok(())
    } else {
        Err(ReviewConflict::Frozen(signers.join(", ")))
    }
}

/// Whether there is anything to reopen.
pub fn check_reopen(signatures: &[SignatureFact]) -> Result<(), ReviewConflict> {
    if signatures.iter().any(|s| !s.voided) {
        Ok(())
    } else {
        Err(ReviewConflict::NothingToReopen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::labels::assert_labels_are_serde_names;
    use crate::domain::otj::OtjPlanStatus;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn labels_are_the_serde_names() {
        assert_labels_are_serde_names(ReviewState::ALL, |v| v.as_str());
        assert_labels_are_serde_names(ReviewParty::ALL, |v| v.as_str());
        assert_labels_are_serde_names(ReviewStatus::ALL, |v| v.as_str());
    }

    #[test]
    fn the_funding_rules_example_a_review_on_1_august_is_due_again_by_30_november() {
        assert_eq!(calendar_deadline(d(2026, 8, 1)), d(2026, 11, 30));
        assert_eq!(calendar_deadline(d(2026, 8, 31)), d(2026, 11, 30));
    }

    #[test]
    fn the_deadline_is_the_last_day_of_the_month_on_month_ends_and_leap_years() {
        assert_eq!(calendar_deadline(d(2026, 10, 31)), d(2027, 1, 31));
        assert_eq!(calendar_deadline(d(2027, 11, 30)), d(2028, 2, 29));
        assert_eq!(calendar_deadline(d(2026, 11, 30)), d(2027, 2, 28));
        assert_eq!(calendar_deadline(d(2027, 12, 1)), d(2028, 3, 31));
        assert_eq!(
            calendar_deadline(d(2099, 11, 15)),
            d(2100, 2, 28),
            "2100 is no leap year"
        );
        assert_eq!(calendar_deadline(d(2099, 11, 15)).year(), 2100);
    }

    #[test]
    fn a_closed_break_after_the_review_moves_the_deadline_later_by_its_length() {
        let held = d(2026, 8, 1);
        let ten_days = BreakPeriod {
            starts_on: d(2026, 9, 1),
            ends_on: Some(d(2026, 9, 10)),
        };
        assert_eq!(next_review_due_by(held, &[ten_days]), Some(d(2026, 12, 10)));
        let before = BreakPeriod {
            starts_on: d(2026, 7, 1),
            ends_on: Some(d(2026, 7, 31)),
        };
        assert_eq!(next_review_due_by(held, &[before]), Some(d(2026, 11, 30)));
        let around = BreakPeriod {
            starts_on: d(2026, 7, 30),
            ends_on: Some(d(2026, 8, 3)),
        };
        assert_eq!(
            next_review_due_by(held, &[around]),
            Some(d(2026, 12, 2)),
            "only the days after the review count"
        );
    }

    #[test]
    fn no_review_falls_due_while_a_break_is_open() {
        let held = d(2026, 8, 1);
        let open = BreakPeriod {
            starts_on: d(2026, 10, 1),
            ends_on: None,
        };
        assert_eq!(next_review_due_by(held, &[open]), None);
        assert_eq!(review_state(None, d(2027, 6, 1)), ReviewState::OnTime);
        let after_the_deadline = BreakPeriod {
            starts_on: d(2026, 12, 1),
            ends_on: None,
        };
        assert_eq!(
            next_review_due_by(held, &[after_the_deadline]),
            Some(d(2026, 11, 30)),
            "a review missed before the break stays missed"
        );
    }

    #[test]
    fn the_state_is_due_soon_within_14_days_and_overdue_after_the_day() {
        let due = Some(d(2026, 11, 30));
        assert_eq!(review_state(due, d(2026, 11, 15)), ReviewState::OnTime);
        assert_eq!(review_state(due, d(2026, 11, 16)), ReviewState::DueSoon);
        assert_eq!(review_state(due, d(2026, 11, 30)), ReviewState::DueSoon);
        assert_eq!(review_state(due, d(2026, 12, 1)), ReviewState::Overdue);
    }

    #[test]
    fn a_review_is_unsigned_overdue_14_days_after_it_was_held() {
        let held = d(2026, 8, 1);
        assert!(!unsigned_overdue(held, false, d(2026, 8, 14)));
        assert!(unsigned_overdue(held, false, d(2026, 8, 15)));
        assert!(!unsigned_overdue(held, true, d(2026, 9, 15)));
    }

    fn snapshot() -> ReviewSnapshot {
        ReviewSnapshot {
            totals: Totals::default(),
            duties: vec![DutySnapshot {
                code: "D1".into(),
                percent_evidenced: 33.3,
                percent_signed_off: 0.0,
            }],
            otj: OtjSummary {
                planned_minutes: Some(600),
                rpl_reduction_minutes: 0,
                floor_minutes: 11_220,
                approved_minutes: 0,
                pending_minutes: 0,
                expected_by_now_minutes: 0,
                status: OtjPlanStatus::OnTrack,
            },
        }
    }

    fn content<'a>(notes: &'a str, snapshot: &'a ReviewSnapshot) -> ReviewContent<'a> {
        ReviewContent {
            review_id: Uuid::from_u128(7),
            apprenticeship_id: Uuid::from_u128(8),
            held_on: d(2026, 8, 1),
            previous_actions: "",
            progress_notes: notes,
            concerns: "",
            next_actions: &[],
            snapshot,
        }
    }

    #[test]
    fn the_hash_changes_with_any_field_and_survives_a_round_trip_of_the_snapshot() {
        let s = snapshot();
        let a = content_sha256(&content("Good progress", &s));
        assert_eq!(a.len(), 64);
        assert_ne!(a, content_sha256(&content("Good progress.", &s)));
        let stored = serde_json::to_value(&s).expect("json");
        let back: ReviewSnapshot = serde_json::from_value(stored).expect("back");
        assert_eq!(a, content_sha256(&content("Good progress", &back)));
    }

    fn sig(role: ReviewParty, hash: &str, voided: bool) -> SignatureFact {
        SignatureFact {
            role,
            signer_name: format!("{role:?}"),
            content_sha256: hash.into(),
            voided,
        }
    }

    #[test]
    fn a_review_is_signed_only_when_all_three_signed_the_current_content() {
        use ReviewParty::*;
        let all = |hash: &str| {
            vec![
                sig(Apprentice, hash, false),
                sig(Employer, hash, false),
                sig(Provider, hash, false),
            ]
        };
        assert_eq!(review_status(&all("h1"), "h1"), ReviewStatus::Signed);
        assert_eq!(
            review_status(&all("h1"), "h2"),
            ReviewStatus::AwaitingSignatures
        );
        let mut mixed = all("h1");
        mixed[2].content_sha256 = "h2".into();
        assert_eq!(
            review_status(&mixed, "h1"),
            ReviewStatus::AwaitingSignatures
        );
        let voided: Vec<_> = all("h1")
            .into_iter()
            .map(|mut s| {
                s.voided = true;
                s
            })
            .collect();
        assert_eq!(review_status(&voided, "h1"), ReviewStatus::Draft);
        assert_eq!(review_status(&[], "h1"), ReviewStatus::Draft);
    }

    #[test]
    fn each_role_signs_once_and_the_first_signature_freezes_the_content() {
        use ReviewParty::*;
        let one = [sig(Apprentice, "h", false)];
        assert!(matches!(
            check_sign(&one, Apprentice),
            Err(ReviewConflict::AlreadySigned { .. })
        ));
        assert_eq!(check_sign(&one, Employer), Ok(()));
        let frozen = check_edit(&one).expect_err("frozen");
        assert!(
            frozen.to_string().contains("Apprentice (apprentice)"),
            "{frozen}"
        );
        let voided = [sig(Apprentice, "h", true)];
        assert_eq!(check_sign(&voided, Apprentice), Ok(()));
        assert_eq!(check_edit(&voided), Ok(()));
        assert_eq!(check_reopen(&voided), Err(ReviewConflict::NothingToReopen));
        assert_eq!(check_reopen(&one), Ok(()));
    }

    fn any_state() -> impl Strategy<Value = ReviewState> {
        prop_oneof![
            Just(ReviewState::OnTime),
            Just(ReviewState::DueSoon),
            Just(ReviewState::Overdue)
        ]
    }

    proptest! {
        /// The SQL filter's ranges say exactly what `review_state` says.
        #[test]
        fn the_due_ranges_agree_with_the_state(offset in -60i64..60, none in any::<bool>(), state in any_state()) {
            let today = d(2026, 6, 15);
            let due = (!none).then(|| today + Duration::days(offset));
            prop_assert_eq!(DueRange::of(state, today).contains(due), review_state(due, today) == state);
        }

        /// The deadline is always a month's last day, in the third month after the anchor's.
        #[test]
        fn the_deadline_is_a_last_day_three_months_on(days in 0i64..40_000) {
            let anchor = d(2000, 1, 1) + Duration::days(days);
            let due = calendar_deadline(anchor);
            prop_assert_eq!(due.succ_opt().map(|n| n.day()), Some(1));
            let months = (due.year() - anchor.year()) * 12 + due.month() as i32 - anchor.month() as i32;
            prop_assert_eq!(months, 3);
        }

        /// A closed break after the anchor and before the deadline moves it by its length.
        #[test]
        fn a_break_moves_the_deadline_by_its_length(start in 1i64..80, length in 0i64..200) {
            let anchor = d(2026, 8, 1);
            let b = BreakPeriod { starts_on: anchor + Duration::days(start), ends_on: Some(anchor + Duration::days(start + length)) };
            prop_assert_eq!(
                next_review_due_by(anchor, &[b]),
                Some(calendar_deadline(anchor) + Duration::days(length + 1))
            );
        }
    }
}
