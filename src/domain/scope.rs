//! Who may see what: the scope rules, as pure functions over an [`Actor`].
//!
//! Anything outside a caller's scope is reported as not found (404), never as forbidden, so that
//! identifiers leak nothing. Inside the scope, an action the role may not take is forbidden (403).

use uuid::Uuid;

use super::identity::Role;

/// The authenticated caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Uuid,
    pub role: Role,
    pub organisation_id: Option<Uuid>,
    /// The provider organisation whose staff created this user, if any (see `domain::policy`).
    pub created_by_organisation_id: Option<Uuid>,
}

/// The parties of one apprenticeship, enough to decide who may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApprenticeshipParties {
    pub apprentice_id: Uuid,
    pub employer_id: Uuid,
    pub provider_id: Uuid,
    /// The workplace mentor responsible: the one person who signs off its KSBs.
    pub mentor_id: Uuid,
    /// The tutor responsible (any staff of the provider may still review: cover is normal).
    pub tutor_id: Uuid,
}

/// Which apprenticeships a caller sees (also used to build the SQL filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprenticeshipScope {
    All,
    Apprentice(Uuid),
    Employer(Uuid),
    Provider(Uuid),
    /// The apprenticeships this member of provider staff is the tutor of ("mine").
    TutoredBy(Uuid),
    /// The apprenticeships this employer user is the mentor of ("mine").
    MentoredBy(Uuid),
    /// A user whose organisation is missing sees nothing (defensive: the schema forbids it).
    Nothing,
}

/// Which of the visible apprenticeships a list shows: the caller's own (where they are the
/// tutor or the mentor), or their whole organisation's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListScope {
    /// Where the caller is the tutor or the mentor (the default).
    #[default]
    Mine,
    /// Everything of the caller's organisation.
    Organisation,
}

impl ApprenticeshipScope {
    /// Whether an apprenticeship with these parties is in the scope.
    pub fn includes(self, parties: &ApprenticeshipParties) -> bool {
        match self {
            Self::All => true,
            Self::Apprentice(id) => parties.apprentice_id == id,
            Self::Employer(org) => parties.employer_id == org,
            Self::Provider(org) => parties.provider_id == org,
            Self::TutoredBy(id) => parties.tutor_id == id,
            Self::MentoredBy(id) => parties.mentor_id == id,
            Self::Nothing => false,
        }
    }
}

impl Actor {
    pub fn apprenticeship_scope(&self) -> ApprenticeshipScope {
        match (self.role, self.organisation_id) {
            (Role::Admin, _) => ApprenticeshipScope::All,
            (Role::Apprentice, _) => ApprenticeshipScope::Apprentice(self.user_id),
            (Role::Employer, Some(org)) => ApprenticeshipScope::Employer(org),
            (Role::Provider, Some(org)) => ApprenticeshipScope::Provider(org),
            (_, None) => ApprenticeshipScope::Nothing,
        }
    }

    /// The apprenticeships a list shows for `which`. Tutors' and mentors' own are those they are
    /// responsible for; administrators and apprentices have no narrower "mine" than what they
    /// see.
    pub fn list_scope(&self, which: ListScope) -> ApprenticeshipScope {
        match (which, self.role) {
            (ListScope::Mine, Role::Provider) => ApprenticeshipScope::TutoredBy(self.user_id),
            (ListScope::Mine, Role::Employer) => ApprenticeshipScope::MentoredBy(self.user_id),
            _ => self.apprenticeship_scope(),
        }
    }

    pub fn can_see_apprenticeship(&self, parties: &ApprenticeshipParties) -> bool {
        self.apprenticeship_scope().includes(parties)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Provider staff of exactly this provider organisation.
    pub fn is_staff_of(&self, provider_id: Uuid) -> bool {
        self.role == Role::Provider && self.organisation_id == Some(provider_id)
    }

    /// An employer user of exactly this employer organisation.
    pub fn is_employer_of(&self, employer_id: Uuid) -> bool {
        self.role == Role::Employer && self.organisation_id == Some(employer_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, org: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(1),
            role,
            organisation_id: org,
            created_by_organisation_id: None,
        }
    }

    #[test]
    fn each_role_sees_only_its_own_apprenticeships() {
        let employer = Uuid::from_u128(10);
        let provider = Uuid::from_u128(20);
        let mine = ApprenticeshipParties {
            apprentice_id: Uuid::from_u128(1),
            employer_id: employer,
            provider_id: provider,
            mentor_id: Uuid::from_u128(3),
            tutor_id: Uuid::from_u128(4),
        };
        let other = ApprenticeshipParties {
            apprentice_id: Uuid::from_u128(2),
            employer_id: Uuid::from_u128(11),
            provider_id: Uuid::from_u128(21),
            mentor_id: Uuid::from_u128(5),
            tutor_id: Uuid::from_u128(6),
        };
        for (who, sees_mine) in [
            (actor(Role::Admin, None), true),
            (actor(Role::Apprentice, Some(employer)), true),
            (actor(Role::Employer, Some(employer)), true),
            (actor(Role::Provider, Some(provider)), true),
            (actor(Role::Provider, Some(employer)), false),
        ] {
            assert_eq!(who.can_see_apprenticeship(&mine), sees_mine, "{who:?}");
            assert_eq!(
                who.can_see_apprenticeship(&other),
                who.is_admin(),
                "{who:?}"
            );
        }
    }

    #[test]
    fn mine_is_where_the_caller_is_tutor_or_mentor_and_organisation_is_all_they_see() {
        let provider = Uuid::from_u128(20);
        let parties = |tutor, mentor| ApprenticeshipParties {
            apprentice_id: Uuid::from_u128(2),
            employer_id: Uuid::from_u128(10),
            provider_id: provider,
            mentor_id: Uuid::from_u128(mentor),
            tutor_id: Uuid::from_u128(tutor),
        };
        let tutor = actor(Role::Provider, Some(provider));
        let mine = tutor.list_scope(ListScope::Mine);
        assert!(mine.includes(&parties(1, 9)));
        assert!(!mine.includes(&parties(7, 9)));
        assert!(
            tutor
                .list_scope(ListScope::Organisation)
                .includes(&parties(7, 9))
        );
        let mentor = actor(Role::Employer, Some(Uuid::from_u128(10)));
        assert!(mentor.list_scope(ListScope::Mine).includes(&parties(7, 1)));
        assert!(!mentor.list_scope(ListScope::Mine).includes(&parties(7, 9)));
        let admin = actor(Role::Admin, None);
        assert_eq!(admin.list_scope(ListScope::Mine), ApprenticeshipScope::All);
    }
}
