//! Finding the PostgreSQL server binaries already installed on the machine.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder holding `initdb` and `pg_ctl`: first on PATH, then `pg_config --bindir`, then the
/// newest `/usr/lib/postgresql/*/bin` (Debian keeps the server binaries off PATH).
pub fn find_bindir() -> Option<PathBuf> {
    on_path()
        .or_else(from_pg_config)
        .or_else(from_debian_layout)
}

fn has_server_binaries(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("pg_ctl").is_file()
}

fn on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|dir| has_server_binaries(dir))
}

fn from_pg_config() -> Option<PathBuf> {
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    let dir = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    has_server_binaries(&dir).then_some(dir)
}

fn from_debian_layout() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let major = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((major, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_server_binaries(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir)
}
