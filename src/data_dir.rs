//! The data folder (`$KSBFOLIO_DATA_DIR`) is private to the user running ksbfolio: attachments
//! are health records and `jwt-secret` signs every session.
//!
//! Security: `main` sets the process umask to 077 before anything is written, so every file and
//! folder ksbfolio (and the embedded cluster it starts) creates is 0600/0700, including the
//! attachments `object_store` writes. [`secure`] also closes what an earlier version left open.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

/// Files and folders made from now on are readable by their owner only.
pub fn private_umask() {
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));
}

/// Creates `data_dir` if needed and closes it, its attachments and its secret to other users.
///
/// The folder itself loses every permission of other users and the group's read and write; the
/// group's pass-through (x) stays, since under root the embedded cluster's `postgres` group needs
/// it (`embedded_pg` sets it). A folder this user does not own, or a shared one (sticky, like
/// /tmp), is left alone with a warning: changing it would break others.
pub fn secure(data_dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(data_dir)?;
    let meta = std::fs::metadata(data_dir)?;
    let ours = meta.uid() == nix::unistd::geteuid().as_raw();
    let shared = meta.mode() & 0o1000 != 0;
    if ours && !shared {
        restrict(data_dir, meta.mode() & 0o710)?;
    } else if meta.mode() & 0o007 != 0 {
        tracing::warn!(
            dir = %data_dir.display(),
            "the data folder is open to other users and not this user's to change; \
             choose a private KSBFOLIO_DATA_DIR"
        );
    }
    let secret = data_dir.join("jwt-secret");
    if secret.exists() {
        restrict(&secret, 0o600)?;
    }
    let attachments = data_dir.join("attachments");
    // Files written since the umask are private already; walk the tree only when an earlier
    // version left the folder open, so a start stays cheap with many attachments.
    if std::fs::metadata(&attachments).is_ok_and(|m| m.mode() & 0o077 != 0) {
        tracing::info!(dir = %attachments.display(), "closing attachment files to other users");
        restrict_tree(&attachments)?;
    }
    Ok(())
}

fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    let current = std::fs::symlink_metadata(path)?.mode() & 0o7777;
    if current != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

fn restrict_tree(path: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path)? {
            restrict_tree(&entry?.path())?;
        }
        // The folder last, so that a failure half-way leaves it open and the next start retries.
        restrict(path, 0o700)
    } else if meta.is_file() {
        restrict(path, 0o600)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).expect("exists").mode() & 0o7777
    }

    #[test]
    fn an_open_data_folder_its_attachments_and_its_secret_are_closed() {
        let parent = tempfile::tempdir().expect("dir");
        let dir = parent.path().join("data");
        let nested = dir.join("attachments/evidence/1");
        std::fs::create_dir_all(&nested).expect("dirs");
        std::fs::write(nested.join("file"), b"x").expect("file");
        std::fs::write(dir.join("jwt-secret"), b"s").expect("secret");
        for path in [&dir, &dir.join("attachments"), &nested] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        for path in [nested.join("file"), dir.join("jwt-secret")] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        }

        secure(&dir).expect("secured");

        assert_eq!(
            mode(&dir),
            0o710,
            "others lose everything, the group keeps only x"
        );
        assert_eq!(mode(&dir.join("attachments")), 0o700);
        assert_eq!(mode(&nested), 0o700);
        assert_eq!(mode(&nested.join("file")), 0o600);
        assert_eq!(mode(&dir.join("jwt-secret")), 0o600);
    }
}
