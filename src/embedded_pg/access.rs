//! Who may use the embedded cluster: only the OS user running ksbfolio, with a password.
//!
//! Security: the cluster's superuser can read and change every portfolio, so nobody else on the
//! machine may reach it. Three locks, each enough on its own for the usual cases:
//! - folders: `$KSBFOLIO_DATA_DIR` is closed to other users (under root, only the `postgres`
//!   group may pass through it), and `postgres/`, `pgdata/` and `run/` are 0700;
//! - the socket: `unix_socket_permissions = 0700`, and `listen_addresses = ''` (no TCP at all);
//! - authentication: `scram-sha-256` for every connection, with a generated password (32 random
//!   bytes) kept in `postgres/password`, mode 0600, owned by the user running ksbfolio. Under
//!   root the cluster runs as `postgres`, which only sees the password during `initdb`.
//!
//! Clusters made by earlier versions trusted every local connection; [`protect_trusted`] moves
//! them to the same set-up on their next start.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rand::RngCore;

use super::EmbeddedError;

/// The kept password, in the cluster's folder.
pub const PASSWORD_FILE: &str = "password";

/// Settings appended to `postgresql.conf`, so that the cluster stays private however it is
/// started (ksbfolio also passes them on the command line).
const PRIVATE_SETTINGS: &str = "\n# ksbfolio: a private cluster, reachable only by its owner through its own socket.\n\
listen_addresses = ''\n\
unix_socket_permissions = 0700\n\
password_encryption = 'scram-sha-256'\n";

/// Every connection must give the password; there is no TCP listener to match `host` lines.
const PRIVATE_HBA: &str = "# ksbfolio: only password (SCRAM) sign-ins, only on the private socket.\n\
# TYPE  DATABASE  USER  METHOD\n\
local   all       all   scram-sha-256\n";

/// The superuser's password. Never printed: `Debug` shows a placeholder.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl Password {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The kept password of the cluster in `root`, if there is one.
    pub fn load(root: &Path) -> Result<Option<Self>, EmbeddedError> {
        match std::fs::read_to_string(root.join(PASSWORD_FILE)) {
            Ok(text) => {
                let text = text.trim();
                if text.is_empty() {
                    return Ok(None);
                }
                Ok(Some(Self(text.to_string())))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// The kept password, generated and kept (0600) on first use.
    pub fn load_or_create(root: &Path) -> Result<Self, EmbeddedError> {
        if let Some(password) = Self::load(root)? {
            return Ok(password);
        }
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        // Hex: nothing to escape in a connection URL or in SQL.
        let password = Self(hex::encode(bytes));
        write_private(&root.join(PASSWORD_FILE), password.as_str(), None)?;
        tracing::info!(
            file = %root.join(PASSWORD_FILE).display(),
            "generated the embedded cluster's password"
        );
        Ok(password)
    }
}

/// Writes `contents` to `path` as a 0600 file (owned by `owner` when given), replacing it whole.
pub fn write_private(
    path: &Path,
    contents: &str,
    owner: Option<(u32, u32)>,
) -> Result<(), EmbeddedError> {
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&partial)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    drop(file);
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(&partial, Some(uid), Some(gid))?;
    }
    std::fs::rename(&partial, path)?;
    Ok(())
}

/// A copy of the password for `initdb --pwfile`, readable by the cluster's OS user; removed when
/// dropped, so that under root the `postgres` user never keeps it.
pub struct InitdbPasswordFile(PathBuf);

impl InitdbPasswordFile {
    pub fn write(
        root: &Path,
        password: &Password,
        owner: Option<(u32, u32)>,
    ) -> Result<Self, EmbeddedError> {
        let path = root.join("initdb-password");
        write_private(&path, password.as_str(), owner)?;
        Ok(Self(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for InitdbPasswordFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Whether every active `pg_hba.conf` line asks for a SCRAM password.
pub fn hba_requires_password(pgdata: &Path) -> Result<bool, EmbeddedError> {
    let hba = std::fs::read_to_string(pgdata.join("pg_hba.conf"))?;
    let mut lines = hba
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .peekable();
    if lines.peek().is_none() {
        return Ok(false);
    }
    // The method follows the address on `host` lines and the user on `local` lines; options
    // (`key=value`) may follow it. A password line is one whose method is scram-sha-256.
    Ok(lines.all(|line| {
        line.split_whitespace()
            .filter(|word| !word.contains('='))
            .any(|word| word == "scram-sha-256")
    }))
}

/// Appends [`PRIVATE_SETTINGS`] to `postgresql.conf` unless it is there.
pub fn ensure_private_settings(pgdata: &Path) -> Result<(), EmbeddedError> {
    let conf = pgdata.join("postgresql.conf");
    let current = std::fs::read_to_string(&conf)?;
    if current.contains(PRIVATE_SETTINGS.trim()) {
        return Ok(());
    }
    // Appending keeps the file's owner (`postgres` under root) and mode.
    let mut file = std::fs::OpenOptions::new().append(true).open(&conf)?;
    file.write_all(PRIVATE_SETTINGS.as_bytes())?;
    Ok(())
}

/// Closes a running cluster's socket to everyone but its owner. Clusters started by earlier
/// versions created it open to all (0777); the setting only applies from the next start.
pub fn close_socket(run: &Path) -> Result<(), EmbeddedError> {
    std::fs::set_permissions(run, std::fs::Permissions::from_mode(0o700))?;
    for name in [".s.PGSQL.5432", ".s.PGSQL.5432.lock"] {
        let path = run.join(name);
        if path.exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Protects a cluster that still trusts every local connection: while it is trusting (through
/// the socket that [`close_socket`] has just closed to others), gives the superuser the kept
/// password, then makes `pg_hba.conf` require it. The caller reloads the configuration.
///
/// The password goes to the server as a SCRAM verifier computed here, so the server (and its log)
/// never sees it in clear.
pub fn protect_trusted(
    trusted_url: &str,
    pgdata: &Path,
    password: &Password,
    owner: Option<(u32, u32)>,
) -> Result<(), EmbeddedError> {
    let verifier = postgres_protocol::password::scram_sha_256(password.as_str().as_bytes());
    let statement = format!(
        "ALTER ROLE postgres PASSWORD '{}'",
        verifier.replace('\'', "''")
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime
        .block_on(async {
            let (client, connection) =
                tokio_postgres::connect(trusted_url, tokio_postgres::NoTls).await?;
            let driver = tokio::spawn(connection);
            let result = client.batch_execute(&statement).await;
            drop(client);
            let _ = driver.await;
            result
        })
        .map_err(|error| EmbeddedError::Command {
            step: "setting the superuser's password",
            // The error names neither the statement nor the verifier.
            message: error.to_string(),
            log: pgdata.join("..").join("server.log").display().to_string(),
        })?;
    write_private(&pgdata.join("pg_hba.conf"), PRIVATE_HBA, owner)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_all_scram_hba_counts_as_requiring_a_password() {
        let dir = tempfile::tempdir().expect("dir");
        let check = |text: &str| {
            std::fs::write(dir.path().join("pg_hba.conf"), text).expect("write");
            hba_requires_password(dir.path()).expect("read")
        };
        assert!(check(PRIVATE_HBA));
        assert!(check(
            "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256 # tcp\n"
        ));
        assert!(!check("local all all trust\n"));
        assert!(!check(
            "local all all scram-sha-256\nhost all all 127.0.0.1/32 trust\n"
        ));
        assert!(!check("# nothing but comments\n"));
    }

    #[test]
    fn the_password_is_generated_once_kept_private_and_never_debug_printed() {
        let dir = tempfile::tempdir().expect("dir");
        let first = Password::load_or_create(dir.path()).expect("created");
        let second = Password::load_or_create(dir.path()).expect("loaded");
        assert_eq!(first.as_str(), second.as_str());
        assert_eq!(first.as_str().len(), 64, "32 random bytes in hex");
        let mode = std::fs::metadata(dir.path().join(PASSWORD_FILE))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(!format!("{first:?}").contains(first.as_str()));
    }
}
