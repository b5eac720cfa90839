//! Checking a spooled upload before it is stored: its type, from its first bytes and (for zip
//! archives) its central directory, and the absence of NHS numbers in its text. The work runs on
//! a blocking thread, at most one per core, within [`CHECK_DEADLINE`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::api::patient_data::nhs_numbers_in;
use crate::domain::attachment_type::{self, Sniffed};
use crate::domain::document_text::{self, ExtractError, Limits, TextSink, office, pdf};
use crate::domain::nhs_number::Scanner;
use crate::error::{AppError, AppResult};
use crate::storage::spool::Finished;

use super::uploads::Uploads;

/// How long one file's check may take before the upload is refused as uncheckable.
pub const CHECK_DEADLINE: Duration = Duration::from_secs(60);

const ACCEPTED: &str = "Attach PDF, Word, Excel, PowerPoint or OpenDocument files, PNG, JPEG, \
                        GIF or WebP images, or plain text.";

enum Failure {
    Unsupported(String),
    Unchecked(ExtractError),
    NhsNumber,
    Io(std::io::Error),
}

/// The accepted content type of the spooled file: 415 for a type that is not accepted, 422
/// naming `file` when it holds an NHS number or its text cannot be checked.
pub async fn check(uploads: &Uploads, file: &Finished) -> AppResult<&'static str> {
    let sniffed = attachment_type::sniff(&file.prefix).map_err(unsupported)?;
    if let Sniffed::Known(content_type) = sniffed
        && content_type.starts_with("image/")
    {
        return Ok(content_type); // images carry no text we can read
    }
    let path: PathBuf = file.file.path().to_path_buf();
    let checks = uploads.checks.clone();
    // The deadline covers the wait for a free core too. The permit goes with the work: a check
    // that overruns its deadline keeps its core until it ends, so overrunning checks cannot
    // pile up.
    let work = async move {
        let permit = checks.acquire_owned().await?;
        Ok::<_, tokio::sync::AcquireError>(
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                check_file(&path, sniffed)
            })
            .await,
        )
    };
    let outcome = match tokio::time::timeout(CHECK_DEADLINE, work).await {
        Ok(Err(closed)) => return Err(AppError::internal(closed)),
        Ok(Ok(done)) => Ok(done),
        Err(elapsed) => Err(elapsed),
    };
    match outcome {
        Err(_) => Err(unchecked(&format!(
            "checking it took longer than {} seconds",
            CHECK_DEADLINE.as_secs()
        ))),
        Ok(Err(join)) => Err(AppError::internal(join)),
        Ok(Ok(Ok(content_type))) => Ok(content_type),
        Ok(Ok(Err(Failure::Unsupported(seen)))) => Err(unsupported(seen)),
        Ok(Ok(Err(Failure::Unchecked(why)))) => Err(unchecked(&why.to_string())),
        Ok(Ok(Err(Failure::NhsNumber))) => Err(nhs_numbers_in(&["file"])),
        Ok(Ok(Err(Failure::Io(error)))) => Err(AppError::internal(error)),
    }
}

fn unsupported(seen: String) -> AppError {
    AppError::UnsupportedMediaType(format!(
        "This file looks like {seen}, which is not accepted. {ACCEPTED}"
    ))
}

fn unchecked(why: &str) -> AppError {
    AppError::invalid(
        "file",
        format!(
            "could not be checked for patient data: {why}. Save it again without a password, \
             or as plain text or PDF, and attach that"
        ),
    )
}

/// A plain text file: also proves that all of it is text.
struct TextFile {
    scanner: Scanner,
    clean: bool,
}

impl TextSink for TextFile {
    fn text(&mut self, text: &str) {
        self.clean &= attachment_type::is_text(text);
        self.scanner.feed(text);
    }
    fn paragraph(&mut self) {
        self.scanner.paragraph();
    }
    fn boundary(&mut self) {
        TextSink::boundary(&mut self.scanner);
    }
    fn satisfied(&self) -> bool {
        !self.clean || self.scanner.satisfied()
    }
}

fn check_file(path: &Path, sniffed: Sniffed) -> Result<&'static str, Failure> {
    let limits = Limits::default();
    let open = || std::fs::File::open(path).map_err(Failure::Io);
    let mut scanner = Scanner::new();
    let content_type = match sniffed {
        Sniffed::Text => {
            let mut text = TextFile {
                scanner,
                clean: true,
            };
            let valid = document_text::plain_text(open()?, u64::MAX, &mut text)
                .map_err(Failure::Unchecked)?;
            if !valid || !text.clean {
                return Err(Failure::Unsupported("application/octet-stream".into()));
            }
            scanner = text.scanner;
            "text/plain"
        }
        Sniffed::Archive => {
            let content_type = office::document_type(open()?, &limits)
                .map_err(Failure::Unchecked)?
                .ok_or_else(|| Failure::Unsupported("application/zip".into()))?;
            office::extract(open()?, content_type, &limits, &mut scanner)
                .map_err(Failure::Unchecked)?;
            content_type
        }
        Sniffed::Known(content_type) if content_type == "application/pdf" => {
            let bytes = std::fs::read(path).map_err(Failure::Io)?;
            pdf::extract(&bytes, &limits, &mut scanner).map_err(Failure::Unchecked)?;
            content_type
        }
        Sniffed::Known(content_type) => content_type,
    };
    match scanner.finish() {
        Some(_) => Err(Failure::NhsNumber),
        None => Ok(content_type),
    }
}
