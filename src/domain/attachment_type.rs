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

/// The detected type when it is allowed; `Err(what it looks like)` otherwise.
pub fn detect(bytes: &[u8]) -> Result<&'static str, String> {
    if let Some(kind) = infer::get(bytes) {
        let mime = kind.mime_type();
        return ALLOWED
            .iter()
            .find(|allowed| **allowed == mime)
            .copied()
            .ok_or_else(|| mime.to_string());
    }
    // No signature: plain text when it is UTF-8 without control bytes other than whitespace.
    match std::str::from_utf8(bytes) {
        Ok(text)
            if !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
        {
            Ok("text/plain")
        }
        _ => Err("application/octet-stream".into()),
    }
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
        assert_eq!(detect(b"%PDF-1.7\n..."), Ok("application/pdf"));
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok("image/png"));
        assert_eq!(
            detect("Reflective notes\n— done".as_bytes()),
            Ok("text/plain")
        );
        assert!(
            detect(b"MZ\x90\0\x03\0\0\0\x04\0\0\0").is_err(),
            "a Windows executable"
        );
        assert!(detect(b"\0\x01\x02binary").is_err());
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("C:\\Users\\a\\report.pdf"), "report.pdf");
        assert_eq!(clean_filename("we\"ird\n.txt"), "weird.txt");
        assert_eq!(clean_filename(".."), "attachment");
    }
}
