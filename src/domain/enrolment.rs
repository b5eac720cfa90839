//! How an enrolment stands, and the rule that lets a moving apprentice be enrolled again.
//!
//! An apprentice has one active enrolment per standard. The one way an enrolment ends today is
//! a move of provider: the receiving provider imports the portfolio export
//! (`POST /api/v1/apprenticeships/import`), and the apprentice's active enrolment on the same
//! standard in this deployment, if there is one, becomes `transferred` in the same
//! transaction. A transferred enrolment stays visible to its provider and read-only.

use super::labels::labelled_enum;

labelled_enum! {
    /// Where an enrolment stands (`apprenticeships.status`).
    pub enum ApprenticeshipStatus {
        /// Learning goes on; the portfolio can change.
        Active => "active",
        /// The apprentice moved provider: their portfolio now continues in the apprenticeship
        /// it was imported into. Kept read-only as history.
        Transferred => "transferred",
    }
}

impl ApprenticeshipStatus {
    /// Whether the portfolio of an enrolment in this state may still change.
    pub fn is_open(self) -> bool {
        self == Self::Active
    }
}

#[cfg(test)]
mod tests {
    use super::ApprenticeshipStatus;

    #[test]
    fn only_an_active_enrolment_is_open_to_change() {
        assert!(ApprenticeshipStatus::Active.is_open());
        assert!(!ApprenticeshipStatus::Transferred.is_open());
    }
}
