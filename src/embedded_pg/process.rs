//! Running the PostgreSQL tools, as the `postgres` OS user when this process is root.

use std::ffi::OsStr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::EmbeddedError;

/// Runs binaries from one PostgreSQL bindir, dropping root privileges when needed.
#[derive(Debug)]
pub struct Runner {
    bindir: PathBuf,
    /// `Some((uid, gid))` of the `postgres` user when we are root.
    run_as: Option<(u32, u32)>,
}

impl Runner {
    pub fn new(bindir: PathBuf) -> Result<Self, EmbeddedError> {
        let run_as = if nix::unistd::geteuid().is_root() {
            let user = nix::unistd::User::from_name("postgres")
                .ok()
                .flatten()
                .ok_or(EmbeddedError::RootWithoutPostgresUser)?;
            Some((user.uid.as_raw(), user.gid.as_raw()))
        } else {
            None
        };
        Ok(Self { bindir, run_as })
    }

    /// The `(uid, gid)` the cluster runs as when this process is root; `None`: as this process.
    pub fn owner(&self) -> Option<(u32, u32)> {
        self.run_as
    }

    /// Closes the data folder and the cluster's folders to other users and, under root, hands
    /// the cluster's folder to the `postgres` user and checks it can reach it.
    ///
    /// Security: `data_dir` is changed only when this user owns it and it is not a shared folder
    /// (sticky, like /tmp); the cluster's own folders are private in any case. Under root the
    /// `postgres` group may pass through `data_dir` (0710) to reach its folder, nothing more.
    /// The kept password stays with the user running ksbfolio.
    pub fn make_private(&self, data_dir: &Path, root: &Path) -> Result<(), EmbeddedError> {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = std::fs::metadata(data_dir)?;
        let ours = meta.uid() == nix::unistd::geteuid().as_raw();
        let shared = meta.mode() & 0o1000 != 0;
        if ours && !shared {
            let mode = match self.run_as {
                Some((_, gid)) => {
                    std::os::unix::fs::chown(data_dir, None, Some(gid))?;
                    0o710
                }
                None => 0o700,
            };
            std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(mode))?;
        }
        for dir in [root.to_path_buf(), root.join("run")] {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        }
        let Some((uid, gid)) = self.run_as else {
            return Ok(());
        };
        chown_recursive(root, uid, gid, &root.join(super::access::PASSWORD_FILE))?;
        let reachable = self
            .command("test")
            .args([OsStr::new("-w"), root.as_os_str()])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !reachable {
            return Err(EmbeddedError::Unreachable(root.to_path_buf()));
        }
        Ok(())
    }

    /// Runs a bindir tool, sending its output to `log`; fails with the log's tail.
    pub fn run(
        &self,
        tool: &'static str,
        args: &[&OsStr],
        log: &Path,
    ) -> Result<(), EmbeddedError> {
        let output = self
            .command(self.bindir.join(tool))
            .args(args)
            .stdin(Stdio::null())
            .output()?;
        if output.status.success() {
            return Ok(());
        }
        let mut message = String::from_utf8_lossy(&output.stderr).trim().to_string();
        if message.is_empty() {
            message = String::from_utf8_lossy(&output.stdout).trim().to_string();
        }
        Err(EmbeddedError::Command {
            step: tool,
            message,
            log: log.display().to_string(),
        })
    }

    fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        if let Some((uid, gid)) = self.run_as {
            // Security: the cluster never runs as root; it gets the postgres user's ids only.
            command.uid(uid).gid(gid).env("HOME", "/tmp");
        }
        command
    }
}

fn chown_recursive(path: &Path, uid: u32, gid: u32, except: &Path) -> std::io::Result<()> {
    if path == except {
        return Ok(());
    }
    std::os::unix::fs::chown(path, Some(uid), Some(gid))?;
    if path.is_dir() && !path.is_symlink() {
        for entry in std::fs::read_dir(path)? {
            chown_recursive(&entry?.path(), uid, gid, except)?;
        }
    }
    Ok(())
}

/// After a crash `postmaster.pid` stays behind. PostgreSQL itself ignores it when its PID is dead,
/// but in containers the PID is often reused by another process, which then blocks the start. A pid
/// file whose process is not a PostgreSQL server is removed here.
pub fn remove_stale_pid_file(pgdata: &Path) -> Result<(), EmbeddedError> {
    let pid_file = pgdata.join("postmaster.pid");
    let Ok(contents) = std::fs::read_to_string(&pid_file) else {
        return Ok(());
    };
    let pid = contents
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<u32>().ok());
    let alive_postgres = pid.is_some_and(|pid| {
        std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .map(|comm| {
                comm.trim().starts_with("postgres") || comm.trim().starts_with("postmaster")
            })
            .unwrap_or(false)
    });
    if !alive_postgres {
        tracing::warn!(file = %pid_file.display(), "removing a stale postmaster.pid left by a crash");
        std::fs::remove_file(&pid_file)?;
    }
    Ok(())
}
