//! Reading an uploaded `portfolio.zip` (already spooled to disk, so memory stays bounded):
//! `portfolio.json` read strictly (`manifest`) and its `format` checked, then every attachment
//! it lists copied out of the archive into a spool file of its own, hashed on the way and
//! compared with the SHA-256 and size `portfolio.json` gives. Every problem is collected and
//! named (`portfolio.json`, or the attachment's path in the archive), so one 422 lists them
//! all. Blocking: runs on a blocking thread.

use std::collections::HashSet;
use std::io::{Read, Write};

use sha2::{Digest, Sha256};

use super::manifest::Manifest;
use crate::api::portfolio::FORMAT;
use crate::error::FieldError;
use crate::storage::spool::{Finished, PREFIX_LEN, Spool};

/// The most `portfolio.json` may hold: the text of a portfolio, never its files.
const MANIFEST_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A verified archive: the document and every attachment it lists (its path in the archive and
/// its spool file), in the document's order (item by item, file by file).
pub struct Verified {
    pub manifest: Manifest,
    pub files: Vec<(String, Finished)>,
}

/// Why an archive was refused: the problems to name (422), or a failure of this server.
pub enum Refused {
    Invalid(Vec<FieldError>),
    Io(std::io::Error),
}

impl From<std::io::Error> for Refused {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

/// A problem of one attachment: named by its path, in a sentence of its own (the path is no
/// form field a reader would recognise).
pub fn file_problem(path: &str, message: &str) -> FieldError {
    FieldError::new(path, format!("File {path} {message}"))
}

fn invalid(field: &str, message: impl Into<String>) -> Refused {
    Refused::Invalid(vec![FieldError::new(field, message)])
}

/// Opens, checks and unpacks the archive at `path`. `attachment_limit` bounds every file (the
/// same limit as an upload).
pub fn read(
    path: &std::path::Path,
    spool: &Spool,
    attachment_limit: u64,
) -> Result<Verified, Refused> {
    let file = std::fs::File::open(path)?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        invalid(
            "file",
            format!("is not a readable ZIP archive ({e}); upload the portfolio.zip as exported"),
        )
    })?;
    let manifest = read_manifest(&mut zip)?;
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for evidence in &manifest.evidence {
        let folder = format!("attachments/{}/", evidence.id);
        for a in &evidence.attachments {
            if !a.path.starts_with(&folder) || a.path.contains("..") || !seen.insert(&a.path) {
                errors.push(file_problem(
                    &a.path,
                    &format!("is not a path of its own under {folder}"),
                ));
            } else if a.sha256.len() != 64
                || !a
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            {
                errors.push(file_problem(
                    &a.path,
                    "has no lower-case hex SHA-256 in portfolio.json",
                ));
            } else if a.size_bytes < 0 || a.size_bytes as u64 > attachment_limit {
                errors.push(file_problem(
                    &a.path,
                    &format!(
                        "is larger than this deployment accepts ({} MiB)",
                        attachment_limit / (1024 * 1024)
                    ),
                ));
            } else if zip.index_for_name(&a.path).is_none() {
                errors.push(file_problem(
                    &a.path,
                    "is listed in portfolio.json but missing from the archive",
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(Refused::Invalid(errors));
    }
    let mut files = Vec::new();
    for evidence in &manifest.evidence {
        for a in &evidence.attachments {
            let mut entry = zip.by_name(&a.path).map_err(|e| {
                Refused::Invalid(vec![file_problem(
                    &a.path,
                    &format!("could not be read from the archive ({e})"),
                )])
            })?;
            let (mut out, spooled) = spool.create_blocking()?;
            let mut hasher = Sha256::new();
            let mut prefix = Vec::new();
            let mut size: u64 = 0;
            let mut buffer = vec![0u8; 64 * 1024];
            // One byte past the stated size is enough to know it is wrong: a file that
            // inflates without end is never read further.
            let allowed = a.size_bytes as u64 + 1;
            loop {
                let want = usize::try_from((allowed - size).min(buffer.len() as u64))
                    .unwrap_or(buffer.len());
                if want == 0 {
                    break;
                }
                let n = match entry.read(&mut buffer[..want]) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) => {
                        errors.push(file_problem(
                            &a.path,
                            &format!("could not be read from the archive ({e})"),
                        ));
                        break;
                    }
                };
                hasher.update(&buffer[..n]);
                let room = PREFIX_LEN.saturating_sub(prefix.len()).min(n);
                prefix.extend_from_slice(&buffer[..room]);
                out.write_all(&buffer[..n])?;
                size += n as u64;
            }
            out.sync_all()?;
            let sha256 = hex::encode(hasher.finalize());
            if size != a.size_bytes as u64 {
                errors.push(file_problem(
                    &a.path,
                    &format!(
                        "holds a different number of bytes than portfolio.json says ({})",
                        a.size_bytes
                    ),
                ));
            } else if sha256 != a.sha256 {
                errors.push(file_problem(
                    &a.path,
                    "does not match its SHA-256 in portfolio.json: the file was changed or \
                     damaged after the export",
                ));
            }
            files.push((
                a.path.clone(),
                Finished {
                    file: spooled,
                    size,
                    sha256,
                    prefix,
                },
            ));
        }
    }
    if !errors.is_empty() {
        // The spool files go with `files`.
        return Err(Refused::Invalid(errors));
    }
    Ok(Verified { manifest, files })
}

/// `portfolio.json`: present, of a format this server reads, and of the published shape.
fn read_manifest(zip: &mut zip::ZipArchive<std::fs::File>) -> Result<Manifest, Refused> {
    let entry = zip.by_name("portfolio.json").map_err(|_| {
        invalid(
            "portfolio.json",
            "is missing from the archive: upload the portfolio.zip as exported",
        )
    })?;
    let mut bytes = Vec::new();
    entry
        .take(MANIFEST_MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| invalid("portfolio.json", format!("could not be read ({e})")))?;
    if bytes.len() as u64 > MANIFEST_MAX_BYTES {
        return Err(invalid(
            "portfolio.json",
            "is larger than any portfolio's text",
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| invalid("portfolio.json", format!("is not JSON ({e})")))?;
    // The format first: a document of another version is named as such, not as a bad shape.
    match value.get("format").and_then(serde_json::Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(invalid(
                "format",
                format!("is {other:?}; this deployment reads {FORMAT:?}"),
            ));
        }
        None => {
            return Err(invalid(
                "format",
                format!("is missing; expected {FORMAT:?}"),
            ));
        }
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        invalid(
            "portfolio.json",
            format!("does not have the shape of the published schema: {e}"),
        )
    })
}
