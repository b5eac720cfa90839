//! What any text a person sends may hold: no NUL or other C0 control characters besides tab,
//! line feed and carriage return. PostgreSQL cannot store NUL in text at all, and the others
//! have no place in names, accounts of practice or search terms; refusing them at the edge
//! turns what would be a database error into a 422 naming the field.

/// The first control character `text` must not hold, if any.
pub fn forbidden_control(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_ascii_control() && *c != '\u{7f}' && !matches!(c, '\t' | '\n' | '\r'))
}

/// The message for a field that holds one.
pub fn control_message(found: char) -> String {
    format!(
        "must not contain control characters (found U+{:04X}); only tab and line breaks are allowed",
        u32::from(found)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_other_c0_controls_are_forbidden_but_tabs_and_line_breaks_are_not() {
        assert_eq!(forbidden_control("a\u{0}b"), Some('\u{0}'));
        assert_eq!(forbidden_control("bell\u{7}"), Some('\u{7}'));
        assert_eq!(forbidden_control("esc\u{1b}[0m"), Some('\u{1b}'));
        assert_eq!(forbidden_control("line\r\nnext\tcol"), None);
        assert_eq!(forbidden_control("Zoë, 37 °C — fine"), None);
        assert!(control_message('\u{0}').contains("U+0000"));
    }
}
