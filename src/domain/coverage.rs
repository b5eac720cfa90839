//! Coverage: the status of each KSB and how far each duty has come. Pure functions, used by the
//! coverage endpoint, the caseload, the kept status table and its consistency check alike.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evidence::EvidenceStatus;
use super::labels::labelled_enum;

labelled_enum! {
    pub enum KsbStatus {
        NotStarted => "not_started",
        InProgress => "in_progress",
        Evidenced => "evidenced",
        SignedOff => "signed_off",
    }
}

/// Evidence mapped to one KSB, by status. Withdrawn evidence is not counted anywhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct EvidenceCounts {
    pub draft: i32,
    pub submitted: i32,
    pub accepted: i32,
    pub changes_requested: i32,
}

impl EvidenceCounts {
    pub fn add(&mut self, status: EvidenceStatus, n: i32) {
        match status {
            EvidenceStatus::Draft => self.draft += n,
            EvidenceStatus::Submitted => self.submitted += n,
            EvidenceStatus::Accepted => self.accepted += n,
            EvidenceStatus::ChangesRequested => self.changes_requested += n,
            EvidenceStatus::Withdrawn => {}
        }
    }

    /// Adds another set of counts (which may be negative: a change's delta).
    pub fn merge(&mut self, other: &Self) {
        self.draft += other.draft;
        self.submitted += other.submitted;
        self.accepted += other.accepted;
        self.changes_requested += other.changes_requested;
    }

    /// Whether no count is below zero (a delta applied to counts it did not come from is not).
    pub fn is_possible(&self) -> bool {
        self.draft >= 0 && self.submitted >= 0 && self.accepted >= 0 && self.changes_requested >= 0
    }

    fn any(&self) -> bool {
        self.draft + self.submitted + self.accepted + self.changes_requested > 0
    }
}

/// `signed_off` with an active sign-off; else `evidenced` with accepted evidence; else
/// `in_progress` with any evidence not withdrawn; else `not_started`.
pub fn ksb_status(counts: &EvidenceCounts, signed_off: bool) -> KsbStatus {
    if signed_off {
        KsbStatus::SignedOff
    } else if counts.accepted > 0 {
        KsbStatus::Evidenced
    } else if counts.any() {
        KsbStatus::InProgress
    } else {
        KsbStatus::NotStarted
    }
}

/// How many KSBs are in each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Totals {
    pub ksbs: i32,
    pub not_started: i32,
    pub in_progress: i32,
    pub evidenced: i32,
    pub signed_off: i32,
}

impl Totals {
    pub fn count<'a>(statuses: impl IntoIterator<Item = &'a KsbStatus>) -> Self {
        let mut totals = Self::default();
        for status in statuses {
            totals.ksbs += 1;
            match status {
                KsbStatus::NotStarted => totals.not_started += 1,
                KsbStatus::InProgress => totals.in_progress += 1,
                KsbStatus::Evidenced => totals.evidenced += 1,
                KsbStatus::SignedOff => totals.signed_off += 1,
            }
        }
        totals
    }

    /// (evidenced + signed off) / KSBs × 100, one decimal.
    pub fn percent_evidenced(&self) -> f64 {
        percent(self.evidenced + self.signed_off, self.ksbs)
    }

    /// signed off / KSBs × 100, one decimal.
    pub fn percent_signed_off(&self) -> f64 {
        percent(self.signed_off, self.ksbs)
    }
}

/// `part / whole × 100` rounded to one decimal (0 when there is nothing to count).
pub fn percent(part: i32, whole: i32) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0
}

/// One duty's coverage.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DutyCoverage {
    pub code: String,
    pub text: String,
    pub ksbs: i32,
    pub not_started: i32,
    pub in_progress: i32,
    pub evidenced: i32,
    pub signed_off: i32,
    pub percent_evidenced: f64,
    pub percent_signed_off: f64,
}

/// A duty as the catalogue has it: code, text and its KSB codes.
#[derive(Debug, Clone)]
pub struct DutyDef {
    pub code: String,
    pub text: String,
    pub ksbs: Vec<String>,
}

/// Coverage of each duty from the status of each KSB (by code). A KSB in two duties counts in
/// both; a KSB without a status counts as not started.
pub fn duty_coverage(
    duties: &[DutyDef],
    statuses: &HashMap<String, KsbStatus>,
) -> Vec<DutyCoverage> {
    duties
        .iter()
        .map(|duty| {
            let totals = Totals::count(
                duty.ksbs
                    .iter()
                    .map(|code| statuses.get(code).unwrap_or(&KsbStatus::NotStarted)),
            );
            DutyCoverage {
                code: duty.code.clone(),
                text: duty.text.clone(),
                ksbs: totals.ksbs,
                not_started: totals.not_started,
                in_progress: totals.in_progress,
                evidenced: totals.evidenced,
                signed_off: totals.signed_off,
                percent_evidenced: totals.percent_evidenced(),
                percent_signed_off: totals.percent_signed_off(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(draft: i32, submitted: i32, accepted: i32, changes: i32) -> EvidenceCounts {
        EvidenceCounts {
            draft,
            submitted,
            accepted,
            changes_requested: changes,
        }
    }

    #[test]
    fn the_status_follows_the_rule_in_order() {
        assert_eq!(ksb_status(&counts(0, 0, 0, 0), true), KsbStatus::SignedOff);
        assert_eq!(ksb_status(&counts(1, 0, 1, 0), false), KsbStatus::Evidenced);
        assert_eq!(
            ksb_status(&counts(0, 0, 0, 1), false),
            KsbStatus::InProgress
        );
        assert_eq!(
            ksb_status(&counts(1, 0, 0, 0), false),
            KsbStatus::InProgress
        );
        assert_eq!(
            ksb_status(&counts(0, 0, 0, 0), false),
            KsbStatus::NotStarted
        );
    }

    #[test]
    fn a_delta_moves_counts_and_an_impossible_one_shows() {
        let mut kept = counts(1, 0, 0, 0);
        let mut delta = EvidenceCounts::default();
        delta.add(EvidenceStatus::Draft, -1);
        delta.add(EvidenceStatus::Submitted, 1);
        kept.merge(&delta);
        assert_eq!(kept, counts(0, 1, 0, 0));
        assert!(kept.is_possible());
        kept.merge(&delta);
        assert!(!kept.is_possible());
    }

    #[test]
    fn withdrawn_evidence_counts_nowhere() {
        let mut c = EvidenceCounts::default();
        c.add(EvidenceStatus::Withdrawn, 3);
        assert_eq!(ksb_status(&c, false), KsbStatus::NotStarted);
    }

    #[test]
    fn percentages_have_one_decimal() {
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(13, 13), 100.0);
        assert_eq!(percent(0, 0), 0.0);
    }

    #[test]
    fn a_ksb_in_two_duties_counts_in_both() {
        let duties = vec![
            DutyDef {
                code: "D1".into(),
                text: "One".into(),
                ksbs: vec!["K1".into(), "B1".into()],
            },
            DutyDef {
                code: "D2".into(),
                text: "Two".into(),
                ksbs: vec!["K2".into(), "B1".into(), "S1".into()],
            },
        ];
        let statuses: HashMap<String, KsbStatus> = [
            ("B1".to_string(), KsbStatus::SignedOff),
            ("K2".to_string(), KsbStatus::Evidenced),
            ("S1".to_string(), KsbStatus::InProgress),
        ]
        .into_iter()
        .collect();
        let coverage = duty_coverage(&duties, &statuses);
        assert_eq!((coverage[0].signed_off, coverage[0].not_started), (1, 1));
        assert_eq!(coverage[0].percent_evidenced, 50.0);
        assert_eq!(coverage[1].percent_evidenced, 66.7);
        assert_eq!(coverage[1].percent_signed_off, 33.3);
        assert_eq!(coverage[1].in_progress, 1);
    }
}
