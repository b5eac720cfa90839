//! The private PostgreSQL cluster behind the default set-up.
//!
//! When no `DATABASE_URL` is given, ksbfolio runs its own cluster in `$KSBFOLIO_DATA_DIR/postgres`
//! with the server binaries already on the machine. It listens on a Unix socket inside that folder
//! only (`listen_addresses = ''`), so it never clashes with a system PostgreSQL. PostgreSQL refuses
//! to run as root, so under root the cluster's files and processes belong to the `postgres` OS user.
//!
//! Layout of `$KSBFOLIO_DATA_DIR/postgres`: `pgdata/` (the cluster), `run/` (the socket), `server.log`.

mod binaries;
mod process;

use std::path::{Path, PathBuf};

pub use binaries::find_bindir;
use process::{Runner, remove_stale_pid_file};

/// Name of the application database inside the embedded cluster.
pub const DATABASE_NAME: &str = "ksbfolio";

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH, via `pg_config --bindir` or \
         in /usr/lib/postgresql/*/bin. Install them (Debian/Ubuntu: `apt-get install postgresql`; \
         macOS: `brew install postgresql@16`) or set DATABASE_URL to an existing PostgreSQL server."
    )]
    BinariesNotFound,
    #[error(
        "PostgreSQL refuses to run as root and there is no `postgres` OS user to run the embedded \
         cluster as. Create one (`useradd --system postgres`), run ksbfolio as an ordinary user, or \
         set DATABASE_URL to an existing PostgreSQL server."
    )]
    RootWithoutPostgresUser,
    #[error(
        "The `postgres` OS user cannot reach {0}: a parent folder is not traversable by other users. \
         Choose another KSBFOLIO_DATA_DIR or set DATABASE_URL."
    )]
    Unreachable(PathBuf),
    #[error(
        "The socket path {0} is longer than the 107 bytes a Unix socket allows; use a shorter KSBFOLIO_DATA_DIR."
    )]
    SocketPathTooLong(PathBuf),
    #[error("{step} failed: {message} (see {log})")]
    Command {
        step: &'static str,
        message: String,
        log: String,
    },
    #[error("embedded PostgreSQL: {0}")]
    Io(#[from] std::io::Error),
}

/// A running embedded cluster. [`EmbeddedPostgres::stop`] stops it if this process started it.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    root: PathBuf,
    runner: Runner,
    started_here: bool,
}

impl EmbeddedPostgres {
    /// Initialises the cluster on first use and starts it unless it is already running.
    /// Idempotent: a second call finds the running server. The application database is created
    /// by the caller through [`EmbeddedPostgres::admin_url`].
    pub fn start(data_dir: &Path) -> Result<Self, EmbeddedError> {
        let bindir = find_bindir().ok_or(EmbeddedError::BinariesNotFound)?;
        std::fs::create_dir_all(data_dir)?;
        let root = std::path::absolute(data_dir.join("postgres"))?;
        let socket = root.join("run").join(".s.PGSQL.5432");
        if socket.as_os_str().len() > 107 {
            return Err(EmbeddedError::SocketPathTooLong(socket));
        }
        let runner = Runner::new(bindir)?;
        std::fs::create_dir_all(root.join("run"))?;
        runner.take_ownership(&root)?;

        let pgdata = root.join("pgdata");
        if !pgdata.join("PG_VERSION").exists() {
            tracing::info!(dir = %pgdata.display(), "initialising the embedded PostgreSQL cluster");
            runner.run(
                "initdb",
                &[
                    "-D".as_ref(),
                    pgdata.as_os_str(),
                    "-U".as_ref(),
                    "postgres".as_ref(),
                    "--auth=trust".as_ref(),
                    "-E".as_ref(),
                    "UTF8".as_ref(),
                    "--locale=C.UTF-8".as_ref(),
                ],
                &root.join("server.log"),
            )?;
        }

        let mut embedded = Self {
            root,
            runner,
            started_here: false,
        };
        remove_stale_pid_file(&pgdata)?;
        if !embedded.is_running() {
            embedded.pg_ctl_start()?;
            embedded.started_here = true;
        }
        Ok(embedded)
    }

    /// The connection URL of the application database (Unix socket, no TCP).
    pub fn database_url(&self) -> String {
        self.url_for(DATABASE_NAME)
    }

    /// The connection URL of the maintenance database, for creating others.
    pub fn admin_url(&self) -> String {
        self.url_for("postgres")
    }

    /// The connection URL of another database in the same cluster.
    pub fn url_for(&self, database: &str) -> String {
        format!(
            "postgresql:///{database}?user=postgres&host={}",
            self.root.join("run").display()
        )
    }

    /// Stops the cluster (fast shutdown) when this process started it; otherwise leaves it be.
    pub fn stop(self) -> Result<(), EmbeddedError> {
        if self.started_here {
            tracing::info!("stopping the embedded PostgreSQL cluster");
            self.pg_ctl(&["stop", "-m", "fast", "-w"])?;
        }
        Ok(())
    }

    fn is_running(&self) -> bool {
        self.pg_ctl(&["status"]).is_ok()
    }

    fn pg_ctl_start(&self) -> Result<(), EmbeddedError> {
        let options = format!(
            "-k {} -c listen_addresses='' -c max_connections=200",
            self.root.join("run").display()
        );
        let log = self.root.join("server.log");
        let log = log.to_string_lossy();
        self.pg_ctl(&["start", "-w", "-t", "60", "-l", &log, "-o", &options])
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), EmbeddedError> {
        let pgdata = self.root.join("pgdata");
        let mut full: Vec<&std::ffi::OsStr> = vec!["-D".as_ref(), pgdata.as_os_str()];
        full.extend(args.iter().map(|a| std::ffi::OsStr::new(*a)));
        self.runner
            .run("pg_ctl", &full, &self.root.join("server.log"))
    }
}
