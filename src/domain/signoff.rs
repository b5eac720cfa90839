//! What a sign-off attests: the accepted evidence revisions behind a KSB at the moment the
//! mentor signs it off, in a canonical form, and the SHA-256 of that form (kept on every
//! sign-off, single or bulk). Also the rule for a bulk request's list of KSBs.

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// One revision of accepted evidence as a sign-off sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceRevision {
    pub evidence_id: Uuid,
    pub version: i32,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub occurred_on: NaiveDate,
    /// The KSB codes the revision names, sorted (the stored order carries no meaning).
    pub ksbs: Vec<String>,
}

/// The content a sign-off attests, in the fixed field order of this struct.
#[derive(Serialize)]
struct SignoffContent<'a> {
    apprenticeship_id: Uuid,
    ksb: &'a str,
    /// Ordered by evidence id, so the order rows arrive in never changes the hash.
    evidence: &'a [EvidenceRevision],
}

/// Names the format, so a later change of the canonical form cannot match an old hash.
const CANONICAL_FORMAT: &[u8] = b"ksbfolio-signoff-evidence-v1\n";

/// The canonical bytes: the format line, then the content as compact JSON.
pub fn canonical(apprenticeship_id: Uuid, ksb: &str, revisions: &[EvidenceRevision]) -> Vec<u8> {
    let mut sorted = revisions.to_vec();
    sorted.sort_by_key(|r| r.evidence_id);
    for revision in &mut sorted {
        revision.ksbs.sort();
    }
    let content = SignoffContent {
        apprenticeship_id,
        ksb,
        evidence: &sorted,
    };
    let mut bytes = CANONICAL_FORMAT.to_vec();
    // A struct of strings, dates, numbers and ids always serialises.
    bytes.extend(serde_json::to_vec(&content).unwrap_or_default());
    bytes
}

/// The SHA-256 of the canonical content, lower-case hex.
pub fn content_sha256(
    apprenticeship_id: Uuid,
    ksb: &str,
    revisions: &[EvidenceRevision],
) -> String {
    hex::encode(Sha256::digest(canonical(apprenticeship_id, ksb, revisions)))
}

/// The most KSBs one bulk request signs off (a standard has fewer).
pub const MAX_BULK_KSBS: usize = 200;

/// Why a bulk request's list of KSBs is refused (422 on `ksbs`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BulkListError {
    #[error("choose at least one KSB to sign off")]
    Empty,
    #[error("choose at most {MAX_BULK_KSBS} KSBs at once")]
    TooMany,
    #[error("{0} is listed twice")]
    Repeated(String),
}

/// The requested codes, trimmed and upper-cased, in the order given; each at most once.
pub fn bulk_codes(requested: &[String]) -> Result<Vec<String>, BulkListError> {
    if requested.is_empty() {
        return Err(BulkListError::Empty);
    }
    if requested.len() > MAX_BULK_KSBS {
        return Err(BulkListError::TooMany);
    }
    let mut codes: Vec<String> = Vec::with_capacity(requested.len());
    for code in requested {
        let code = code.trim().to_uppercase();
        if codes.contains(&code) {
            return Err(BulkListError::Repeated(code));
        }
        codes.push(code);
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(id: u128, version: i32, title: &str, ksbs: &[&str]) -> EvidenceRevision {
        EvidenceRevision {
            evidence_id: Uuid::from_u128(id),
            version,
            title: title.into(),
            description: "What I did.".into(),
            kind: "observation".into(),
            occurred_on: NaiveDate::from_ymd_opt(2026, 1, 15).expect("date"),
            ksbs: ksbs.iter().map(|k| (*k).to_string()).collect(),
        }
    }

    #[test]
    fn the_hash_ignores_the_order_of_rows_and_of_ksb_codes() {
        let a = Uuid::from_u128(7);
        let one = [
            revision(1, 3, "One", &["S7", "K1"]),
            revision(2, 3, "Two", &["S7"]),
        ];
        let other = [
            revision(2, 3, "Two", &["S7"]),
            revision(1, 3, "One", &["K1", "S7"]),
        ];
        assert_eq!(
            content_sha256(a, "S7", &one),
            content_sha256(a, "S7", &other)
        );
        assert_eq!(content_sha256(a, "S7", &one).len(), 64);
    }

    #[test]
    fn the_hash_changes_with_the_evidence_its_version_the_ksb_and_the_apprenticeship() {
        let a = Uuid::from_u128(7);
        let base = [revision(1, 3, "One", &["S7"])];
        let hash = content_sha256(a, "S7", &base);
        assert_ne!(
            hash,
            content_sha256(a, "S7", &[revision(1, 4, "One", &["S7"])])
        );
        assert_ne!(
            hash,
            content_sha256(a, "S7", &[revision(1, 3, "One!", &["S7"])])
        );
        assert_ne!(hash, content_sha256(a, "S8", &base));
        assert_ne!(hash, content_sha256(Uuid::from_u128(8), "S7", &base));
        assert_ne!(hash, content_sha256(a, "S7", &[]));
    }

    #[test]
    fn the_canonical_form_names_its_format() {
        let bytes = canonical(Uuid::from_u128(7), "S7", &[]);
        assert!(bytes.starts_with(CANONICAL_FORMAT));
    }

    #[test]
    fn a_bulk_list_is_non_empty_normalised_and_without_repeats() {
        let list = |codes: &[&str]| codes.iter().map(|c| (*c).to_string()).collect::<Vec<_>>();
        assert_eq!(bulk_codes(&list(&[" s7", "K1"])), Ok(list(&["S7", "K1"])));
        assert_eq!(bulk_codes(&[]), Err(BulkListError::Empty));
        assert_eq!(
            bulk_codes(&list(&["S7", "s7 "])),
            Err(BulkListError::Repeated("S7".into()))
        );
        let many: Vec<String> = (0..=MAX_BULK_KSBS).map(|i| format!("K{i}")).collect();
        assert_eq!(bulk_codes(&many), Err(BulkListError::TooMany));
    }
}
