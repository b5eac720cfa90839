//! The text of an attachment, so that the patient-data check sees what a reader would see:
//! plain text, Office Open XML and OpenDocument files (`office`) and PDF (`pdf`).
//!
//! Extraction streams into a [`TextSink`] (the NHS number [`Scanner`] is one) and works from a
//! `Read + Seek` source within [`Limits`], so a hostile file cannot make it hold much: a zip
//! entry count, per-part and total decompressed bytes and a compression ratio cap every
//! archive, and PDF streams are inflated within the same byte budget before the PDF is parsed.
//! A file whose text cannot be read within them is refused by the caller ([`ExtractError`]):
//! text we have not checked is never accepted as if it had been.

use std::io::Read;

use super::nhs_number::Scanner;

pub mod office;
pub mod pdf;

/// Bounds on what extraction may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries in an archive's central directory.
    pub max_entries: u64,
    /// Decompressed bytes of one part (one XML file, one PDF stream).
    pub max_part_bytes: u64,
    /// Decompressed bytes of all parts together.
    pub max_total_bytes: u64,
    /// Decompressed to compressed size of one part.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_entries: 10_000,
            max_part_bytes: 32 * 1024 * 1024,
            max_total_bytes: 64 * 1024 * 1024,
            max_ratio: 200,
        }
    }
}

/// Why a file's text could not be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("it could not be read as a {0}")]
    Unreadable(&'static str),
    #[error("it is encrypted or password-protected")]
    Encrypted,
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Unsupported(String),
}

/// Where extracted text goes.
pub trait TextSink {
    /// Text that continues the current paragraph.
    fn text(&mut self, text: &str);
    /// A paragraph or line ends (read as a line break).
    fn paragraph(&mut self);
    /// A cell or text box ends: nothing on either side belongs together.
    fn boundary(&mut self);
    /// Whether the sink has seen enough and reading may stop.
    fn satisfied(&self) -> bool {
        false
    }
}

impl TextSink for Scanner {
    fn text(&mut self, text: &str) {
        self.feed(text);
    }
    fn paragraph(&mut self) {
        self.feed("\n");
    }
    fn boundary(&mut self) {
        Scanner::boundary(self);
    }
    fn satisfied(&self) -> bool {
        self.found().is_some()
    }
}

/// Collects the text, for tests and diagnostics: paragraphs as `\n`, boundaries as `|`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Collected(pub String);

impl TextSink for Collected {
    fn text(&mut self, text: &str) {
        self.0.push_str(text);
    }
    fn paragraph(&mut self) {
        self.0.push('\n');
    }
    fn boundary(&mut self) {
        self.0.push('|');
    }
}

/// Feeds UTF-8 text from `source` to `sink` in chunks (invalid bytes read as U+FFFD, which
/// ends a candidate number), reading at most `limit` bytes. Returns whether every byte was
/// valid UTF-8.
pub fn plain_text(
    source: impl Read,
    limit: u64,
    sink: &mut impl TextSink,
) -> Result<bool, ExtractError> {
    let mut all_valid = true;
    let mut source = source.take(limit);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut carried = 0; // bytes of a character cut at the end of the previous chunk
    loop {
        let read = source
            .read(&mut buffer[carried..])
            .map_err(|_| ExtractError::Unreadable("text file"))?;
        let filled = carried + read;
        let mut chunk = &buffer[..filled];
        carried = 0;
        loop {
            match std::str::from_utf8(chunk) {
                Ok(text) => {
                    sink.text(text);
                    break;
                }
                Err(error) => {
                    let (good, rest) = chunk.split_at(error.valid_up_to());
                    sink.text(std::str::from_utf8(good).unwrap_or_default());
                    match error.error_len() {
                        Some(bad) => {
                            all_valid = false;
                            sink.text("\u{FFFD}");
                            chunk = &rest[bad..];
                        }
                        None if read > 0 => {
                            carried = rest.len();
                            break;
                        }
                        None => {
                            all_valid = false;
                            sink.text("\u{FFFD}");
                            break;
                        }
                    }
                }
            }
        }
        if read == 0 || sink.satisfied() {
            return Ok(all_valid);
        }
        buffer.copy_within(filled - carried..filled, 0);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::nhs_number::written_forms::{FORMS, invalid_number, valid_number};

    fn found_in_text_file(text: &str) -> bool {
        let mut scanner = Scanner::new();
        plain_text(text.as_bytes(), u64::MAX, &mut scanner).expect("read");
        scanner.finish().is_some()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_written_form_of_a_valid_number_is_found_in_a_text_file(number in valid_number()) {
            for (name, form) in FORMS {
                prop_assert!(found_in_text_file(&form(&number)), "{}", name);
            }
        }

        #[test]
        fn no_written_form_of_a_wrong_check_digit_is_found_in_a_text_file(number in invalid_number()) {
            for (name, form) in FORMS {
                prop_assert!(!found_in_text_file(&form(&number)), "{}", name);
            }
        }
    }

    #[test]
    fn plain_text_joins_characters_cut_between_chunks() {
        // 64 KiB of ASCII, then an Arabic-Indic number whose first digit straddles the chunk end.
        let mut bytes = vec![b'a'; 64 * 1024 - 1];
        bytes.push(b' ');
        bytes.extend("٩٤٣٤٧٦٥٩١٩".as_bytes());
        let mut scanner = Scanner::new();
        plain_text(&bytes[..], u64::MAX, &mut scanner).expect("read");
        assert!(scanner.finish().is_some());
    }

    #[test]
    fn invalid_bytes_end_a_number() {
        let mut scanner = Scanner::new();
        assert!(!plain_text(&b"94347\xff65919"[..], u64::MAX, &mut scanner).expect("read"));
        assert_eq!(scanner.finish(), None);
        let mut collected = Collected::default();
        plain_text(&b"ok \xff\xfe end"[..], u64::MAX, &mut collected).expect("read");
        assert_eq!(collected.0, "ok \u{FFFD}\u{FFFD} end");
    }
}
