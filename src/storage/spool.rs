//! Private spool files: an upload is written here as it arrives, hashed on the way, and only
//! then checked and handed to storage, so no upload is ever held whole in memory.
//!
//! Spool files live in `$KSBFOLIO_DATA_DIR/spool` (mode 0700, files 0600), on the same
//! filesystem as local storage so that storing one is a rename. A [`Spooled`] file is removed
//! when it is dropped unless storage took it; files a crash leaves behind are swept at start-up
//! ([`super::sweep`]).

use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// How many leading bytes are kept for type detection.
pub const PREFIX_LEN: usize = 8 * 1024;

/// Whether an I/O error means the disk (or the user's quota) is full.
pub fn is_disk_full(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::StorageFull
        || matches!(
            error.raw_os_error(),
            Some(nix::libc::ENOSPC | nix::libc::EDQUOT)
        )
}

/// The spool folder.
#[derive(Debug, Clone)]
pub struct Spool {
    dir: PathBuf,
}

impl Spool {
    /// `dir`, created private if missing.
    pub fn new(dir: &Path) -> io::Result<Self> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        Ok(Self {
            dir: dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A new, empty spool file (0600, never an existing one).
    pub async fn create(&self) -> io::Result<SpoolWriter> {
        let path = self.dir.join(format!("{}.part", uuid::Uuid::new_v4()));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .await?;
        Ok(SpoolWriter {
            file,
            spooled: Spooled { path, armed: true },
            hasher: Sha256::new(),
            size: 0,
            prefix: Vec::new(),
        })
    }
}

impl Spool {
    /// A new, empty spool file for a blocking writer (0600, never an existing one), with the
    /// guard that removes it unless storage takes it.
    pub fn create_blocking(&self) -> io::Result<(std::fs::File, Spooled)> {
        use std::os::unix::fs::OpenOptionsExt;
        let path = self.dir.join(format!("{}.part", uuid::Uuid::new_v4()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        Ok((file, Spooled { path, armed: true }))
    }
}

/// A spool file being written.
pub struct SpoolWriter {
    file: tokio::fs::File,
    spooled: Spooled,
    hasher: Sha256,
    size: u64,
    prefix: Vec<u8>,
}

/// A written spool file with what was learnt on the way.
pub struct Finished {
    pub file: Spooled,
    pub size: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// The first [`PREFIX_LEN`] bytes.
    pub prefix: Vec<u8>,
}

impl SpoolWriter {
    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    pub async fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.hasher.update(chunk);
        let room = PREFIX_LEN.saturating_sub(self.prefix.len());
        self.prefix
            .extend_from_slice(&chunk[..room.min(chunk.len())]);
        self.size += chunk.len() as u64;
        self.file.write_all(chunk).await
    }

    /// Flushes the file to disk (so a stored attachment survives a crash) and closes it.
    pub async fn finish(mut self) -> io::Result<Finished> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        Ok(Finished {
            file: self.spooled,
            size: self.size,
            sha256: hex::encode(self.hasher.finalize()),
            prefix: self.prefix,
        })
    }
}

/// A spool file on disk, removed on drop unless [`Spooled::disarm`]ed.
#[derive(Debug)]
pub struct Spooled {
    path: PathBuf,
    armed: bool,
}

impl Spooled {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file has moved (storage took it): nothing to remove.
    pub fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        // One unlink: short enough to do in place, even on an async thread.
        if self.armed
            && let Err(error) = std::fs::remove_file(&self.path)
            && error.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!(%error, path = %self.path.display(), "could not remove a spool file");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_device_is_recognised() {
        use std::io::Write;
        let Ok(mut full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
            return; // not on this system
        };
        let error = full.write_all(b"x").and_then(|()| full.flush());
        assert!(error.as_ref().is_err_and(is_disk_full), "{error:?}");
        assert!(!is_disk_full(&io::Error::other("other")));
    }

    #[tokio::test]
    async fn spool_files_are_private_hashed_and_removed_unless_taken() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let spool = Spool::new(&dir.path().join("spool")).expect("spool");
        let mut writer = spool.create().await.expect("create");
        writer.write(b"hello ").await.expect("write");
        writer.write(b"world").await.expect("write");
        let finished = writer.finish().await.expect("finish");
        assert_eq!(finished.size, 11);
        assert_eq!(finished.prefix, b"hello world");
        assert_eq!(
            finished.sha256,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        let path = finished.file.path().to_path_buf();
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        drop(finished);
        assert!(!path.exists());
    }
}
