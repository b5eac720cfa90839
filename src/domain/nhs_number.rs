//! Keeping patient data out of portfolios: text containing an NHS number is refused.
//!
//! An NHS number is 10 digits whose last digit is the Modulus 11 check digit of the first nine.
//! Ten digits with a wrong check digit are not an NHS number (a phone number, a lab reference)
//! and are accepted.
//!
//! People write the number in many ways, and someone keen to get one past the check has many
//! more, so text is normalised before it is scanned:
//!
//! - NFKC, which turns fullwidth, mathematical, circled-free compatibility digits and the odd
//!   spaces (NBSP, thin spaces) into their plain forms;
//! - invisible characters are dropped: Unicode format characters (category Cf: zero-width space
//!   and joiners, word joiner, byte order mark, soft hyphen…) and combining marks (Mn, Me), which
//!   draw nothing of their own next to a digit;
//! - every decimal digit of any script (category Nd: Arabic-Indic, Devanagari, Bengali…) counts
//!   as its ASCII digit.
//!
//! Then ten digits form a candidate when only *separators* stand between them: any run of
//! whitespace (spaces of every width, tabs, line breaks), dashes (category Pd and the minus
//! sign), connector punctuation such as `_`, dots and slashes. Anything else (letters, commas,
//! brackets, colons) ends a candidate.
//!
//! Digits written together with no separator are one group and are never split: a candidate
//! starts at the first digit of a group and ends at the last digit of a group, so
//! `19434765919` (eleven digits in a row) is not an NHS number. A separator, on the other hand,
//! always marks a place where a number may start or end, even when other digits stand on its
//! far side: in `Room 101 943 476 5919` the scan tries every group start, and finds
//! `943 476 5919` although `101` is only a space away. The cost of that choice is that a long
//! run of small spaced numbers (a tab-separated table of figures) contains many ten-digit
//! windows, about one in eleven of which passes the check by chance; for a rule that keeps
//! patient data out, a refusal the writer can explain away beats a number that slips through.
//! Commas are not separators, so comma-separated figures are not joined.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

#[cfg(test)]
pub(crate) mod written_forms;

/// Whether ten digits carry a valid Modulus 11 check digit.
pub fn is_valid(digits: &[u8; 10]) -> bool {
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, weight)| u32::from(*d) * weight)
        .sum();
    let check = match 11 - (sum % 11) {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(digits[9])
}

/// The first NHS number in `text`, as its ten ASCII digits.
pub fn find(text: &str) -> Option<String> {
    let mut scanner = Scanner::new();
    scanner.feed(text);
    scanner
        .finish()
        .map(|digits| digits.iter().map(|d| char::from(b'0' + d)).collect())
}

/// Whether `text` contains an NHS number.
pub fn contains(text: &str) -> bool {
    find(text).is_some()
}

/// What a character is to the scan, after NFKC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Digit(u8),
    Separator,
    /// Draws nothing: skipped as if absent.
    Invisible,
    /// Ends any candidate.
    Other,
}

fn classify(c: char) -> Class {
    if c.is_ascii_digit() {
        return Class::Digit(c as u8 - b'0');
    }
    if c.is_ascii() {
        return match c {
            '.' | '/' | '\\' | '-' | '_' => Class::Separator,
            c if c.is_ascii_whitespace() || c == '\u{0B}' => Class::Separator,
            _ => Class::Other,
        };
    }
    if c.is_whitespace() {
        return Class::Separator;
    }
    match c.general_category() {
        GeneralCategory::DecimalNumber => decimal_value(c).map_or(Class::Other, Class::Digit),
        GeneralCategory::Format
        | GeneralCategory::NonspacingMark
        | GeneralCategory::EnclosingMark => Class::Invisible,
        GeneralCategory::DashPunctuation | GeneralCategory::ConnectorPunctuation => {
            Class::Separator
        }
        _ => match c {
            // minus sign, middle dots and bullets used as dots, one-dot leader, fraction and
            // division slashes
            '\u{2212}' | '\u{00B7}' | '\u{2027}' | '\u{2022}' | '\u{2219}' | '\u{22C5}'
            | '\u{30FB}' | '\u{2024}' | '\u{2044}' | '\u{2215}' => Class::Separator,
            _ => Class::Other,
        },
    }
}

/// The value of a decimal digit (category Nd) of any script.
///
/// Unicode's stability policy guarantees that Nd characters come in contiguous runs of ten,
/// from 0 to 9 in ascending order, so the value is the distance from the start of the
/// character's run of Nd code points, modulo ten (runs may touch, as the mathematical digits
/// do; their concatenation keeps the alignment). The unit tests check every run's length.
fn decimal_value(c: char) -> Option<u8> {
    let is_nd = |c: char| c.general_category() == GeneralCategory::DecimalNumber;
    if !is_nd(c) {
        return None;
    }
    let mut start = u32::from(c);
    while let Some(before) = start.checked_sub(1).and_then(char::from_u32) {
        if !is_nd(before) {
            break;
        }
        start -= 1;
    }
    u8::try_from((u32::from(c) - start) % 10).ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Start of text, or something that ends candidates.
    Break,
    Digit,
    Separator,
}

/// A streaming scan for NHS numbers: feed text in pieces of any size (a document's paragraphs,
/// a file's chunks), mark boundaries that no number may cross, then ask for the result.
///
/// Memory is constant: the last ten digits of the current candidate.
#[derive(Debug, Clone)]
pub struct Scanner {
    digits: [u8; 10],
    /// Whether each digit directly follows another digit (same group).
    joined: [bool; 10],
    /// Digits in the current candidate chain (only the last ten are kept).
    count: usize,
    last: Last,
    found: Option<[u8; 10]>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

impl Scanner {
    pub fn new() -> Self {
        Self {
            digits: [0; 10],
            joined: [false; 10],
            count: 0,
            last: Last::Break,
            found: None,
        }
    }

    /// Scans `text`, continuing whatever candidate the previous piece ended with.
    ///
    /// Normalisation is per piece: NFKC only composes a character with the marks that follow
    /// it, and marks are dropped here anyway, so a piece boundary changes nothing for digits.
    pub fn feed(&mut self, text: &str) {
        if self.found.is_some() {
            return;
        }
        if text.is_ascii() {
            text.chars().for_each(|c| self.push(classify(c)));
        } else {
            text.nfkc().for_each(|c| self.push(classify(c)));
        }
    }

    /// A boundary no number may cross (a table cell, a slide's text box).
    pub fn boundary(&mut self) {
        self.push(Class::Other);
    }

    /// The first NHS number seen so far (not counting a candidate that may still go on).
    pub fn found(&self) -> Option<[u8; 10]> {
        self.found
    }

    /// Ends the text and returns the first NHS number in it.
    pub fn finish(mut self) -> Option<[u8; 10]> {
        self.boundary();
        self.found
    }

    fn push(&mut self, class: Class) {
        match class {
            Class::Invisible => {}
            Class::Digit(d) => {
                let slot = self.count % 10;
                self.digits[slot] = d;
                self.joined[slot] = self.last == Last::Digit;
                self.count += 1;
                self.last = Last::Digit;
            }
            Class::Separator => {
                self.end_group();
                self.last = Last::Separator;
            }
            Class::Other => {
                self.end_group();
                self.count = 0;
                self.last = Last::Break;
            }
        }
    }

    /// A group of digits just ended: try the ten digits ending here.
    fn end_group(&mut self) {
        if self.last != Last::Digit || self.count < 10 || self.found.is_some() {
            return;
        }
        // With ten slots, the oldest of the last ten digits sits where the next one would go.
        let first = self.count % 10;
        if self.joined[first] {
            return; // it starts inside a group
        }
        let window: [u8; 10] = std::array::from_fn(|i| self.digits[(first + i) % 10]);
        if is_valid(&window) {
            self.found = Some(window);
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::written_forms::{FORMS, invalid_number, valid_number};
    use super::*;

    #[test]
    fn valid_numbers_are_found_plain_and_spaced() {
        assert_eq!(
            find("Patient 9434765919 seen").as_deref(),
            Some("9434765919")
        );
        assert_eq!(find("NHS no. 943 476 5919.").as_deref(), Some("9434765919"));
        assert_eq!(find("4010232137").as_deref(), Some("4010232137"));
    }

    #[test]
    fn invalid_check_digits_and_longer_runs_are_not_nhs_numbers() {
        assert_eq!(find("Call 9434765910 please"), None);
        assert_eq!(find("ref 19434765919"), None);
        assert_eq!(find("ref 94347659190"), None);
        assert_eq!(find("ref 943 476 59190"), None);
        assert_eq!(find("no digits at all"), None);
    }

    #[test]
    fn a_number_after_other_spaced_digits_is_found_from_its_own_first_digit() {
        assert_eq!(find("Room 101 943 476 5919").as_deref(), Some("9434765919"));
        assert_eq!(find("101 9434765919").as_deref(), Some("9434765919"));
        assert_eq!(find("9434765919 22 and 3").as_deref(), Some("9434765919"));
        // Joined to the digits before it, it is part of a longer number.
        assert_eq!(find("Room 1019434765919"), None);
    }

    #[test]
    fn boundaries_and_other_characters_end_a_candidate() {
        let mut scanner = Scanner::new();
        scanner.feed("943 476");
        scanner.boundary();
        scanner.feed("5919");
        assert_eq!(scanner.finish(), None);
        assert_eq!(find("943, 476, 5919"), None);
        assert_eq!(find("943 (476) 5919"), None);
    }

    #[test]
    fn a_number_split_across_pieces_is_found() {
        let mut scanner = Scanner::new();
        for piece in ["Patient 94", "3 4", "76 59", "19 seen"] {
            scanner.feed(piece);
        }
        assert_eq!(scanner.finish(), Some([9, 4, 3, 4, 7, 6, 5, 9, 1, 9]));
    }

    #[test]
    fn a_check_digit_of_ten_is_never_valid() {
        // 1234567890: weights give remainder 1, so the check digit would be 10.
        assert!(!is_valid(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0]));
    }

    #[test]
    fn every_run_of_decimal_digits_is_whole_tens_so_values_are_positions() {
        let mut run = 0u32;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if c.general_category() == GeneralCategory::DecimalNumber {
                assert_eq!(decimal_value(c), u8::try_from(run % 10).ok(), "{c:?}");
                run += 1;
            } else {
                assert_eq!(run % 10, 0, "a run of Nd ending before {c:?}");
                run = 0;
            }
        }
        for (zero, script) in [
            ('0', "ASCII"),
            ('\u{0660}', "Arabic-Indic"),
            ('\u{06F0}', "Extended Arabic-Indic"),
            ('\u{0966}', "Devanagari"),
            ('\u{09E6}', "Bengali"),
            ('\u{0E50}', "Thai"),
            ('\u{FF10}', "fullwidth"),
            ('\u{1D7CE}', "mathematical bold"),
            ('\u{1D7EC}', "mathematical sans-serif bold"),
        ] {
            for d in 0..10u8 {
                let c = char::from_u32(u32::from(zero) + u32::from(d)).expect("char");
                assert_eq!(decimal_value(c), Some(d), "{script} {d}");
            }
        }
    }

    #[test]
    fn there_are_36_written_forms_with_distinct_names() {
        let mut names: Vec<&str> = FORMS.iter().map(|(name, _)| *name).collect();
        assert_eq!(names.len(), 36);
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 36);
    }

    proptest! {
        #[test]
        fn exactly_one_final_digit_makes_nine_digits_valid_unless_none_can(first in proptest::array::uniform9(0u8..10)) {
            let valid: Vec<u8> = (0..10u8)
                .filter(|d| {
                    let mut all = [0u8; 10];
                    all[..9].copy_from_slice(&first);
                    all[9] = *d;
                    is_valid(&all)
                })
                .collect();
            prop_assert!(valid.len() <= 1);
        }

        #[test]
        fn every_written_form_of_a_valid_number_is_refused(number in valid_number()) {
            for (name, form) in FORMS {
                let text = form(&number);
                prop_assert!(contains(&text), "{name}: {text:?}");
            }
        }

        #[test]
        fn every_written_form_of_a_wrong_check_digit_is_accepted(number in invalid_number()) {
            for (name, form) in FORMS {
                let text = form(&number);
                prop_assert!(!contains(&text), "{name}: {text:?}");
            }
        }
    }
}
