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
}

/// Which apprenticeships a caller sees (also used to build the SQL filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprenticeshipScope {
    All,
    Apprentice(Uuid),
    Employer(Uuid),
    Provider(Uuid),
    /// A user whose organisation is missing sees nothing (defensive: the schema forbids it).
    Nothing,
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

    pub fn can_see_apprenticeship(&self, parties: &ApprenticeshipParties) -> bool {
        match self.apprenticeship_scope() {
            ApprenticeshipScope::All => true,
            ApprenticeshipScope::Apprentice(id) => parties.apprentice_id == id,
            ApprenticeshipScope::Employer(org) => parties.employer_id == org,
            ApprenticeshipScope::Provider(org) => parties.provider_id == org,
            ApprenticeshipScope::Nothing => false,
        }
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
        };
        let other = ApprenticeshipParties {
            apprentice_id: Uuid::from_u128(2),
            employer_id: Uuid::from_u128(11),
            provider_id: Uuid::from_u128(21),
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
}
