//! The gateway: the point where the training provider, the apprentice and the employer declare
//! the apprentice ready for end-point assessment. Readiness is computed from the portfolio's
//! data (never ticked by hand), declarations follow a fixed order, and each one attests a hash
//! of what it declared on.
//!
//! Sources of the checks: the apprenticeship standard (every knowledge, skill and behaviour
//! evidenced; skills and behaviours confirmed by the employer), the apprenticeship funding rules
//! (the planned off-the-job training delivered; progress reviews held every 3 calendar months
//! and signed; English and maths achieved or exempt before gateway).

use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use super::coverage::KsbStatus;
use super::labels::labelled_enum;
use super::review::{ReviewParty, ReviewState};
use super::standard::KsbKind;

labelled_enum! {
    /// One gateway check.
    pub enum GatewayCheckCode {
        /// Every KSB of the standard has accepted evidence.
        AllKsbsEvidenced => "all_ksbs_evidenced",
        /// Every skill and behaviour is signed off by the employer.
        SkillsBehavioursSignedOff => "skills_behaviours_signed_off",
        /// Approved off-the-job minutes reach the plan.
        OtjPlanMet => "otj_plan_met",
        /// No progress review overdue, none unsigned.
        ReviewsCurrent => "reviews_current",
        /// English and maths each achieved or exempt.
        EnglishMaths => "english_maths",
    }
}

labelled_enum! {
    /// Where an apprenticeship stands with respect to the gateway.
    pub enum GatewayState {
        /// At least one check is not met, and not every party has declared.
        OnProgramme => "on_programme",
        /// Every check is met; the declarations are open.
        Ready => "ready",
        /// All three parties have declared on the current portfolio: it is frozen.
        Declared => "declared",
    }
}

labelled_enum! {
    /// English or maths as provider staff record it.
    pub enum FunctionalSkillStatus {
        Pending => "pending",
        Achieved => "achieved",
        Exempt => "exempt",
    }
}

impl FunctionalSkillStatus {
    fn is_settled(self) -> bool {
        matches!(self, Self::Achieved | Self::Exempt)
    }
}

/// One KSB as the checks see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KsbFact {
    pub code: String,
    pub kind: KsbKind,
    pub status: KsbStatus,
}

/// The facts the readiness rules read: every KSB of the apprenticeship's standard version (in
/// catalogue order), the kept OTJ and review figures, and the English and maths record.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadinessFacts {
    pub ksbs: Vec<KsbFact>,
    /// `None` until an OTJ plan is set.
    pub planned_otj_minutes: Option<i64>,
    pub approved_otj_minutes: i64,
    pub review_state: ReviewState,
    pub next_review_due_by: Option<chrono::NaiveDate>,
    pub unsigned_reviews: i32,
    pub english: FunctionalSkillStatus,
    pub maths: FunctionalSkillStatus,
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GatewayCheck {
    pub code: GatewayCheckCode,
    pub met: bool,
    /// What is missing, in words a tutor would use (or what was found, when met).
    pub detail: String,
    /// The missing items: KSB codes, or `english` / `maths`; empty when met or when the check
    /// has no items to list.
    pub missing: Vec<String>,
}

/// At most this many codes are written out in a detail; `missing` always lists them all.
const CODES_IN_DETAIL: usize = 10;

fn code_list(codes: &[String]) -> String {
    let shown = codes
        .iter()
        .take(CODES_IN_DETAIL)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    match codes.len().saturating_sub(CODES_IN_DETAIL) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A time in words: "187 hours", "1 hour 30 minutes", "59 minutes".
fn duration_words(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let unit = |n: i64, one: &str, many: &str| plural(usize::try_from(n).unwrap_or(0), one, many);
    match (h, m) {
        (0, m) => unit(m, "minute", "minutes"),
        (h, 0) => unit(h, "hour", "hours"),
        (h, m) => format!(
            "{} {}",
            unit(h, "hour", "hours"),
            unit(m, "minute", "minutes")
        ),
    }
}

fn all_ksbs_evidenced(facts: &ReadinessFacts) -> GatewayCheck {
    let missing: Vec<String> = facts
        .ksbs
        .iter()
        .filter(|k| !matches!(k.status, KsbStatus::Evidenced | KsbStatus::SignedOff))
        .map(|k| k.code.clone())
        .collect();
    let total = facts.ksbs.len();
    let detail = if missing.is_empty() {
        format!("All {total} KSBs of the standard have accepted evidence.")
    } else {
        format!(
            "{} of the {total} KSBs {} no accepted evidence yet: {}.",
            missing.len(),
            if missing.len() == 1 { "has" } else { "have" },
            code_list(&missing)
        )
    };
    GatewayCheck {
        code: GatewayCheckCode::AllKsbsEvidenced,
        met: missing.is_empty(),
        detail,
        missing,
    }
}

fn skills_behaviours_signed_off(facts: &ReadinessFacts) -> GatewayCheck {
    let skills_and_behaviours: Vec<&KsbFact> = facts
        .ksbs
        .iter()
        .filter(|k| matches!(k.kind, KsbKind::Skill | KsbKind::Behaviour))
        .collect();
    let missing: Vec<String> = skills_and_behaviours
        .iter()
        .filter(|k| k.status != KsbStatus::SignedOff)
        .map(|k| k.code.clone())
        .collect();
    let total = skills_and_behaviours.len();
    let detail = if missing.is_empty() {
        format!("The employer has signed off all {total} skills and behaviours.")
    } else {
        format!(
            "The employer has not yet signed off {} of the {total} skills and behaviours: {}.",
            missing.len(),
            code_list(&missing)
        )
    };
    GatewayCheck {
        code: GatewayCheckCode::SkillsBehavioursSignedOff,
        met: missing.is_empty(),
        detail,
        missing,
    }
}

fn otj_plan_met(facts: &ReadinessFacts) -> GatewayCheck {
    let approved = facts.approved_otj_minutes;
    let (met, detail) = match facts.planned_otj_minutes {
        None => (
            false,
            "No off-the-job training plan has been set yet; provider staff set the planned hours \
             on the apprenticeship."
                .to_string(),
        ),
        Some(planned) if approved >= planned => (
            true,
            format!(
                "{} of off-the-job training approved against the {} planned.",
                duration_words(approved),
                duration_words(planned)
            ),
        ),
        Some(planned) => (
            false,
            format!(
                "{} of off-the-job training approved against the {} planned; {} more to be \
                 logged and approved.",
                duration_words(approved),
                duration_words(planned),
                duration_words(planned - approved)
            ),
        ),
    };
    GatewayCheck {
        code: GatewayCheckCode::OtjPlanMet,
        met,
        detail,
        missing: Vec::new(),
    }
}

fn reviews_current(facts: &ReadinessFacts) -> GatewayCheck {
    let mut problems = Vec::new();
    if facts.review_state == ReviewState::Overdue {
        problems.push(match facts.next_review_due_by {
            Some(due) => format!(
                "the progress review due by {} is overdue",
                due.format("%-d %B %Y")
            ),
            None => "a progress review is overdue".to_string(),
        });
    }
    if facts.unsigned_reviews > 0 {
        let n = usize::try_from(facts.unsigned_reviews).unwrap_or(usize::MAX);
        problems.push(format!(
            "{} not yet signed by all three parties",
            plural(n, "progress review is", "progress reviews are")
        ));
    }
    let detail = if problems.is_empty() {
        "Progress reviews are up to date and every review is signed.".to_string()
    } else {
        let mut sentence = problems.join("; and ");
        if let Some(first) = sentence.get(..1) {
            sentence = first.to_uppercase() + &sentence[1..];
        }
        format!("{sentence}.")
    };
    GatewayCheck {
        code: GatewayCheckCode::ReviewsCurrent,
        met: problems.is_empty(),
        detail,
        missing: Vec::new(),
    }
}

fn english_maths(facts: &ReadinessFacts) -> GatewayCheck {
    let mut missing = Vec::new();
    if !facts.english.is_settled() {
        missing.push("english".to_string());
    }
    if !facts.maths.is_settled() {
        missing.push("maths".to_string());
    }
    let detail = match (facts.english.is_settled(), facts.maths.is_settled()) {
        (true, true) => format!(
            "English is {} and maths is {}.",
            facts.english.as_str(),
            facts.maths.as_str()
        ),
        (false, false) => "English and maths are still pending; provider staff record each as \
                           achieved or exempt."
            .to_string(),
        (false, true) => {
            "English is still pending; provider staff record it as achieved or exempt.".to_string()
        }
        (true, false) => {
            "Maths is still pending; provider staff record it as achieved or exempt.".to_string()
        }
    };
    GatewayCheck {
        code: GatewayCheckCode::EnglishMaths,
        met: missing.is_empty(),
        detail,
        missing,
    }
}

/// Every check, in the order of [`GatewayCheckCode::ALL`].
pub fn checks(facts: &ReadinessFacts) -> Vec<GatewayCheck> {
    vec![
        all_ksbs_evidenced(facts),
        skills_behaviours_signed_off(facts),
        otj_plan_met(facts),
        reviews_current(facts),
        english_maths(facts),
    ]
}

/// The codes of the checks not met.
pub fn unmet(checks: &[GatewayCheck]) -> Vec<GatewayCheckCode> {
    checks.iter().filter(|c| !c.met).map(|c| c.code).collect()
}

/// The order in which the parties declare: the provider vouches first, the apprentice agrees,
/// the employer confirms last.
pub const DECLARATION_ORDER: [ReviewParty; 3] = [
    ReviewParty::Provider,
    ReviewParty::Apprentice,
    ReviewParty::Employer,
];

/// A declaration as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationFact {
    pub role: ReviewParty,
    pub signer_name: String,
    pub content_sha256: String,
}

/// Declarations that still count: live (not voided) and made on the portfolio as it is now.
pub fn current<'a>(
    live: &'a [DeclarationFact],
    content_sha256: &str,
) -> impl Iterator<Item = &'a DeclarationFact> + 'a {
    let content = content_sha256.to_string();
    live.iter().filter(move |d| d.content_sha256 == content)
}

/// `declared` when every party has a current declaration; else `ready` when every check is met.
pub fn state(
    checks: &[GatewayCheck],
    live: &[DeclarationFact],
    content_sha256: &str,
) -> GatewayState {
    let declared = DECLARATION_ORDER
        .iter()
        .all(|role| current(live, content_sha256).any(|d| d.role == *role));
    if declared {
        GatewayState::Declared
    } else if checks.iter().all(|c| c.met) {
        GatewayState::Ready
    } else {
        GatewayState::OnProgramme
    }
}

/// Why a declaration is refused (409).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayConflict {
    #[error("The apprentice is not ready for gateway: {} not met.", .0.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))]
    NotReady(Vec<GatewayCheckCode>),
    #[error("The {expected} declares first; then the {role} can declare.")]
    OutOfOrder {
        expected: &'static str,
        role: &'static str,
    },
    #[error("{name} has already declared for the {role}; each party declares once.")]
    AlreadyDeclared { role: &'static str, name: String },
}

fn party_name(role: ReviewParty) -> &'static str {
    match role {
        ReviewParty::Provider => "training provider",
        ReviewParty::Apprentice => "apprentice",
        ReviewParty::Employer => "employer",
    }
}

/// Whether `role` may declare now, given the checks and the declarations that are current.
/// Declarations made on an earlier portfolio do not count (the caller voids them).
pub fn check_declare(
    checks: &[GatewayCheck],
    live: &[DeclarationFact],
    content_sha256: &str,
    role: ReviewParty,
) -> Result<(), GatewayConflict> {
    let not_met = unmet(checks);
    if !not_met.is_empty() {
        return Err(GatewayConflict::NotReady(not_met));
    }
    if let Some(done) = current(live, content_sha256).find(|d| d.role == role) {
        return Err(GatewayConflict::AlreadyDeclared {
            role: party_name(role),
            name: done.signer_name.clone(),
        });
    }
    let expected = DECLARATION_ORDER
        .iter()
        .copied()
        .find(|r| !current(live, content_sha256).any(|d| d.role == *r));
    match expected {
        Some(expected) if expected != role => Err(GatewayConflict::OutOfOrder {
            expected: party_name(expected),
            role: party_name(role),
        }),
        _ => Ok(()),
    }
}

/// One evidence item in the portfolio index a declaration attests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexedEvidence {
    pub id: Uuid,
    /// The evidence's revision number.
    pub revision: i32,
}

/// Names the format, so a later change of the canonical form cannot match an old hash.
const DECLARATION_FORMAT: &[u8] = b"ksbfolio-gateway-declaration-v1\n";

#[derive(Serialize)]
struct DeclarationContent<'a> {
    apprenticeship_id: Uuid,
    checks: Vec<(&'static str, bool)>,
    evidence: &'a [IndexedEvidence],
}

/// The SHA-256 (lower-case hex) of what a declaration attests: the readiness result (each
/// check's code and whether it is met) and the portfolio index (every evidence id with its
/// current revision, sorted by id), in a fixed canonical JSON form after a format line.
pub fn declaration_sha256(
    apprenticeship_id: Uuid,
    checks: &[GatewayCheck],
    evidence: &[IndexedEvidence],
) -> String {
    let mut sorted = evidence.to_vec();
    sorted.sort_unstable_by_key(|e| e.id);
    let content = DeclarationContent {
        apprenticeship_id,
        checks: checks.iter().map(|c| (c.code.as_str(), c.met)).collect(),
        evidence: &sorted,
    };
    let mut bytes = DECLARATION_FORMAT.to_vec();
    // Uuids, integers, strings and booleans always serialise.
    bytes.extend(serde_json::to_vec(&content).unwrap_or_default());
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::labels::assert_labels_are_serde_names;

    fn ksb(code: &str, status: KsbStatus) -> KsbFact {
        let kind = match code.chars().next() {
            Some('K') => KsbKind::Knowledge,
            Some('S') => KsbKind::Skill,
            _ => KsbKind::Behaviour,
        };
        KsbFact {
            code: code.into(),
            kind,
            status,
        }
    }

    fn ready_facts() -> ReadinessFacts {
        ReadinessFacts {
            ksbs: vec![
                ksb("K1", KsbStatus::Evidenced),
                ksb("K2", KsbStatus::SignedOff),
                ksb("S1", KsbStatus::SignedOff),
                ksb("B1", KsbStatus::SignedOff),
            ],
            planned_otj_minutes: Some(187 * 60),
            approved_otj_minutes: 187 * 60,
            review_state: ReviewState::OnTime,
            next_review_due_by: None,
            unsigned_reviews: 0,
            english: FunctionalSkillStatus::Achieved,
            maths: FunctionalSkillStatus::Exempt,
        }
    }

    fn check(facts: &ReadinessFacts, code: GatewayCheckCode) -> GatewayCheck {
        checks(facts)
            .into_iter()
            .find(|c| c.code == code)
            .expect("every check is computed")
    }

    #[test]
    fn labels_are_the_serde_names() {
        assert_labels_are_serde_names(GatewayCheckCode::ALL, |v| v.as_str());
        assert_labels_are_serde_names(GatewayState::ALL, |v| v.as_str());
        assert_labels_are_serde_names(FunctionalSkillStatus::ALL, |v| v.as_str());
    }

    #[test]
    fn a_complete_portfolio_meets_every_check_in_order() {
        let all = checks(&ready_facts());
        let codes: Vec<_> = all.iter().map(|c| c.code).collect();
        assert_eq!(codes, GatewayCheckCode::ALL);
        assert!(all.iter().all(|c| c.met && c.missing.is_empty()), "{all:?}");
        assert_eq!(state(&all, &[], "h"), GatewayState::Ready);
    }

    #[test]
    fn ksbs_without_accepted_evidence_are_listed() {
        let mut facts = ready_facts();
        facts.ksbs[0].status = KsbStatus::InProgress;
        facts.ksbs.push(ksb("K3", KsbStatus::NotStarted));
        let c = check(&facts, GatewayCheckCode::AllKsbsEvidenced);
        assert!(!c.met);
        assert_eq!(c.missing, ["K1", "K3"]);
        assert_eq!(
            c.detail,
            "2 of the 5 KSBs have no accepted evidence yet: K1, K3."
        );
        assert_eq!(state(&checks(&facts), &[], "h"), GatewayState::OnProgramme);
    }

    #[test]
    fn a_long_list_is_shortened_in_the_detail_but_not_in_missing() {
        let mut facts = ready_facts();
        facts.ksbs = (1..=12)
            .map(|n| ksb(&format!("K{n}"), KsbStatus::NotStarted))
            .collect();
        let c = check(&facts, GatewayCheckCode::AllKsbsEvidenced);
        assert_eq!(c.missing.len(), 12);
        assert!(c.detail.ends_with("K9, K10 and 2 more."), "{}", c.detail);
    }

    #[test]
    fn knowledge_needs_no_sign_off_but_skills_and_behaviours_do() {
        let mut facts = ready_facts();
        facts.ksbs[2].status = KsbStatus::Evidenced;
        let c = check(&facts, GatewayCheckCode::SkillsBehavioursSignedOff);
        assert!(!c.met);
        assert_eq!(c.missing, ["S1"]);
        assert_eq!(
            c.detail,
            "The employer has not yet signed off 1 of the 2 skills and behaviours: S1."
        );
        // K1 is evidenced but not signed off, and that is enough for knowledge.
        assert!(check(&facts, GatewayCheckCode::AllKsbsEvidenced).met);
    }

    #[test]
    fn off_the_job_time_must_reach_the_plan_to_the_minute() {
        let mut facts = ready_facts();
        facts.approved_otj_minutes = 187 * 60 - 1;
        let c = check(&facts, GatewayCheckCode::OtjPlanMet);
        assert!(!c.met);
        assert_eq!(
            c.detail,
            "186 hours 59 minutes of off-the-job training approved against the 187 hours \
             planned; 1 minute more to be logged and approved."
        );
        facts.approved_otj_minutes = 187 * 60 + 30;
        assert!(check(&facts, GatewayCheckCode::OtjPlanMet).met);
        facts.planned_otj_minutes = None;
        let c = check(&facts, GatewayCheckCode::OtjPlanMet);
        assert!(!c.met);
        assert!(c.detail.starts_with("No off-the-job training plan"));
    }

    #[test]
    fn an_overdue_or_unsigned_review_blocks_the_gateway() {
        let mut facts = ready_facts();
        facts.review_state = ReviewState::Overdue;
        facts.next_review_due_by = chrono::NaiveDate::from_ymd_opt(2026, 11, 30);
        let c = check(&facts, GatewayCheckCode::ReviewsCurrent);
        assert!(!c.met);
        assert_eq!(
            c.detail,
            "The progress review due by 30 November 2026 is overdue."
        );
        facts.unsigned_reviews = 2;
        assert_eq!(
            check(&facts, GatewayCheckCode::ReviewsCurrent).detail,
            "The progress review due by 30 November 2026 is overdue; and 2 progress reviews are \
             not yet signed by all three parties."
        );
        facts.review_state = ReviewState::DueSoon;
        facts.unsigned_reviews = 1;
        assert_eq!(
            check(&facts, GatewayCheckCode::ReviewsCurrent).detail,
            "1 progress review is not yet signed by all three parties."
        );
        facts.unsigned_reviews = 0;
        assert!(
            check(&facts, GatewayCheckCode::ReviewsCurrent).met,
            "due soon is not overdue"
        );
    }

    #[test]
    fn english_and_maths_must_each_be_achieved_or_exempt() {
        let mut facts = ready_facts();
        facts.maths = FunctionalSkillStatus::Pending;
        let c = check(&facts, GatewayCheckCode::EnglishMaths);
        assert_eq!(
            (c.met, c.missing.clone()),
            (false, vec!["maths".to_string()])
        );
        assert!(c.detail.starts_with("Maths is still pending"));
        facts.english = FunctionalSkillStatus::Pending;
        assert_eq!(
            check(&facts, GatewayCheckCode::EnglishMaths).missing,
            ["english", "maths"]
        );
    }

    fn declared(role: ReviewParty, sha: &str) -> DeclarationFact {
        DeclarationFact {
            role,
            signer_name: format!("{} person", role.as_str()),
            content_sha256: sha.into(),
        }
    }

    #[test]
    fn declarations_go_provider_then_apprentice_then_employer() {
        let ready = checks(&ready_facts());
        assert_eq!(
            check_declare(&ready, &[], "h", ReviewParty::Provider),
            Ok(())
        );
        assert_eq!(
            check_declare(&ready, &[], "h", ReviewParty::Employer),
            Err(GatewayConflict::OutOfOrder {
                expected: "training provider",
                role: "employer"
            })
        );
        let one = [declared(ReviewParty::Provider, "h")];
        assert_eq!(
            check_declare(&ready, &one, "h", ReviewParty::Apprentice),
            Ok(())
        );
        assert!(matches!(
            check_declare(&ready, &one, "h", ReviewParty::Provider),
            Err(GatewayConflict::AlreadyDeclared { .. })
        ));
        assert!(matches!(
            check_declare(&ready, &one, "h", ReviewParty::Employer),
            Err(GatewayConflict::OutOfOrder {
                expected: "apprentice",
                ..
            })
        ));
        let two = [
            declared(ReviewParty::Provider, "h"),
            declared(ReviewParty::Apprentice, "h"),
        ];
        assert_eq!(
            check_declare(&ready, &two, "h", ReviewParty::Employer),
            Ok(())
        );
        assert_eq!(state(&ready, &two, "h"), GatewayState::Ready);
        let three = [
            declared(ReviewParty::Provider, "h"),
            declared(ReviewParty::Apprentice, "h"),
            declared(ReviewParty::Employer, "h"),
        ];
        assert_eq!(state(&ready, &three, "h"), GatewayState::Declared);
    }

    #[test]
    fn a_declaration_on_an_earlier_portfolio_no_longer_counts() {
        let ready = checks(&ready_facts());
        let stale = [declared(ReviewParty::Provider, "old")];
        assert!(matches!(
            check_declare(&ready, &stale, "new", ReviewParty::Apprentice),
            Err(GatewayConflict::OutOfOrder {
                expected: "training provider",
                ..
            })
        ));
        assert_eq!(
            check_declare(&ready, &stale, "new", ReviewParty::Provider),
            Ok(())
        );
    }

    #[test]
    fn nobody_declares_while_a_check_is_unmet() {
        let mut facts = ready_facts();
        facts.english = FunctionalSkillStatus::Pending;
        facts.unsigned_reviews = 1;
        let err =
            check_declare(&checks(&facts), &[], "h", ReviewParty::Provider).expect_err("not ready");
        assert_eq!(
            err,
            GatewayConflict::NotReady(vec![
                GatewayCheckCode::ReviewsCurrent,
                GatewayCheckCode::EnglishMaths
            ])
        );
        assert_eq!(
            err.to_string(),
            "The apprentice is not ready for gateway: reviews_current, english_maths not met."
        );
    }

    #[test]
    fn the_hash_covers_readiness_and_every_revision_whatever_the_order() {
        let id = Uuid::from_u128(7);
        let ready = checks(&ready_facts());
        let a = IndexedEvidence {
            id: Uuid::from_u128(1),
            revision: 3,
        };
        let b = IndexedEvidence {
            id: Uuid::from_u128(2),
            revision: 1,
        };
        let base = declaration_sha256(id, &ready, &[a.clone(), b.clone()]);
        assert_eq!(base.len(), 64);
        assert_eq!(
            base,
            declaration_sha256(id, &ready, &[b.clone(), a.clone()])
        );
        let edited = IndexedEvidence {
            revision: 4,
            ..a.clone()
        };
        assert_ne!(base, declaration_sha256(id, &ready, &[edited, b.clone()]));
        assert_ne!(
            base,
            declaration_sha256(id, &ready, std::slice::from_ref(&a))
        );
        let mut unready_facts = ready_facts();
        unready_facts.maths = FunctionalSkillStatus::Pending;
        assert_ne!(
            base,
            declaration_sha256(id, &checks(&unready_facts), &[a, b])
        );
    }

    #[test]
    fn durations_are_said_in_hours_and_minutes() {
        assert_eq!(duration_words(187 * 60), "187 hours");
        assert_eq!(duration_words(90), "1 hour 30 minutes");
        assert_eq!(duration_words(61), "1 hour 1 minute");
        assert_eq!(duration_words(59), "59 minutes");
    }
}
