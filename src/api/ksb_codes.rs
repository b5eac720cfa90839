//! The KSBs a request maps something to (evidence, an OTJ entry): codes of the apprenticeship's
//! standard, each named once, kept in the standard's order.

use uuid::Uuid;

use crate::db::catalogue::cache::{CachedKsb, CachedStandard};
use crate::error::FieldError;

/// The KSBs of a valid request, in the standard's order.
pub struct MappedKsbs {
    pub ids: Vec<Uuid>,
    pub codes: Vec<String>,
}

/// The codes as sent, trimmed and upper-cased; each one that is not a KSB of `standard`, or
/// repeats an earlier one, is an error naming it (`ksbs[2]`).
pub fn check(
    standard: &CachedStandard,
    ksbs: &[String],
    errors: &mut Vec<FieldError>,
) -> Vec<String> {
    let codes: Vec<String> = ksbs.iter().map(|c| c.trim().to_uppercase()).collect();
    let mut seen = std::collections::HashSet::new();
    for (i, code) in codes.iter().enumerate() {
        if standard.ksb_by_code(code).is_none() {
            errors.push(FieldError::new(
                format!("ksbs[{i}]"),
                format!("{code} is not a KSB of this apprenticeship's standard"),
            ));
        } else if !seen.insert(code) {
            errors.push(FieldError::new(
                format!("ksbs[{i}]"),
                format!("{code} is listed twice"),
            ));
        }
    }
    codes
}

/// The KSBs of codes that passed [`check`].
pub fn mapped(standard: &CachedStandard, codes: &[String]) -> MappedKsbs {
    let mut mapped: Vec<&CachedKsb> = codes
        .iter()
        .filter_map(|c| standard.ksb_by_code(c))
        .collect();
    mapped.sort_unstable_by_key(|k| k.position);
    MappedKsbs {
        ids: mapped.iter().map(|k| k.id).collect(),
        codes: mapped.iter().map(|k| k.code.clone()).collect(),
    }
}
