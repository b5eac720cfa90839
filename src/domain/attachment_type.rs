//! Which files may be attached to evidence, judged from their bytes (never from the name or the
//! client's `Content-Type`): documents, images and plain text.

/// Types accepted for attachments.
pub const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "text/plain",
];

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// An accepted type with a signature of its own.
    Known(&'static str),
    /// A zip archive: Office and OpenDocument files are told apart by its central directory
    /// (`document_text::office::document_type`), since a signature guess misreads some.
    Archive,
    /// Plain text so far: the rest of the file must be UTF-8 without control characters too.
    Text,
}

const ARCHIVES: &[&str] = &["application/zip", "application/epub+zip"];

/// Judges a file from its first bytes (a few KiB); `Err(what it looks like)` when not accepted.
pub fn sniff(prefix: &[u8]) -> Result<Sniffed, String> {
    if prefix.starts_with(b"PK\x03\x04") {
        return Ok(Sniffed::Archive);
    }
    if let Some(kind) = infer::get(prefix) {
        let mime = kind.mime_type();
        if ARCHIVES.contains(&mime) {
            return Ok(Sniffed::Archive);
        }
        return ALLOWED
            .iter()
            .find(|allowed| **allowed == mime)
            .map(|allowed| Sniffed::Known(allowed))
            .ok_or_else(|| mime.to_string());
    }
    // No signature: plain text when it is UTF-8 without control bytes other than whitespace; a
    // character cut at the end of the prefix is fine.
    let text = match std::str::from_utf8(prefix) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&prefix[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return Err("application/octet-stream".into()),
    };
    if is_text(text) {
        Ok(Sniffed::Text)
    } else {
        Err("application/octet-stream".into())
    }
}

/// Whether `text` has no control characters other than line breaks and tabs.
pub fn is_text(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// A safe file name to keep and offer on download: the last path segment, without control
/// characters or quotes, at most 255 characters.
pub fn clean_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\'))
        .take(255)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "attachment".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(
            sniff(b"%PDF-1.7\n..."),
            Ok(Sniffed::Known("application/pdf"))
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Ok(Sniffed::Known("image/png"))
        );
        assert_eq!(
            sniff("Reflective notes\n— done".as_bytes()),
            Ok(Sniffed::Text)
        );
        assert_eq!(sniff(&"— done".as_bytes()[..2]), Ok(Sniffed::Text));
        assert_eq!(sniff(b"PK\x03\x04\x14\0"), Ok(Sniffed::Archive));
        assert!(
            sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0").is_err(),
            "a Windows executable"
        );
        assert!(sniff(b"\0\x01\x02binary").is_err());
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("C:\\Users\\a\\report.pdf"), "report.pdf");
        assert_eq!(clean_filename("we\"ird\n.txt"), "weird.txt");
        assert_eq!(clean_filename(".."), "attachment");
    }
}
