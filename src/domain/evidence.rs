//! Evidence and its workflow: draft → submitted → accepted | changes_requested, changes_requested
//! → (edited) → submitted; anything but a draft can be withdrawn; only a draft can be deleted.

use super::labels::labelled_enum;

labelled_enum! {
    pub enum EvidenceKind {
        Observation => "observation",
        WitnessTestimony => "witness_testimony",
        ReflectiveAccount => "reflective_account",
        WorkProduct => "work_product",
        ProfessionalDiscussion => "professional_discussion",
        QuestionAndAnswer => "question_and_answer",
        TrainingRecord => "training_record",
        Other => "other",
    }
}

labelled_enum! {
    pub enum EvidenceStatus {
        Draft => "draft",
        Submitted => "submitted",
        Accepted => "accepted",
        ChangesRequested => "changes_requested",
        Withdrawn => "withdrawn",
    }
}

labelled_enum! {
    /// A reviewer's decision on submitted evidence.
    pub enum Decision {
        Accepted => "accepted",
        ChangesRequested => "changes_requested",
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
        for &status in EvidenceStatus::ALL {
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
        for &kind in EvidenceKind::ALL {
            assert_eq!(EvidenceKind::parse(kind.as_str()), Some(kind));
        }
        for &status in EvidenceStatus::ALL {
            assert_eq!(EvidenceStatus::parse(status.as_str()), Some(status));
        }
    }
}
