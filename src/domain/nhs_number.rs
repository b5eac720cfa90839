//! Keeping patient data out of portfolios: text containing an NHS number is refused.
//!
//! An NHS number is 10 digits, written plain (`9434765919`) or spaced 3-3-4 (`943 476 5919`),
//! whose last digit is the Modulus 11 check digit of the first nine. Ten digits with a wrong
//! check digit are not an NHS number (a phone number, a lab reference) and are accepted.

use std::sync::LazyLock;

use regex::Regex;

static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a constant pattern, checked by the tests
    Regex::new(r"(\d{3}) ?(\d{3}) ?(\d{4})").unwrap()
});

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

/// The first NHS number in `text`, as written there.
pub fn find(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    CANDIDATE.find_iter(text).find_map(|m| {
        // Part of a longer run of digits: not a 10-digit number.
        let before = m.start().checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(m.end()).copied();
        if before.is_some_and(|b| b.is_ascii_digit()) || after.is_some_and(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits: Vec<u8> = m
            .as_str()
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        let digits: [u8; 10] = digits.try_into().ok()?;
        is_valid(&digits).then_some(m.as_str())
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn valid_numbers_are_found_plain_and_spaced() {
        assert_eq!(find("Patient 9434765919 seen"), Some("9434765919"));
        assert_eq!(find("NHS no. 943 476 5919."), Some("943 476 5919"));
        assert_eq!(find("4010232137"), Some("4010232137"));
    }

    #[test]
    fn invalid_check_digits_and_longer_runs_are_not_nhs_numbers() {
        assert_eq!(find("Call 9434765910 please"), None);
        assert_eq!(find("ref 19434765919"), None);
        assert_eq!(find("ref 94347659190"), None);
        assert_eq!(find("no digits at all"), None);
    }

    #[test]
    fn a_check_digit_of_ten_is_never_valid() {
        // 1234567890: weights give remainder 1, so the check digit would be 10.
        assert!(!is_valid(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0]));
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
        fn any_valid_number_is_found_in_any_surrounding_words(first in proptest::array::uniform9(0u8..10), spaced in any::<bool>()) {
            let mut all = [0u8; 10];
            all[..9].copy_from_slice(&first);
            if let Some(check) = (0..10u8).find(|d| { all[9] = *d; is_valid(&all) }) {
                all[9] = check;
                let s: String = all.iter().map(|d| char::from(b'0' + d)).collect();
                let written = if spaced { format!("{} {} {}", &s[..3], &s[3..6], &s[6..]) } else { s };
                let text = format!("Seen today, number {written}, stable.");
                prop_assert_eq!(find(&text), Some(written.as_str()));
            }
        }
    }
}
