//! `pg_dump` and `pg_restore` from the PostgreSQL binaries the embedded cluster uses
//! ([`crate::embedded_pg::find_bindir`]), so the dump's format always matches the server.
//!
//! Security: the connection settings, password included, go to the tools in `PG*` environment
//! variables, never on their command line (which every user of the machine can read).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tokio_postgres::config::{Host, SslMode};

use super::BackupError;

/// The folder holding the PostgreSQL tools: beside the `initdb` the embedded cluster runs, which
/// may be a link on PATH into the real folder (that holds pg_dump of the same version).
pub fn bindir() -> Result<PathBuf, BackupError> {
    let missing = || BackupError::Tool {
        step: "finding pg_dump",
        message: "the PostgreSQL binaries (pg_dump, pg_restore) are not installed on this machine"
            .into(),
    };
    let found = crate::embedded_pg::find_bindir().ok_or_else(missing)?;
    let real = found
        .join("initdb")
        .canonicalize()
        .ok()
        .and_then(|initdb| initdb.parent().map(Path::to_path_buf))
        .unwrap_or(found);
    if real.join("pg_dump").is_file() && real.join("pg_restore").is_file() {
        Ok(real)
    } else {
        Err(missing())
    }
}

/// A command for `tool` that connects to `url`.
fn command(bindir: &Path, tool: &str, url: &str) -> Result<Command, BackupError> {
    let config: tokio_postgres::Config = url.parse().map_err(|e| BackupError::Tool {
        step: "reading the database URL",
        message: format!("{e}"),
    })?;
    let mut command = Command::new(bindir.join(tool));
    command.stdin(Stdio::null());
    // Whatever the environment says, the tools connect where ksbfolio does.
    for name in ["PGSERVICE", "PGSERVICEFILE", "PGPASSFILE", "PGHOSTADDR"] {
        command.env_remove(name);
    }
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|host| match host {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    if !hosts.is_empty() {
        command.env("PGHOST", hosts.join(","));
    }
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    if !ports.is_empty() {
        command.env("PGPORT", ports.join(","));
    }
    if let Some(user) = config.get_user() {
        command.env("PGUSER", user);
    }
    match config.get_password() {
        Some(password) => command.env("PGPASSWORD", String::from_utf8_lossy(password).as_ref()),
        None => command.env_remove("PGPASSWORD"),
    };
    if let Some(dbname) = config.get_dbname() {
        command.env("PGDATABASE", dbname);
    }
    let sslmode = match config.get_ssl_mode() {
        SslMode::Disable => "disable",
        SslMode::Require => "require",
        _ => "prefer",
    };
    command.env("PGSSLMODE", sslmode);
    Ok(command)
}

fn run(mut command: Command, step: &'static str) -> Result<String, BackupError> {
    let output = command.output().map_err(|e| BackupError::Tool {
        step,
        message: e.to_string(),
    })?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).trim().to_string());
    }
    Err(BackupError::Tool {
        step,
        message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
    })
}

/// `pg_dump --version`, recorded in the backup.
pub fn version(bindir: &Path) -> Result<String, BackupError> {
    let mut command = Command::new(bindir.join("pg_dump"));
    command.arg("--version");
    run(command, "pg_dump --version")
}

/// Dumps the database at `url` as seen by `snapshot` (exported by a transaction the caller holds
/// open) into `file`, in pg_dump's compressed custom format.
pub fn dump(bindir: &Path, url: &str, snapshot: &str, file: &Path) -> Result<(), BackupError> {
    let mut command = command(bindir, "pg_dump", url)?;
    command
        .args(["--format=custom", "--no-password", "--snapshot"])
        .arg(snapshot)
        .arg("--file")
        .arg(file);
    run(command, "pg_dump").map(|_| ())
}

/// Restores `file` into the (empty) database at `url`, all or nothing.
pub fn restore(bindir: &Path, url: &str, file: &Path) -> Result<(), BackupError> {
    let mut command = command(bindir, "pg_restore", url)?;
    command
        .args([
            "--no-password",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--dbname",
        ])
        // The name alone: the rest of the connection comes from the environment.
        .arg(
            url.parse::<tokio_postgres::Config>()
                .ok()
                .and_then(|c| c.get_dbname().map(str::to_string))
                .unwrap_or_else(|| crate::embedded_pg::DATABASE_NAME.to_string()),
        )
        .arg(file);
    run(command, "pg_restore").map(|_| ())
}
