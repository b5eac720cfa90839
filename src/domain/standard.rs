//! An apprenticeship standard as a validated document: the shape every import is turned into
//! before anything touches the database.
//!
//! Two file shapes are read: ksbfolio's own (`data/standards/ST0220.json`) and the Skills England
//! (formerly IfATE) apprenticeship standards API. Both become a [`StandardDocument`], which is only
//! built when the whole file is consistent, so an import is all or nothing.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Knowledge, skill or behaviour. The code's letter says which (K, S, B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KsbKind {
    Knowledge,
    Skill,
    Behaviour,
}

impl KsbKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Knowledge => "knowledge",
            Self::Skill => "skill",
            Self::Behaviour => "behaviour",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "knowledge" => Some(Self::Knowledge),
            "skill" => Some(Self::Skill),
            "behaviour" => Some(Self::Behaviour),
            _ => None,
        }
    }

    fn letter(self) -> char {
        match self {
            Self::Knowledge => 'K',
            Self::Skill => 'S',
            Self::Behaviour => 'B',
        }
    }
}

/// Whether the duty ↔ KSB links come from the published table or were inferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MappingStatus {
    Provisional,
    Official,
}

impl MappingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Provisional => "provisional",
            Self::Official => "official",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "provisional" => Some(Self::Provisional),
            "official" => Some(Self::Official),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KsbDoc {
    pub code: String,
    pub kind: KsbKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyDoc {
    pub code: String,
    pub text: String,
    pub ksbs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub status: MappingStatus,
    pub note: String,
    /// Where the links came from (a file name, an API), kept as provenance.
    pub source: String,
}

/// A whole, consistent standard version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardDocument {
    pub reference: String,
    pub version: String,
    pub title: String,
    pub level: i32,
    pub source: Option<String>,
    pub mapping: Mapping,
    /// The published minimum of off-the-job training hours, where the record carries one.
    pub minimum_otj_hours: Option<i32>,
    pub duties: Vec<DutyDoc>,
    pub ksbs: Vec<KsbDoc>,
}

/// Every reason a file was refused, each a sentence naming the offending item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the standard file was refused:\n  - {}", .0.join("\n  - "))]
pub struct DocumentErrors(pub Vec<String>);

impl StandardDocument {
    /// Checks the rules every standard obeys; collects all failures rather than stopping at one.
    pub fn validate(&self) -> Result<(), DocumentErrors> {
        let mut errors = Vec::new();
        if !is_reference(&self.reference) {
            errors.push(format!(
                "reference `{}` is not of the form ST0000",
                self.reference
            ));
        }
        if let Some(hours) = self.minimum_otj_hours
            && !(1..=crate::domain::otj::MAX_PLAN_HOURS).contains(&hours)
        {
            errors.push(format!(
                "minimum_otj_hours {hours} is not between 1 and {}",
                crate::domain::otj::MAX_PLAN_HOURS
            ));
        }
        if !is_version(&self.version) {
            errors.push(format!(
                "version `{}` is not of the form 1.2 (digits and dots)",
                self.version
            ));
        }
        if self.title.trim().is_empty() {
            errors.push("title is empty".into());
        }
        if !(1..=8).contains(&self.level) {
            errors.push(format!("level {} is not between 1 and 8", self.level));
        }
        if self.duties.is_empty() {
            errors.push("the standard has no duties".into());
        }
        if self.ksbs.is_empty() {
            errors.push("the standard has no KSBs".into());
        }

        let mut ksb_codes = HashSet::new();
        for ksb in &self.ksbs {
            if !ksb_codes.insert(ksb.code.as_str()) {
                errors.push(format!("KSB {} appears more than once", ksb.code));
            }
            if !is_code(&ksb.code, ksb.kind.letter()) {
                errors.push(format!(
                    "KSB code `{}` does not match its kind {}",
                    ksb.code,
                    ksb.kind.as_str()
                ));
            }
            if ksb.text.trim().is_empty() {
                errors.push(format!("KSB {} has no text", ksb.code));
            }
        }

        let mut duty_codes = HashSet::new();
        let mut linked = HashSet::new();
        for duty in &self.duties {
            if !duty_codes.insert(duty.code.as_str()) {
                errors.push(format!("duty {} appears more than once", duty.code));
            }
            if !is_code(&duty.code, 'D') {
                errors.push(format!("duty code `{}` is not of the form D1", duty.code));
            }
            if duty.text.trim().is_empty() {
                errors.push(format!("duty {} has no text", duty.code));
            }
            let mut seen = HashSet::new();
            for code in &duty.ksbs {
                if !ksb_codes.contains(code.as_str()) {
                    errors.push(format!("duty {} lists unknown KSB `{code}`", duty.code));
                } else if !seen.insert(code.as_str()) {
                    errors.push(format!("duty {} lists KSB {code} twice", duty.code));
                }
                linked.insert(code.as_str());
            }
        }
        for ksb in &self.ksbs {
            if !linked.contains(ksb.code.as_str()) {
                errors.push(format!("KSB {} is in no duty", ksb.code));
            }
        }

        if errors.is_empty() {
            Ok(())
        } else {
            Err(DocumentErrors(errors))
        }
    }

    /// The links as (duty code, KSB code) pairs, for comparing two mappings.
    pub fn links(&self) -> BTreeSet<(String, String)> {
        self.duties
            .iter()
            .flat_map(|d| d.ksbs.iter().map(|k| (d.code.clone(), k.clone())))
            .collect()
    }

    /// KSB code → (kind, text), for comparing a re-import with what is stored.
    pub fn ksb_texts(&self) -> HashMap<&str, (KsbKind, &str)> {
        self.ksbs
            .iter()
            .map(|k| (k.code.as_str(), (k.kind, k.text.as_str())))
            .collect()
    }
}

fn is_reference(value: &str) -> bool {
    value.len() == 6 && value.starts_with("ST") && value[2..].chars().all(|c| c.is_ascii_digit())
}

fn is_version(value: &str) -> bool {
    !value.is_empty()
        && value
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

fn is_code(value: &str, letter: char) -> bool {
    let mut chars = value.chars();
    chars.next() == Some(letter)
        && value.len() > 1
        && chars.all(|c| c.is_ascii_digit())
        && !value[1..].starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    const ST0220: &str = include_str!("../../data/standards/ST0220.json");

    #[test]
    fn the_bundled_st0220_file_is_valid_and_complete() {
        let doc = StandardDocument::from_json(ST0220, "bundled").expect("valid");
        let count = |kind| doc.ksbs.iter().filter(|k| k.kind == kind).count();
        assert_eq!(count(KsbKind::Knowledge), 44);
        assert_eq!(count(KsbKind::Skill), 44);
        assert_eq!(count(KsbKind::Behaviour), 6);
        assert_eq!(doc.duties.len(), 10);
        assert_eq!(doc.mapping.status, MappingStatus::Provisional);
    }

    #[test]
    fn an_unknown_ksb_in_a_duty_is_named() {
        let mut doc = StandardDocument::from_json(ST0220, "bundled").expect("valid");
        doc.duties[0].ksbs.push("K99".into());
        let errors = doc.validate().expect_err("refused");
        assert!(
            errors
                .0
                .contains(&"duty D1 lists unknown KSB `K99`".to_string())
        );
    }

    #[test]
    fn a_ksb_in_no_duty_is_named() {
        let mut doc = StandardDocument::from_json(ST0220, "bundled").expect("valid");
        for duty in &mut doc.duties {
            duty.ksbs.retain(|k| k != "B5");
        }
        let errors = doc.validate().expect_err("refused");
        assert_eq!(errors.0, vec!["KSB B5 is in no duty".to_string()]);
    }

    #[test]
    fn duplicate_codes_are_named() {
        let mut doc = StandardDocument::from_json(ST0220, "bundled").expect("valid");
        let copy = doc.ksbs[3].clone();
        doc.ksbs.push(copy);
        let errors = doc.validate().expect_err("refused");
        assert!(
            errors
                .0
                .contains(&"KSB K4 appears more than once".to_string())
        );
    }

    #[test]
    fn codes_must_agree_with_kinds() {
        assert!(is_code("K12", 'K'));
        assert!(!is_code("K0", 'K'));
        assert!(!is_code("K", 'K'));
        assert!(!is_code("S1", 'K'));
        assert!(!is_code("K1a", 'K'));
    }
}
