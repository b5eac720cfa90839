//! Who may do what: every 403 decision of the API, as pure functions over plain data.
//!
//! Visibility is not decided here: a record outside the caller's scope is answered 404 by the
//! scope rules (`domain::scope`) before any of these run. These functions decide what a caller
//! may do with a record they can see, and each refusal carries the sentence the person reads.
//!
//! Security decisions recorded here (they answer attacks found on a release build):
//! - provider staff create apprentice accounts only; employer users (mentors) are created by an
//!   administrator, so a provider cannot mint a mentor with a password it chose and sign off its
//!   own apprentices' skills through it;
//! - enrolment by provider staff takes only people who are not enrolled with another provider or
//!   who were created by the caller's provider, so a provider cannot pull another provider's users
//!   into its scope by id;
//! - provider staff change only the apprentices of their own provider (never a role or an
//!   organisation), and cannot undo a deactivation an administrator made;
//! - a user created by a provider never signs off that provider's apprenticeships.

use uuid::Uuid;

use super::identity::Role;
use super::review::ReviewParty;
use super::scope::{Actor, ApprenticeshipParties};

/// A refused action and the reason shown to the person (403).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Denied(pub String);

/// The outcome of a policy question.
pub type Decision = Result<(), Denied>;

fn deny(reason: &str) -> Decision {
    Err(Denied(reason.to_string()))
}

fn allow_if(allowed: bool, reason: &str) -> Decision {
    if allowed { Ok(()) } else { deny(reason) }
}

/// Creating a user account of `role`.
pub fn create_user(actor: &Actor, role: Role) -> Decision {
    match (actor.role, role) {
        (Role::Admin, _) => Ok(()),
        (Role::Provider, Role::Apprentice) => Ok(()),
        (Role::Provider, Role::Employer) => deny(
            "Employer users (workplace mentors) are created by an administrator, not by training \
             provider staff. Ask your administrator to add the mentor.",
        ),
        (Role::Provider, _) => deny("Training provider staff create apprentice accounts only."),
        (Role::Employer | Role::Apprentice, _) => deny("Your role may not create users."),
    }
}

/// Where a person stands before they are enrolled: who created them and which providers they
/// are already enrolled with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonStanding {
    pub created_by_organisation_id: Option<Uuid>,
    /// The providers of every apprenticeship the person takes part in (as apprentice or mentor).
    pub enrolled_with_providers: Vec<Uuid>,
}

impl PersonStanding {
    /// Whether staff of `provider_id` may bring this person into an enrolment: they were created
    /// by that provider, or they are with no other provider.
    fn open_to(&self, provider_id: Uuid) -> bool {
        self.created_by_organisation_id == Some(provider_id)
            || self
                .enrolled_with_providers
                .iter()
                .all(|provider| *provider == provider_id)
    }
}

/// Enrolling an apprentice with `provider_id`, with this apprentice and mentor.
pub fn enrol(
    actor: &Actor,
    provider_id: Uuid,
    apprentice: &PersonStanding,
    mentor: &PersonStanding,
) -> Decision {
    if actor.is_admin() {
        return Ok(());
    }
    if !actor.is_staff_of(provider_id) {
        return deny(
            "Apprentices are enrolled by administrators or by staff of their training provider.",
        );
    }
    if !apprentice.open_to(provider_id) {
        return deny(
            "This apprentice is enrolled with another training provider; an administrator can \
             enrol them with yours.",
        );
    }
    allow_if(
        mentor.open_to(provider_id),
        "This mentor works with apprentices of another training provider; an administrator can \
         make them the mentor of this apprenticeship.",
    )
}

/// Importing a portfolio export as a new apprenticeship at the caller's own provider (moving
/// provider): staff of a training provider only. An administrator belongs to no provider, and
/// the import always lands at the importer's. This is the one enrolment that takes an
/// apprentice enrolled with another provider: the move is the point (their active enrolment on
/// the same standard ends as `transferred`). The mentor must still be open to the provider, as
/// for any enrolment.
pub fn import_portfolio(actor: &Actor, mentor: Option<&PersonStanding>) -> Decision {
    let Some(provider) = actor
        .organisation_id
        .filter(|_| actor.role == Role::Provider)
    else {
        return deny(
            "A portfolio is imported by staff of the training provider the apprentice moves to.",
        );
    };
    allow_if(
        mentor.is_none_or(|m| m.open_to(provider)),
        "This mentor works with apprentices of another training provider; an administrator can \
         make them the mentor of this apprenticeship.",
    )
}

/// The user a change is about, as far as the rules need to know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUser {
    pub id: Uuid,
    pub role: Role,
    pub standing: PersonStanding,
    /// The role of whoever deactivated the user, while they are deactivated.
    pub deactivated_by: Option<Role>,
}

/// What a change to a user touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserChange {
    pub renames: bool,
    pub deactivates: bool,
    pub reactivates: bool,
    pub changes_role_or_organisation: bool,
}

/// Changing a user's name, role, organisation or whether they may sign in.
pub fn change_user(actor: &Actor, target: &TargetUser, change: &UserChange) -> Decision {
    if target.id == actor.user_id && (change.deactivates || change.changes_role_or_organisation) {
        return deny("You cannot deactivate your own account or change your own role.");
    }
    match actor.role {
        Role::Admin => allow_if(
            target.id != actor.user_id,
            "Administrators change other people's accounts, not their own, here.",
        ),
        Role::Provider => {
            let Some(provider) = actor.organisation_id else {
                return deny("Your role may not change this user.");
            };
            let own_apprentice = target.role == Role::Apprentice
                && (target.standing.enrolled_with_providers.contains(&provider)
                    || (target.standing.enrolled_with_providers.is_empty()
                        && target.standing.created_by_organisation_id == Some(provider)));
            if !own_apprentice {
                return deny(
                    "Training provider staff change only the apprentices of their own provider; \
                     ask an administrator.",
                );
            }
            if change.changes_role_or_organisation {
                return deny("Only administrators change a user's role or organisation.");
            }
            allow_if(
                !(change.reactivates && target.deactivated_by == Some(Role::Admin)),
                "An administrator deactivated this account; only an administrator can reactivate it.",
            )
        }
        Role::Employer | Role::Apprentice => deny("Your role may not change this user."),
    }
}

/// Making a password-set link for someone: administrators only (the link sets the password of
/// any account, so it is never in a provider's hands).
pub fn issue_password_link(actor: &Actor) -> Decision {
    allow_if(
        actor.is_admin(),
        "Only administrators make password links; ask your administrator.",
    )
}

/// The outbox of e-mail messages, with its failures (administrators only).
pub fn read_outbox(actor: &Actor) -> Decision {
    allow_if(
        actor.is_admin(),
        "Only administrators see the e-mail outbox.",
    )
}

/// Importing a cohort from CSV (each line then passes the rule for one record).
pub fn import(actor: &Actor) -> Decision {
    allow_if(
        matches!(actor.role, Role::Admin | Role::Provider),
        "Cohorts are imported by administrators and training provider staff.",
    )
}

/// Creating organisations.
pub fn create_organisation(actor: &Actor) -> Decision {
    allow_if(
        actor.is_admin(),
        "Only administrators create organisations.",
    )
}

/// Listing organisations.
pub fn list_organisations(actor: &Actor) -> Decision {
    allow_if(
        matches!(actor.role, Role::Admin | Role::Provider),
        "Organisations are listed for administrators and training provider staff.",
    )
}

/// Reading the audit trail.
pub fn read_audit(actor: &Actor) -> Decision {
    allow_if(
        matches!(actor.role, Role::Admin | Role::Provider),
        "The audit trail is open to administrators and training provider staff.",
    )
}

/// The evidence review queue.
pub fn read_review_queue(actor: &Actor) -> Decision {
    allow_if(
        matches!(actor.role, Role::Admin | Role::Provider),
        "The review queue is for training provider staff.",
    )
}

/// The queue of off-the-job entries waiting for the provider's decision.
pub fn read_otj_queue(actor: &Actor) -> Decision {
    allow_if(
        matches!(actor.role, Role::Admin | Role::Provider),
        "The off-the-job queue is for training provider staff.",
    )
}

/// The sign-off queue.
pub fn read_signoff_queue(actor: &Actor) -> Decision {
    allow_if(
        matches!(actor.role, Role::Admin | Role::Employer),
        "The sign-off queue is for employer users.",
    )
}

/// Writing, submitting and withdrawing evidence, and attaching files to it or removing them.
pub fn write_evidence(actor: &Actor, apprenticeship: &ApprenticeshipParties) -> Decision {
    allow_if(
        actor.user_id == apprenticeship.apprentice_id,
        "Only the apprentice writes, submits and withdraws their own evidence.",
    )
}

/// Accepting evidence or sending it back.
pub fn review_evidence(actor: &Actor, apprenticeship: &ApprenticeshipParties) -> Decision {
    allow_if(
        actor.is_staff_of(apprenticeship.provider_id),
        "Evidence is reviewed by staff of the apprenticeship's training provider.",
    )
}

/// Signing off a KSB, or revoking a sign-off: only the apprenticeship's own workplace mentor
/// (`mentor_name` names them in the refusal; an administrator can reassign the mentor).
pub fn sign_off(
    actor: &Actor,
    apprenticeship: &ApprenticeshipParties,
    mentor_name: &str,
) -> Decision {
    if !actor.is_employer_of(apprenticeship.employer_id) {
        return deny("Skills are signed off by employer users of the apprentice's employer.");
    }
    // A provider must never be able to sign off its own evidence through an account it made.
    if actor.created_by_organisation_id == Some(apprenticeship.provider_id) {
        return deny(
            "This account was created by the apprenticeship's training provider, so it cannot \
             sign off that provider's apprentices; the employer's own mentor signs off.",
        );
    }
    if actor.user_id != apprenticeship.mentor_id {
        return Err(Denied(format!(
            "Only {mentor_name}, this apprenticeship's workplace mentor, signs off its KSBs. An \
             administrator can make you the mentor."
        )));
    }
    Ok(())
}

/// Signing off several KSBs of one apprenticeship at once: the same rule as one sign-off (only
/// its own workplace mentor, never an account its provider created), asked once for the whole
/// request, so a refusal writes nothing.
pub fn bulk_sign_off(
    actor: &Actor,
    apprenticeship: &ApprenticeshipParties,
    mentor_name: &str,
) -> Decision {
    sign_off(actor, apprenticeship, mentor_name)
}

/// Changing an apprenticeship (mentor, tutor, expected end date, OTJ plan): administrators, or
/// staff of its provider. A new mentor must be open to that provider, as at enrolment.
pub fn change_apprenticeship(
    actor: &Actor,
    apprenticeship: &ApprenticeshipParties,
    new_mentor: Option<&PersonStanding>,
) -> Decision {
    if actor.is_admin() {
        return Ok(());
    }
    if !actor.is_staff_of(apprenticeship.provider_id) {
        return deny(
            "An apprenticeship is changed by an administrator or by staff of its training provider.",
        );
    }
    allow_if(
        new_mentor.is_none_or(|m| m.open_to(apprenticeship.provider_id)),
        "This mentor works with apprentices of another training provider; an administrator can \
         make them the mentor of this apprenticeship.",
    )
}

/// Setting a standard's published minimum of off-the-job hours.
pub fn set_standard_minimum(actor: &Actor) -> Decision {
    allow_if(
        actor.is_admin(),
        "Only administrators change a standard's published minimum of off-the-job hours.",
    )
}

/// Logging, editing and deleting off-the-job training entries.
pub fn log_otj(actor: &Actor, apprenticeship: &ApprenticeshipParties) -> Decision {
    allow_if(
        actor.user_id == apprenticeship.apprentice_id,
        "Only the apprentice logs, edits and deletes their own off-the-job training.",
    )
}

/// Approving or rejecting off-the-job training entries.
pub fn review_otj(actor: &Actor, apprenticeship: &ApprenticeshipParties) -> Decision {
    allow_if(
        actor.is_staff_of(apprenticeship.provider_id),
        "Off-the-job training is approved by staff of the apprenticeship's training provider.",
    )
}

/// Recording, changing and reopening progress reviews.
pub fn write_review(actor: &Actor, apprenticeship: &ApprenticeshipParties) -> Decision {
    allow_if(
        actor.is_staff_of(apprenticeship.provider_id),
        "Progress reviews are recorded, changed and reopened by staff of the apprenticeship's \
         training provider.",
    )
}

/// Starting and ending breaks in learning.
pub fn manage_breaks(actor: &Actor, apprenticeship: &ApprenticeshipParties) -> Decision {
    allow_if(
        actor.is_staff_of(apprenticeship.provider_id),
        "Breaks in learning are recorded by staff of the apprenticeship's training provider.",
    )
}

/// In which role the actor signs a review of this apprenticeship: its apprentice, an employer
/// user of its employer (never an account its provider created, as for sign-off), or staff of
/// its provider. Administrators do not sign.
pub fn sign_review(
    actor: &Actor,
    apprenticeship: &ApprenticeshipParties,
) -> Result<ReviewParty, Denied> {
    if actor.user_id == apprenticeship.apprentice_id {
        return Ok(ReviewParty::Apprentice);
    }
    if actor.is_staff_of(apprenticeship.provider_id) {
        return Ok(ReviewParty::Provider);
    }
    if actor.is_employer_of(apprenticeship.employer_id) {
        if actor.created_by_organisation_id == Some(apprenticeship.provider_id) {
            return Err(Denied(
                "This account was created by the apprenticeship's training provider, so it cannot \
                 sign for the employer; the employer's own mentor signs."
                    .into(),
            ));
        }
        return Ok(ReviewParty::Employer);
    }
    Err(Denied(
        "A review is signed by the apprentice, an employer user of their employer and staff of \
         their training provider."
            .into(),
    ))
}

/// Recording English and maths, and withdrawing a gateway declaration: staff of the
/// apprenticeship's provider.
pub fn manage_gateway(actor: &Actor, apprenticeship: &ApprenticeshipParties) -> Decision {
    allow_if(
        actor.is_staff_of(apprenticeship.provider_id),
        "English and maths are recorded, and gateway declarations withdrawn, by staff of the \
         apprenticeship's training provider.",
    )
}

/// In which role the actor declares the apprentice ready for gateway: the same three parties,
/// on the same terms, as sign a progress review.
pub fn declare_gateway(
    actor: &Actor,
    apprenticeship: &ApprenticeshipParties,
) -> Result<ReviewParty, Denied> {
    if !(actor.user_id == apprenticeship.apprentice_id
        || actor.is_staff_of(apprenticeship.provider_id)
        || actor.is_employer_of(apprenticeship.employer_id))
    {
        return Err(Denied(
            "The gateway is declared by staff of the training provider, the apprentice and an \
             employer user of their employer."
                .into(),
        ));
    }
    sign_review(actor, apprenticeship)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROVIDER: Uuid = Uuid::from_u128(20);
    const OTHER_PROVIDER: Uuid = Uuid::from_u128(21);
    const EMPLOYER: Uuid = Uuid::from_u128(10);
    const MENTOR: Uuid = Uuid::from_u128(4);

    fn actor(role: Role, org: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(1),
            role,
            organisation_id: org,
            created_by_organisation_id: None,
        }
    }

    fn admin() -> Actor {
        actor(Role::Admin, None)
    }

    fn tutor() -> Actor {
        actor(Role::Provider, Some(PROVIDER))
    }

    fn parties() -> ApprenticeshipParties {
        ApprenticeshipParties {
            apprentice_id: Uuid::from_u128(2),
            employer_id: EMPLOYER,
            provider_id: PROVIDER,
            mentor_id: MENTOR,
            tutor_id: Uuid::from_u128(1),
        }
    }

    fn standing(created_by: Option<Uuid>, providers: &[Uuid]) -> PersonStanding {
        PersonStanding {
            created_by_organisation_id: created_by,
            enrolled_with_providers: providers.to_vec(),
        }
    }

    fn apprentice(standing: PersonStanding) -> TargetUser {
        TargetUser {
            id: Uuid::from_u128(3),
            role: Role::Apprentice,
            standing,
            deactivated_by: None,
        }
    }

    #[test]
    fn provider_staff_create_apprentice_accounts_only() {
        assert_eq!(create_user(&tutor(), Role::Apprentice), Ok(()));
        for role in [Role::Employer, Role::Provider, Role::Admin] {
            assert!(create_user(&tutor(), role).is_err(), "{role:?}");
        }
        for role in [
            Role::Employer,
            Role::Provider,
            Role::Admin,
            Role::Apprentice,
        ] {
            assert_eq!(create_user(&admin(), role), Ok(()));
            let mentor = actor(Role::Employer, Some(EMPLOYER));
            assert!(create_user(&mentor, role).is_err());
        }
    }

    #[test]
    fn a_tutor_enrols_people_who_are_new_or_already_with_their_provider() {
        let fresh = standing(None, &[]);
        let ours = standing(None, &[PROVIDER]);
        let made_here = standing(Some(PROVIDER), &[OTHER_PROVIDER]);
        assert_eq!(enrol(&tutor(), PROVIDER, &fresh, &ours), Ok(()));
        assert_eq!(enrol(&tutor(), PROVIDER, &made_here, &fresh), Ok(()));
    }

    #[test]
    fn a_tutor_cannot_enrol_another_providers_apprentice_or_mentor() {
        let theirs = standing(None, &[OTHER_PROVIDER]);
        let shared = standing(None, &[PROVIDER, OTHER_PROVIDER]);
        let fresh = standing(None, &[]);
        assert!(enrol(&tutor(), PROVIDER, &theirs, &fresh).is_err());
        assert!(enrol(&tutor(), PROVIDER, &fresh, &theirs).is_err());
        assert!(enrol(&tutor(), PROVIDER, &fresh, &shared).is_err());
        assert!(enrol(&tutor(), OTHER_PROVIDER, &fresh, &fresh).is_err());
        assert_eq!(enrol(&admin(), PROVIDER, &theirs, &theirs), Ok(()));
    }

    #[test]
    fn a_tutor_changes_only_their_own_providers_apprentices() {
        let rename = UserChange {
            renames: true,
            ..UserChange::default()
        };
        let enrolled_here = apprentice(standing(None, &[PROVIDER]));
        let made_here_not_enrolled = apprentice(standing(Some(PROVIDER), &[]));
        let made_here_moved_away = apprentice(standing(Some(PROVIDER), &[OTHER_PROVIDER]));
        let theirs = apprentice(standing(None, &[OTHER_PROVIDER]));
        assert_eq!(change_user(&tutor(), &enrolled_here, &rename), Ok(()));
        assert_eq!(
            change_user(&tutor(), &made_here_not_enrolled, &rename),
            Ok(())
        );
        assert!(change_user(&tutor(), &made_here_moved_away, &rename).is_err());
        assert!(change_user(&tutor(), &theirs, &rename).is_err());
        let mentor = TargetUser {
            role: Role::Employer,
            ..enrolled_here.clone()
        };
        assert!(change_user(&tutor(), &mentor, &rename).is_err());
        let role_change = UserChange {
            changes_role_or_organisation: true,
            ..UserChange::default()
        };
        assert!(change_user(&tutor(), &enrolled_here, &role_change).is_err());
    }

    #[test]
    fn only_an_admin_reactivates_a_user_an_admin_deactivated() {
        let reactivate = UserChange {
            reactivates: true,
            ..UserChange::default()
        };
        let by_admin = TargetUser {
            deactivated_by: Some(Role::Admin),
            ..apprentice(standing(None, &[PROVIDER]))
        };
        let by_tutor = TargetUser {
            deactivated_by: Some(Role::Provider),
            ..by_admin.clone()
        };
        assert!(change_user(&tutor(), &by_admin, &reactivate).is_err());
        assert_eq!(change_user(&tutor(), &by_tutor, &reactivate), Ok(()));
        assert_eq!(change_user(&admin(), &by_admin, &reactivate), Ok(()));
    }

    #[test]
    fn nobody_deactivates_themselves() {
        let me = TargetUser {
            id: Uuid::from_u128(1),
            role: Role::Admin,
            standing: PersonStanding::default(),
            deactivated_by: None,
        };
        let deactivate = UserChange {
            deactivates: true,
            ..UserChange::default()
        };
        assert!(change_user(&admin(), &me, &deactivate).is_err());
    }

    #[test]
    fn only_the_apprenticeships_own_mentor_signs_off_and_never_one_the_provider_made() {
        let mentor = Actor {
            user_id: MENTOR,
            ..actor(Role::Employer, Some(EMPLOYER))
        };
        assert_eq!(sign_off(&mentor, &parties(), "Mo"), Ok(()));
        let colleague = actor(Role::Employer, Some(EMPLOYER));
        let refused = sign_off(&colleague, &parties(), "Mo Mentor").expect_err("refused");
        assert!(refused.0.contains("Mo Mentor"), "{refused}");
        let planted = Actor {
            created_by_organisation_id: Some(PROVIDER),
            ..mentor
        };
        assert!(sign_off(&planted, &parties(), "Mo").is_err());
        let other_employer = Actor {
            organisation_id: Some(Uuid::from_u128(11)),
            ..mentor
        };
        assert!(sign_off(&other_employer, &parties(), "Mo").is_err());
        assert!(sign_off(&tutor(), &parties(), "Mo").is_err());
    }

    #[test]
    fn a_bulk_sign_off_follows_the_single_sign_off_rule() {
        let mentor = Actor {
            user_id: MENTOR,
            ..actor(Role::Employer, Some(EMPLOYER))
        };
        assert_eq!(bulk_sign_off(&mentor, &parties(), "Mo"), Ok(()));
        let planted = Actor {
            created_by_organisation_id: Some(PROVIDER),
            ..mentor
        };
        for who in [
            planted,
            actor(Role::Employer, Some(EMPLOYER)),
            tutor(),
            admin(),
            Actor {
                user_id: parties().apprentice_id,
                ..actor(Role::Apprentice, Some(EMPLOYER))
            },
        ] {
            assert_eq!(
                bulk_sign_off(&who, &parties(), "Mo"),
                sign_off(&who, &parties(), "Mo"),
                "{who:?}"
            );
            assert!(bulk_sign_off(&who, &parties(), "Mo").is_err(), "{who:?}");
        }
    }

    #[test]
    fn evidence_is_written_by_its_apprentice_and_reviewed_by_its_provider() {
        let apprentice = Actor {
            user_id: parties().apprentice_id,
            ..actor(Role::Apprentice, Some(EMPLOYER))
        };
        assert_eq!(write_evidence(&apprentice, &parties()), Ok(()));
        assert!(write_evidence(&tutor(), &parties()).is_err());
        assert_eq!(review_evidence(&tutor(), &parties()), Ok(()));
        assert!(review_evidence(&actor(Role::Provider, Some(OTHER_PROVIDER)), &parties()).is_err());
        assert!(review_evidence(&apprentice, &parties()).is_err());
    }

    #[test]
    fn queues_organisations_and_the_audit_trail_are_for_their_roles() {
        let mentor = actor(Role::Employer, Some(EMPLOYER));
        let apprentice = actor(Role::Apprentice, Some(EMPLOYER));
        for who in [admin(), tutor()] {
            assert_eq!(read_audit(&who), Ok(()));
            assert_eq!(list_organisations(&who), Ok(()));
            assert_eq!(read_review_queue(&who), Ok(()));
            assert_eq!(read_otj_queue(&who), Ok(()));
        }
        for who in [mentor, apprentice] {
            assert!(read_audit(&who).is_err());
            assert!(list_organisations(&who).is_err());
            assert!(read_review_queue(&who).is_err());
            assert!(read_otj_queue(&who).is_err());
        }
        assert_eq!(read_signoff_queue(&mentor), Ok(()));
        assert!(read_signoff_queue(&tutor()).is_err());
        assert!(create_organisation(&tutor()).is_err());
        assert!(issue_password_link(&tutor()).is_err());
        assert_eq!(import(&tutor()), Ok(()));
        assert!(import(&actor(Role::Employer, Some(EMPLOYER))).is_err());
        assert_eq!(issue_password_link(&admin()), Ok(()));
        assert_eq!(create_organisation(&admin()), Ok(()));
    }
    #[test]
    fn an_apprenticeship_is_changed_by_an_admin_or_its_providers_staff() {
        let fresh = standing(None, &[]);
        let theirs = standing(None, &[OTHER_PROVIDER]);
        assert_eq!(
            change_apprenticeship(&admin(), &parties(), Some(&theirs)),
            Ok(())
        );
        assert_eq!(change_apprenticeship(&tutor(), &parties(), None), Ok(()));
        assert_eq!(
            change_apprenticeship(&tutor(), &parties(), Some(&fresh)),
            Ok(())
        );
        assert!(change_apprenticeship(&tutor(), &parties(), Some(&theirs)).is_err());
        let other = actor(Role::Provider, Some(OTHER_PROVIDER));
        assert!(change_apprenticeship(&other, &parties(), None).is_err());
        let mentor = actor(Role::Employer, Some(EMPLOYER));
        assert!(change_apprenticeship(&mentor, &parties(), None).is_err());
        assert_eq!(set_standard_minimum(&admin()), Ok(()));
        assert!(set_standard_minimum(&tutor()).is_err());
    }

    #[test]
    fn otj_is_logged_by_the_apprentice_and_reviewed_by_the_provider() {
        let apprentice = Actor {
            user_id: parties().apprentice_id,
            ..actor(Role::Apprentice, Some(EMPLOYER))
        };
        assert_eq!(log_otj(&apprentice, &parties()), Ok(()));
        assert!(log_otj(&tutor(), &parties()).is_err());
        assert_eq!(review_otj(&tutor(), &parties()), Ok(()));
        assert!(review_otj(&apprentice, &parties()).is_err());
        assert!(review_otj(&admin(), &parties()).is_err());
        for decide in [write_review, manage_breaks] {
            assert_eq!(decide(&tutor(), &parties()), Ok(()));
            assert!(decide(&apprentice, &parties()).is_err());
            assert!(decide(&actor(Role::Employer, Some(EMPLOYER)), &parties()).is_err());
        }
    }

    #[test]
    fn each_party_signs_a_review_in_its_own_role_and_a_planted_mentor_cannot() {
        let apprentice = Actor {
            user_id: parties().apprentice_id,
            ..actor(Role::Apprentice, Some(EMPLOYER))
        };
        let mentor = actor(Role::Employer, Some(EMPLOYER));
        assert_eq!(
            sign_review(&apprentice, &parties()),
            Ok(ReviewParty::Apprentice)
        );
        assert_eq!(sign_review(&mentor, &parties()), Ok(ReviewParty::Employer));
        assert_eq!(sign_review(&tutor(), &parties()), Ok(ReviewParty::Provider));
        let planted = Actor {
            created_by_organisation_id: Some(PROVIDER),
            ..mentor
        };
        assert!(sign_review(&planted, &parties()).is_err());
        assert!(sign_review(&admin(), &parties()).is_err());
        assert!(sign_review(&actor(Role::Apprentice, Some(EMPLOYER)), &parties()).is_err());
    }

    #[test]
    fn a_portfolio_is_imported_by_provider_staff_with_a_mentor_open_to_their_provider() {
        assert_eq!(import_portfolio(&tutor(), None), Ok(()));
        assert_eq!(
            import_portfolio(&tutor(), Some(&standing(None, &[PROVIDER]))),
            Ok(())
        );
        assert!(import_portfolio(&tutor(), Some(&standing(None, &[OTHER_PROVIDER]))).is_err());
        assert!(import_portfolio(&admin(), None).is_err());
        assert!(import_portfolio(&actor(Role::Employer, Some(EMPLOYER)), None).is_err());
        assert!(import_portfolio(&actor(Role::Apprentice, Some(EMPLOYER)), None).is_err());
    }
}
