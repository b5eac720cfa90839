//! The `q` parameter of the searchable lists (users, apprenticeships, organisations): one rule
//! for all three, so a search box behaves the same on every page.

use crate::error::{AppError, AppResult};

/// The longest search the lists take, in characters.
pub const MAX_CHARS: usize = 200;

/// The search text of `q`: trimmed; blank means no search. Longer than [`MAX_CHARS`] is 422
/// naming `q`.
pub fn search_term(q: Option<&str>) -> AppResult<Option<String>> {
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if q.chars().count() > MAX_CHARS {
        return Err(AppError::invalid(
            "q",
            format!("must be at most {MAX_CHARS} characters"),
        ));
    }
    Ok(Some(q.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_trimmed_and_a_blank_one_is_none() {
        assert_eq!(search_term(None).ok(), Some(None));
        assert_eq!(search_term(Some("  \t ")).ok(), Some(None));
        assert_eq!(
            search_term(Some("  Ada ")).ok(),
            Some(Some("Ada".to_string()))
        );
    }

    #[test]
    fn a_search_may_have_two_hundred_characters_not_more() {
        let most = "é".repeat(MAX_CHARS);
        assert_eq!(search_term(Some(&most)).ok(), Some(Some(most.clone())));
        assert!(search_term(Some(&format!("{most}x"))).is_err());
    }
}
