//! Who is who: roles, organisation kinds, and validated e-mail addresses, names and passwords.

use super::labels::labelled_enum;

labelled_enum! {
    /// What a user is to the platform.
    pub enum Role {
        /// Platform administrator; belongs to no organisation.
        Admin => "admin",
        /// Training provider staff: tutors and assessors.
        Provider => "provider",
        /// Workplace mentors and managers.
        Employer => "employer",
        /// An apprentice; belongs to an employer organisation.
        Apprentice => "apprentice",
    }
}

impl Role {
    /// The kind of organisation a user of this role belongs to (`None` for admins).
    pub fn organisation_kind(self) -> Option<OrganisationKind> {
        match self {
            Self::Admin => None,
            Self::Provider => Some(OrganisationKind::Provider),
            Self::Employer | Self::Apprentice => Some(OrganisationKind::Employer),
        }
    }
}

labelled_enum! {
    pub enum OrganisationKind {
        /// A training provider (college, university, private provider).
        Provider => "provider",
        /// An employer (an NHS trust, a laboratory).
        Employer => "employer",
    }
}

labelled_enum! {
    /// How a session was signed in.
    pub enum SignInMethod {
        Password => "password",
        /// A passwordless sign-in link from an e-mail.
        Link => "link",
    }
}

/// An e-mail address, trimmed; compared without regard to case (the database index agrees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        let value = value.trim();
        if value.len() < 3 || value.len() > 254 {
            return Err("must be between 3 and 254 characters");
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err("must be an e-mail address such as name@example.nhs.uk");
        };
        if local.is_empty()
            || domain.is_empty()
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || value.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err("must be an e-mail address such as name@example.nhs.uk");
        }
        Ok(Self(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's or organisation's display name: trimmed, 1–200 characters.
pub fn parse_name(value: &str) -> Result<String, &'static str> {
    let value = value.trim();
    match value.chars().count() {
        0 => Err("must not be empty"),
        1..=200 => Ok(value.to_string()),
        _ => Err("must be at most 200 characters"),
    }
}

/// A new password: 12 to 256 characters (NCSC and OWASP favour length over composition rules).
pub fn check_password(password: &str) -> Result<(), &'static str> {
    match password.chars().count() {
        0..=11 => Err("must be at least 12 characters"),
        12..=256 => Ok(()),
        _ => Err("must be at most 256 characters"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_checked() {
        assert_eq!(Email::parse("  a@b.uk ").map(|e| e.0), Ok("a@b.uk".into()));
        assert!(Email::parse("no-at-sign").is_err());
        assert!(Email::parse("a@nodot").is_err());
        assert!(Email::parse("a b@c.uk").is_err());
    }

    #[test]
    fn passwords_are_12_to_256_characters() {
        assert!(check_password("short").is_err());
        assert!(check_password("exactly12chr").is_ok());
        assert!(check_password(&"x".repeat(256)).is_ok());
        assert!(check_password(&"x".repeat(257)).is_err());
    }

    #[test]
    fn roles_belong_to_the_right_kind_of_organisation() {
        assert_eq!(Role::Admin.organisation_kind(), None);
        assert_eq!(
            Role::Apprentice.organisation_kind(),
            Some(OrganisationKind::Employer)
        );
        assert_eq!(
            Role::Provider.organisation_kind(),
            Some(OrganisationKind::Provider)
        );
    }
}
