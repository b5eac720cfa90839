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
mod tests;
