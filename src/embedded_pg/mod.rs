//! The private PostgreSQL cluster behind the default set-up.
//!
//! When no `DATABASE_URL` is given, ksbfolio runs its own cluster in `$KSBFOLIO_DATA_DIR/postgres`
//! with the server binaries already on the machine. It listens on a Unix socket inside that folder
//! only (`listen_addresses = ''`), so it never clashes with a system PostgreSQL. PostgreSQL refuses
//! to run as root, so under root the cluster's files and processes belong to the `postgres` OS user.
//! Only the user running ksbfolio can connect, with a generated password (see `access`).
//!
//! Layout of `$KSBFOLIO_DATA_DIR/postgres`: `pgdata/` (the cluster), `run/` (the socket),
//! `server.log`, `password` (the superuser's password, 0600).

mod access;
mod binaries;
mod process;

use std::path::{Path, PathBuf};

pub use access::PASSWORD_FILE;
use access::Password;
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
    #[error(
        "The embedded cluster requires a password but its password file {0} is missing. Restore \
         the file, or move the postgres folder aside to start with an empty database."
    )]
    PasswordMissing(PathBuf),
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
/// Its `Debug` output leaves the password out.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    root: PathBuf,
    runner: Runner,
    password: Password,
    started_here: bool,
}

impl EmbeddedPostgres {
    /// Initialises the cluster on first use and starts it unless it is already running.
    /// Idempotent: a second call finds the running server. A cluster made by an earlier version,
    /// which trusted every local connection, is given a password and made to require it. The
    /// application database is created by the caller through [`EmbeddedPostgres::admin_url`].
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
        runner.make_private(data_dir, &root)?;

        let pgdata = root.join("pgdata");
        let password = if !pgdata.join("PG_VERSION").exists() {
            let password = Password::load_or_create(&root)?;
            Self::initdb(&runner, &root, &password)?;
            password
        } else if access::hba_requires_password(&pgdata)? {
            Password::load(&root)?
                .ok_or_else(|| EmbeddedError::PasswordMissing(root.join(PASSWORD_FILE)))?
        } else {
            // An earlier version's trusting cluster: protected below, once it runs.
            Password::load_or_create(&root)?
        };
        access::ensure_private_settings(&pgdata)?;

        let mut embedded = Self {
            root,
            runner,
            password,
            started_here: false,
        };
        remove_stale_pid_file(&pgdata)?;
        if embedded.is_running() {
            // Possibly started by an earlier version, with its socket open to every user.
            access::close_socket(&embedded.root.join("run"))?;
        } else {
            embedded.pg_ctl_start()?;
            embedded.started_here = true;
        }
        if !access::hba_requires_password(&pgdata)?
            && let Err(error) = embedded.protect_trusted()
        {
            // Never leave a cluster running that this process started and could not protect.
            if embedded.started_here {
                let _ = embedded.pg_ctl(&["stop", "-m", "fast", "-w"]);
            }
            return Err(error);
        }
        Ok(embedded)
    }

    fn initdb(runner: &Runner, root: &Path, password: &Password) -> Result<(), EmbeddedError> {
        let pgdata = root.join("pgdata");
        tracing::info!(dir = %pgdata.display(), "initialising the embedded PostgreSQL cluster");
        let pwfile = access::InitdbPasswordFile::write(root, password, runner.owner())?;
        runner.run(
            "initdb",
            &[
                "-D".as_ref(),
                pgdata.as_os_str(),
                "-U".as_ref(),
                "postgres".as_ref(),
                "--auth=scram-sha-256".as_ref(),
                "--pwfile".as_ref(),
                pwfile.path().as_os_str(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C.UTF-8".as_ref(),
            ],
            &root.join("server.log"),
        )
    }

    /// Gives a trusting cluster (an earlier version's) the kept password and makes it required.
    fn protect_trusted(&self) -> Result<(), EmbeddedError> {
        tracing::warn!(
            dir = %self.root.display(),
            "the embedded cluster let every local connection in (made by an earlier version); \
             setting a password and requiring it"
        );
        let trusted_url = format!(
            "postgresql:///postgres?user=postgres&host={}",
            self.root.join("run").display()
        );
        access::protect_trusted(
            &trusted_url,
            &self.root.join("pgdata"),
            &self.password,
            self.runner.owner(),
        )?;
        self.pg_ctl(&["reload"])
    }

    /// The connection URL of the application database (Unix socket, no TCP).
    pub fn database_url(&self) -> String {
        self.url_for(DATABASE_NAME)
    }

    /// The connection URL of the maintenance database, for creating others.
    pub fn admin_url(&self) -> String {
        self.url_for("postgres")
    }

    /// The connection URL of another database in the same cluster. It carries the password:
    /// never log it.
    pub fn url_for(&self, database: &str) -> String {
        format!(
            "postgresql:///{database}?user=postgres&host={}&password={}",
            self.root.join("run").display(),
            self.password.as_str()
        )
    }

    /// The folder holding the socket (`$KSBFOLIO_DATA_DIR/postgres/run`).
    pub fn socket_dir(&self) -> PathBuf {
        self.root.join("run")
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
        // Also in postgresql.conf (`access`); given here too so that they hold whatever else
        // the file says.
        let options = format!(
            "-k {} -c listen_addresses='' -c unix_socket_permissions=0700 -c max_connections=200",
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
