//! The 36 ways of writing one NHS number that the check must see through, shared by the
//! number's own tests and the document extraction tests. Each form takes the ten ASCII digits.

use proptest::prelude::*;

use super::is_valid;

pub type Form = fn(&str) -> String;

fn groups<'a>(d: &'a str, sizes: &[usize]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut at = 0;
    for size in sizes {
        out.push(&d[at..at + size]);
        at += size;
    }
    out
}

/// 3-3-4 with `sep` between the groups.
fn spaced(d: &str, sep: &str) -> String {
    groups(d, &[3, 3, 4]).join(sep)
}

/// `mark` between every two digits.
fn interleaved(d: &str, mark: char) -> String {
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 {
            out.push(mark);
        }
        out.push(c);
    }
    out
}

/// The ASCII digits of `d` in another script, whose zero is `zero`.
fn script(d: &str, zero: u32) -> String {
    d.chars()
        .map(|c| match c.to_digit(10) {
            Some(v) => char::from_u32(zero + v).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// Name and maker of each form.
pub const FORMS: [(&str, Form); 36] = [
    ("plain", |d| d.to_string()),
    ("3-3-4 with spaces", |d| spaced(d, " ")),
    ("3-3-4 with dashes", |d| spaced(d, "-")),
    ("3-3-4 with dots", |d| spaced(d, ".")),
    ("3-3-4 with slashes", |d| spaced(d, "/")),
    ("3-3-4 with no-break spaces", |d| spaced(d, "\u{00A0}")),
    ("3-3-4 with narrow no-break spaces", |d| {
        spaced(d, "\u{202F}")
    }),
    ("3-3-4 with thin spaces", |d| spaced(d, "\u{2009}")),
    ("3-3-4 with ideographic spaces", |d| spaced(d, "\u{3000}")),
    ("3-3-4 with tabs", |d| spaced(d, "\t")),
    ("3-3-4 on separate lines", |d| spaced(d, "\n")),
    ("3-3-4 on separate CRLF lines", |d| spaced(d, "\r\n")),
    ("3-3-4 with several spaces", |d| spaced(d, "   ")),
    ("zero-width spaces between digits", |d| {
        interleaved(d, '\u{200B}')
    }),
    ("zero-width joiners between digits", |d| {
        interleaved(d, '\u{200D}')
    }),
    ("zero-width non-joiners between digits", |d| {
        interleaved(d, '\u{200C}')
    }),
    ("soft hyphens between digits", |d| {
        interleaved(d, '\u{00AD}')
    }),
    ("word joiners between digits", |d| {
        interleaved(d, '\u{2060}')
    }),
    ("byte order marks between digits", |d| {
        interleaved(d, '\u{FEFF}')
    }),
    ("combining marks on digits", |d| interleaved(d, '\u{0301}')),
    ("fullwidth digits, spaced", |d| {
        script(&spaced(d, " "), 0xFF10)
    }),
    ("Arabic-Indic digits", |d| script(d, 0x0660)),
    ("Extended Arabic-Indic digits", |d| script(d, 0x06F0)),
    ("Devanagari digits, spaced", |d| {
        script(&spaced(d, " "), 0x0966)
    }),
    ("Bengali digits", |d| script(d, 0x09E6)),
    ("mathematical bold digits", |d| script(d, 0x1D7CE)),
    ("3-3-4 with en dashes", |d| spaced(d, "\u{2013}")),
    ("3-3-4 with em dashes", |d| spaced(d, "\u{2014}")),
    ("3-3-4 with minus signs", |d| spaced(d, "\u{2212}")),
    ("mixed separators", |d| {
        let g = groups(d, &[3, 3, 4]);
        format!("{}-{}\u{00A0}. {}", g[0], g[1], g[2])
    }),
    ("2-4-4 and single digits", |d| {
        format!(
            "{} and {}",
            groups(d, &[2, 4, 4]).join(" "),
            interleaved(d, ' ')
        )
    }),
    ("after Room 101", |d| format!("Room 101 {}", spaced(d, " "))),
    ("between other numbers", |d| {
        format!("Bay 4, bed 12 7 {} 2 3 seen at 14.30", spaced(d, " "))
    }),
    ("in brackets and punctuation", |d| {
        format!("(NHS#{});[{}]\"{}\"", d, spaced(d, "-"), spaced(d, " "))
    }),
    ("at the start of the text", |d| {
        format!("{d} was seen today.")
    }),
    ("at the end of the text", |d| {
        format!("Seen today: {}", spaced(d, " "))
    }),
];

/// Ten ASCII digits with a valid check digit.
pub fn valid_number() -> impl Strategy<Value = String> {
    proptest::array::uniform9(0u8..10).prop_filter_map("check digit 10", |first| {
        let mut all = [0u8; 10];
        all[..9].copy_from_slice(&first);
        let check = (0..10u8).find(|d| {
            all[9] = *d;
            is_valid(&all)
        })?;
        all[9] = check;
        Some(all.iter().map(|d| char::from(b'0' + d)).collect())
    })
}

/// Ten ASCII digits whose last digit is not the check digit.
pub fn invalid_number() -> impl Strategy<Value = String> {
    (proptest::array::uniform9(0u8..10), 0u8..10).prop_filter_map(
        "valid by chance",
        |(first, last)| {
            let mut all = [0u8; 10];
            all[..9].copy_from_slice(&first);
            all[9] = last;
            (!is_valid(&all)).then(|| all.iter().map(|d| char::from(b'0' + d)).collect())
        },
    )
}
