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
