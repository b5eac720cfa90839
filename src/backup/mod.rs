//! Backups of a ksbfolio installation: `ksbfolio backup DIR` and `ksbfolio restore DIR`.
//!
//! A backup folder holds `database.dump` (pg_dump's custom format, from one snapshot),
//! `attachments/` (every file the dump's attachment rows name, under their storage keys),
//! `backup.json` (what made it) and `SHA256SUMS` ([`manifest`]), written last. The folder is
//! 0700 and its files 0600, as the data folder is: it holds every portfolio.
//!
//! Consistency: the dump and the list of attachments come from the same exported snapshot, and
//! only the files that snapshot's rows name are copied, each checked against the SHA-256 its row
//! recorded at upload. Stored files are never changed in place, so a backup taken while the
//! server runs is consistent; a file removed between the snapshot and its copy fails the backup
//! (run it again), rather than leaving a row without its file.
//!
//! Not included: the JWT secret (a restored installation signs new access tokens; sessions are
//! rows and survive), the embedded cluster's password (the restored cluster gets its own), and
//! e-mails written to `mail/` in the file-only set-up.

mod create;
pub mod manifest;
mod pg_tools;
mod restore;

use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub use create::create;
pub use restore::restore;

/// The database dump, in the backup folder.
pub const DUMP: &str = "database.dump";
/// What made the backup ([`BackupInfo`]).
pub const INFO: &str = "backup.json";
/// The attachment files, by storage key.
pub const ATTACHMENTS: &str = "attachments";
/// The version of the folder's layout this build writes and reads.
pub const FORMAT: u32 = 1;

/// Why a backup or a restore stopped. Each message names what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the backup has no manifest: {0} is missing (the backup is incomplete or damaged)")]
    ManifestMissing(PathBuf),
    #[error("the backup is damaged: line {0} of its manifest (SHA256SUMS) is not `HASH  FILE`")]
    ManifestLine(usize),
    #[error("the backup is damaged: {0} is missing")]
    Missing(String),
    #[error("the backup is damaged: {0} does not match its SHA-256 in the manifest")]
    HashMismatch(String),
    #[error("the backup is damaged: {0} is not listed in its manifest")]
    Unlisted(String),
    #[error("the backup is damaged: {0} is not a regular file")]
    NotAFile(String),
    #[error("the backup is damaged: {INFO} is not readable: {0}")]
    Info(String),
    #[error("this backup has layout version {0}; this ksbfolio reads version {FORMAT}")]
    Format(u32),
    #[error("{0} is not empty: a backup goes into a new or empty folder")]
    BackupDirNotEmpty(PathBuf),
    #[error(
        "the data folder {0} is not empty: restore only into a new or empty KSBFOLIO_DATA_DIR \
         (nothing was changed)"
    )]
    DataDirNotEmpty(PathBuf),
    #[error("{0}")]
    Unsupported(String),
    #[error(
        "attachment {0} was removed while the backup ran (its row is in the dump); run the backup again"
    )]
    AttachmentGone(String),
    #[error(
        "attachment {0} no longer matches the SHA-256 recorded at its upload: the stored file is \
         damaged"
    )]
    AttachmentDamaged(String),
    #[error("{step} failed: {message}")]
    Tool { step: &'static str, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl BackupError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// `backup.json`: what made the backup and what it holds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BackupInfo {
    pub format: u32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub ksbfolio_version: String,
    /// `pg_dump --version` of the tool that made the dump.
    pub pg_dump: String,
    /// The latest migration the database had.
    pub migration: Option<String>,
    pub attachments: usize,
    pub attachment_bytes: u64,
}

impl std::fmt::Display for BackupInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "database (migration {}) and {} attachments ({} bytes), made {} by ksbfolio {}",
            self.migration.as_deref().unwrap_or("none"),
            self.attachments,
            self.attachment_bytes,
            self.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
            self.ksbfolio_version,
        )
    }
}

/// Refuses a backup folder that holds something, before any work starts.
pub fn check_target(dir: &Path) -> Result<(), BackupError> {
    if is_empty_or_missing(dir)? {
        Ok(())
    } else {
        Err(BackupError::BackupDirNotEmpty(dir.to_path_buf()))
    }
}

/// Whether `dir` is missing or holds nothing.
fn is_empty_or_missing(dir: &Path) -> Result<bool, BackupError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(error) => Err(BackupError::io(dir, error)),
    }
}

/// Creates `dir` and its missing parents as 0700 folders, and makes `dir` itself 0700.
fn private_dir(dir: &Path) -> Result<(), BackupError> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| BackupError::io(dir, e))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| BackupError::io(dir, e))
}

/// Copies `from` to the new file `to` (0600, parents 0700) and returns the SHA-256 of what was
/// copied and its size.
fn copy_hashed(from: &Path, to: &Path) -> Result<(String, u64), BackupError> {
    use sha2::Digest;
    use std::io::{Read, Write};
    if let Some(parent) = to.parent() {
        private_dir(parent)?;
    }
    let mut source = std::fs::File::open(from).map_err(|e| BackupError::io(from, e))?;
    let mut target = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(to)
        .map_err(|e| BackupError::io(to, e))?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 1024 * 1024];
    let mut size = 0u64;
    loop {
        let read = source
            .read(&mut buffer)
            .map_err(|e| BackupError::io(from, e))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        target
            .write_all(&buffer[..read])
            .map_err(|e| BackupError::io(to, e))?;
        size += read as u64;
    }
    target.sync_all().map_err(|e| BackupError::io(to, e))?;
    Ok((hex::encode(hasher.finalize()), size))
}

/// Writes `contents` as the new 0600 file `path`, whole or not at all.
fn write_private(path: &Path, contents: &[u8]) -> Result<(), BackupError> {
    use std::io::Write;
    let partial = path.with_extension("partial");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&partial)
        .map_err(|e| BackupError::io(&partial, e))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| BackupError::io(&partial, e))?;
    std::fs::rename(&partial, path).map_err(|e| BackupError::io(path, e))
}

/// Runs blocking file and process work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, BackupError> + Send + 'static,
) -> Result<T, BackupError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| BackupError::Tool {
            step: "a backup task",
            message: e.to_string(),
        })?
}
