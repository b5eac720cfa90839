//! The manifest of a backup: `SHA256SUMS`, one `HASH  PATH` line per file in the folder, in the
//! format `sha256sum -c SHA256SUMS` checks, written last so that a backup cut short has none.
//!
//! [`verify`] is what `ksbfolio restore` trusts: every listed file present with its hash, no file
//! that is not listed, and no path that could lead out of the folder.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use super::BackupError;

/// The manifest's file name, in the backup folder.
pub const MANIFEST: &str = "SHA256SUMS";

/// Relative path (with `/`) → lowercase hex SHA-256, ordered.
pub type Sums = BTreeMap<String, String>;

/// The SHA-256 of the file at `path`, read in pieces (attachments may be large).
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1024 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Whether `relative` stays inside the folder it is joined to: plain names only, no `..`, no
/// root, nothing `sha256sum` would have to escape.
pub fn is_safe_relative(relative: &str) -> bool {
    !relative.is_empty()
        && !relative.contains(['\n', '\r', '\\', '\0'])
        && Path::new(relative)
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
}

/// The manifest's text.
pub fn render(sums: &Sums) -> String {
    sums.iter()
        .map(|(path, hash)| format!("{hash}  {path}\n"))
        .collect()
}

/// Reads the manifest of the backup in `dir`.
pub fn read(dir: &Path) -> Result<Sums, BackupError> {
    let path = dir.join(MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(BackupError::ManifestMissing(path));
        }
        Err(error) => return Err(BackupError::io(&path, error)),
    };
    let mut sums = Sums::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let Some((hash, relative)) = line.split_once("  ") else {
            return Err(BackupError::ManifestLine(number));
        };
        let hash_ok = hash.len() == 64
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !hash_ok || !is_safe_relative(relative) || relative == MANIFEST {
            return Err(BackupError::ManifestLine(number));
        }
        if sums
            .insert(relative.to_string(), hash.to_string())
            .is_some()
        {
            return Err(BackupError::ManifestLine(number));
        }
    }
    Ok(sums)
}

/// Checks the backup in `dir` against its manifest and returns the manifest. Every file must be
/// listed, present as a regular file (no links) and of the listed hash; `required` files must be
/// among them.
pub fn verify(dir: &Path, required: &[&str]) -> Result<Sums, BackupError> {
    let sums = read(dir)?;
    for name in required {
        if !sums.contains_key(*name) {
            return Err(BackupError::Missing((*name).to_string()));
        }
    }
    for (relative, expected) in &sums {
        let path = dir.join(relative);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => return Err(BackupError::NotAFile(relative.clone())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(BackupError::Missing(relative.clone()));
            }
            Err(error) => return Err(BackupError::io(&path, error)),
        }
        let actual = sha256_file(&path).map_err(|e| BackupError::io(&path, e))?;
        if &actual != expected {
            return Err(BackupError::HashMismatch(relative.clone()));
        }
    }
    for found in files_under(dir).map_err(|e| BackupError::io(dir, e))? {
        if found != MANIFEST && !sums.contains_key(&found) {
            return Err(BackupError::Unlisted(found));
        }
    }
    Ok(sums)
}

/// Every regular file (and link or other non-folder) under `dir`, as relative `/` paths.
pub fn files_under(dir: &Path) -> std::io::Result<Vec<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                walk(root, &path, out)?;
            } else {
                let relative: PathBuf = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_safe() {
        assert!(is_safe_relative("attachments/evidence/1/2"));
        assert!(is_safe_relative("database.dump"));
        for unsafe_path in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../b",
            "a\nb",
            "a\\b",
            "./a",
        ] {
            assert!(!is_safe_relative(unsafe_path), "{unsafe_path:?}");
        }
    }

    #[test]
    fn a_manifest_reads_back_what_was_rendered_and_refuses_bad_lines() {
        let dir = tempfile::tempdir().expect("dir");
        let mut sums = Sums::new();
        sums.insert("b.txt".into(), "a".repeat(64));
        sums.insert("a/c.bin".into(), "0".repeat(64));
        std::fs::write(dir.path().join(MANIFEST), render(&sums)).expect("write");
        assert_eq!(read(dir.path()).expect("read"), sums);

        for bad in [
            "nohash\n",
            "abc  short.txt\n",
            &format!("{}  ../escape\n", "a".repeat(64)),
            &format!("{}  x\n{}  x\n", "a".repeat(64), "b".repeat(64)),
        ] {
            std::fs::write(dir.path().join(MANIFEST), bad).expect("write");
            assert!(
                matches!(read(dir.path()), Err(BackupError::ManifestLine(_))),
                "{bad:?}"
            );
        }
    }
}
