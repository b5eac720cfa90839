//! The text of a PDF, through `pdf-extract` (on `lopdf`).
//!
//! `lopdf` inflates streams in memory without a bound, so before the PDF is parsed every
//! Flate-compressed stream that is not an image is inflated here into nothing, counting bytes
//! against [`Limits`]; a file that would expand past them is refused, as is one compressed with
//! LZW or run-length coding, which this pre-check does not decode. A PDF that cannot be
//! parsed, that panics the parser, or that is encrypted with a password is refused: its text
//! cannot be checked. The caller runs this on a blocking thread with a deadline.

use std::io::Read;

use super::{ExtractError, Limits, TextSink};

/// The dictionary that precedes the stream keyword at `at`: from the last `obj` before it.
fn dictionary_before(bytes: &[u8], at: usize) -> &[u8] {
    let from = at.saturating_sub(64 * 1024);
    let window = &bytes[from..at];
    let start = window.windows(3).rposition(|w| w == b"obj").unwrap_or(0);
    &window[start..]
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Inflates every non-image Flate stream into nothing, within the limits.
fn check_streams(bytes: &[u8], limits: &Limits) -> Result<(), ExtractError> {
    let too_large = || {
        ExtractError::TooLarge(format!(
            "its compressed content expands past the {} MiB that can be checked",
            limits.max_total_bytes / (1024 * 1024)
        ))
    };
    let mut budget = limits.max_total_bytes;
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(6).position(|w| w == b"stream") {
        let keyword = at + found;
        at = keyword + 6;
        if bytes[..keyword].ends_with(b"end") {
            continue;
        }
        let data = match bytes.get(at..) {
            Some([b'\r', b'\n', ..]) => at + 2,
            Some([b'\n' | b'\r', ..]) => at + 1,
            _ => continue,
        };
        let dictionary = dictionary_before(bytes, keyword);
        if contains(dictionary, b"/Image") {
            continue;
        }
        if contains(dictionary, b"/LZWDecode") || contains(dictionary, b"/RunLengthDecode") {
            return Err(ExtractError::Unsupported(
                "it uses LZW or run-length compression, which cannot be checked; save it again \
                 as a standard PDF"
                    .into(),
            ));
        }
        if !contains(dictionary, b"/FlateDecode") && !contains(dictionary, b"/Fl") {
            continue;
        }
        let cap = limits.max_part_bytes.min(budget);
        let mut inflated =
            flate2::read::ZlibDecoder::new(&bytes[data..]).take(cap.saturating_add(1));
        // Data that is not zlib simply stops the copy; only the size matters here.
        let mut used = 0u64;
        let mut chunk = [0u8; 16 * 1024];
        while let Ok(n @ 1..) = inflated.read(&mut chunk) {
            used += n as u64;
        }
        if used > cap {
            return Err(too_large());
        }
        budget -= used;
    }
    Ok(())
}

/// Feeds the text of the PDF in `bytes` to `sink`.
pub fn extract(
    bytes: &[u8],
    limits: &Limits,
    sink: &mut impl TextSink,
) -> Result<(), ExtractError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(ExtractError::Unreadable("PDF"));
    }
    check_streams(bytes, limits)?;
    let parsed = std::panic::catch_unwind(|| -> Result<String, ExtractError> {
        let mut document = pdf_extract::Document::load_mem(bytes).map_err(map_error)?;
        if document.is_encrypted() && document.decrypt("").is_err() {
            return Err(ExtractError::Encrypted);
        }
        let mut text = String::new();
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        pdf_extract::output_doc(&document, &mut output).map_err(|error| match error {
            pdf_extract::OutputError::PdfError(error) => map_error(error),
            _ => ExtractError::Unreadable("PDF"),
        })?;
        Ok(text)
    });
    let text = parsed.map_err(|_| ExtractError::Unreadable("PDF"))??;
    for line in text.split('\n') {
        sink.text(line);
        sink.paragraph();
        if sink.satisfied() {
            break;
        }
    }
    Ok(())
}

fn map_error(error: pdf_extract::Error) -> ExtractError {
    match error {
        pdf_extract::Error::Decryption(_) => ExtractError::Encrypted,
        _ => ExtractError::Unreadable("PDF"),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn pdf_with_stream(dictionary: &str, data: &[u8]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.4\n1 0 obj\n".to_vec();
        pdf.extend(dictionary.as_bytes());
        pdf.extend(b"\nstream\n");
        pdf.extend(data);
        pdf.extend(b"\nendstream\nendobj\n%%EOF\n");
        pdf
    }

    fn zlib(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(bytes).expect("write");
        encoder.finish().expect("finish")
    }

    #[test]
    fn a_stream_that_inflates_past_the_limits_is_refused_before_parsing() {
        let limits = Limits {
            max_total_bytes: 1024 * 1024,
            max_part_bytes: 1024 * 1024,
            ..Limits::default()
        };
        let bomb = zlib(&vec![0u8; 8 * 1024 * 1024]);
        let pdf = pdf_with_stream("<< /Length 1 /Filter /FlateDecode >>", &bomb);
        assert!(matches!(
            check_streams(&pdf, &limits),
            Err(ExtractError::TooLarge(_))
        ));
        // The same bytes as an image are not text and are not inflated.
        let image = pdf_with_stream("<< /Subtype /Image /Filter /FlateDecode >>", &bomb);
        assert_eq!(check_streams(&image, &limits), Ok(()));
    }

    #[test]
    fn lzw_streams_and_garbage_are_refused() {
        let lzw = pdf_with_stream("<< /Filter /LZWDecode >>", b"abc");
        assert!(matches!(
            check_streams(&lzw, &Limits::default()),
            Err(ExtractError::Unsupported(_))
        ));
        let mut sink = super::super::Collected::default();
        assert_eq!(
            extract(b"%PDF-1.4 not really", &Limits::default(), &mut sink),
            Err(ExtractError::Unreadable("PDF"))
        );
        assert_eq!(
            extract(b"hello", &Limits::default(), &mut sink),
            Err(ExtractError::Unreadable("PDF"))
        );
    }
}
