//! Evidence and its workflow: draft → submitted → accepted | changes_requested, changes_requested
//! → (edited) → submitted; anything but a draft can be withdrawn; only a draft can be deleted.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Observation,
    WitnessTestimony,
    ReflectiveAccount,
    WorkProduct,
    ProfessionalDiscussion,
    QuestionAndAnswer,
    TrainingRecord,
    Other,
}

impl EvidenceKind {
    pub const ALL: [Self; 8] = [
        Self::Observation,
        Self::WitnessTestimony,
        Self::ReflectiveAccount,
        Self::WorkProduct,
        Self::ProfessionalDiscussion,
        Self::QuestionAndAnswer,
        Self::TrainingRecord,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Observation => "observation",
            Self::WitnessTestimony => "witness_testimony",
            Self::ReflectiveAccount => "reflective_account",
            Self::WorkProduct => "work_product",
            Self::ProfessionalDiscussion => "professional_discussion",
            Self::QuestionAndAnswer => "question_and_answer",
            Self::TrainingRecord => "training_record",
            Self::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStatus {
    Draft,
    Submitted,
    Accepted,
    ChangesRequested,
    Withdrawn,
}

impl EvidenceStatus {
    pub const ALL: [Self; 5] = [
        Self::Draft,
        Self::Submitted,
        Self::Accepted,
        Self::ChangesRequested,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::ChangesRequested => "changes_requested",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// A reviewer's decision on submitted evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accepted,
    ChangesRequested,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::ChangesRequested => "changes_requested",
        }
    }
}

/// What someone wants to do with a piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Edit,
    Submit,
    Review(Decision),
    Withdraw,
    Delete,
}

/// Why an action is not allowed in the evidence's current status (a 409 detail).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotAllowed(pub &'static str);

/// The status after `action`, or why it is not allowed now. Deleting yields `Draft` (the caller
/// removes the row).
pub fn transition(status: EvidenceStatus, action: Action) -> Result<EvidenceStatus, NotAllowed> {
    use EvidenceStatus::*;
    match (status, action) {
        (Draft | ChangesRequested, Action::Edit) => Ok(status),
        (Submitted, Action::Edit) => Err(NotAllowed(
            "This evidence is waiting for review and cannot be edited; withdraw it or wait for feedback.",
        )),
        (Accepted, Action::Edit) => Err(NotAllowed(
            "Accepted evidence is frozen and cannot be edited.",
        )),
        (Withdrawn, Action::Edit) => Err(NotAllowed("Withdrawn evidence cannot be edited.")),

        (Draft | ChangesRequested, Action::Submit) => Ok(Submitted),
        (Submitted, Action::Submit) => Err(NotAllowed("This evidence is already submitted.")),
        (Accepted, Action::Submit) => Err(NotAllowed("This evidence is already accepted.")),
        (Withdrawn, Action::Submit) => Err(NotAllowed("Withdrawn evidence cannot be submitted.")),

        (Submitted, Action::Review(Decision::Accepted)) => Ok(Accepted),
        (Submitted, Action::Review(Decision::ChangesRequested)) => Ok(ChangesRequested),
        (_, Action::Review(_)) => Err(NotAllowed("Only submitted evidence can be reviewed.")),

        (Submitted | Accepted | ChangesRequested, Action::Withdraw) => Ok(Withdrawn),
        (Draft, Action::Withdraw) => Err(NotAllowed(
            "A draft is not in the record yet: delete it instead of withdrawing it.",
        )),
        (Withdrawn, Action::Withdraw) => Err(NotAllowed("This evidence is already withdrawn.")),

        (Draft, Action::Delete) => Ok(Draft),
        (_, Action::Delete) => Err(NotAllowed(
            "Only a draft can be deleted; submitted or reviewed evidence can be withdrawn with a reason.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::EvidenceStatus::*;
    use super::*;

    const ACTIONS: [Action; 6] = [
        Action::Edit,
        Action::Submit,
        Action::Review(Decision::Accepted),
        Action::Review(Decision::ChangesRequested),
        Action::Withdraw,
        Action::Delete,
    ];

    #[test]
    fn the_allowed_transitions_are_exactly_these() {
        let allowed = [
            (Draft, Action::Edit, Draft),
            (Draft, Action::Submit, Submitted),
            (Draft, Action::Delete, Draft),
            (Submitted, Action::Review(Decision::Accepted), Accepted),
            (
                Submitted,
                Action::Review(Decision::ChangesRequested),
                ChangesRequested,
            ),
            (Submitted, Action::Withdraw, Withdrawn),
            (Accepted, Action::Withdraw, Withdrawn),
            (ChangesRequested, Action::Edit, ChangesRequested),
            (ChangesRequested, Action::Submit, Submitted),
            (ChangesRequested, Action::Withdraw, Withdrawn),
        ];
        for status in EvidenceStatus::ALL {
            for action in ACTIONS {
                let expected = allowed
                    .iter()
                    .find(|(s, a, _)| *s == status && *a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(
                    transition(status, action).ok(),
                    expected,
                    "{status:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for kind in EvidenceKind::ALL {
            assert_eq!(EvidenceKind::parse(kind.as_str()), Some(kind));
        }
        for status in EvidenceStatus::ALL {
            assert_eq!(EvidenceStatus::parse(status.as_str()), Some(status));
        }
    }
}
