//! A private PostgreSQL primary and a streaming standby of it (`pg_basebackup -R`), each on its
//! own loopback port, for the read replica tests. The machine's own cluster allows no
//! replication connections, and a standby of it would carry every other test's database; this
//! pair carries one migrated database. Under root the servers run as the `postgres` OS user
//! (PostgreSQL refuses root). Both are stopped when the pair is dropped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::database::TestDatabase;

pub struct ReplicaPair {
    dir: tempfile::TempDir,
    bindir: PathBuf,
    primary_port: u16,
    standby_port: u16,
    /// `recovery_min_apply_delay` of the standby: how long each commit waits before it is applied.
    apply_delay: Duration,
    /// The tests run as root: the servers run as `postgres`.
    as_postgres: bool,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

impl ReplicaPair {
    /// Starts the primary, makes a migrated database on it (returned), then clones the primary
    /// into a standby whose commits are applied `apply_delay` late, and starts it.
    pub async fn start(apply_delay: Duration) -> (Self, TestDatabase) {
        // Links resolved: a folder on PATH may link `initdb` and `pg_ctl` but not `pg_basebackup`.
        let initdb = ksbfolio::embedded_pg::find_bindir()
            .expect("the PostgreSQL server binaries")
            .join("initdb");
        let bindir = std::fs::canonicalize(initdb)
            .expect("initdb")
            .parent()
            .expect("its folder")
            .to_path_buf();
        // Under /tmp, so that the `postgres` user can reach it when the tests run as root.
        let dir = tempfile::Builder::new()
            .prefix("ksbfolio-replica-")
            .tempdir_in("/tmp")
            .expect("dir");
        let pair = Self {
            bindir,
            primary_port: free_port(),
            standby_port: free_port(),
            apply_delay,
            as_postgres: nix::unistd::geteuid().is_root(),
            dir,
        };
        std::fs::create_dir(pair.run_dir()).expect("socket dir");
        if pair.as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(pair.dir.path())
                .status()
                .expect("chown");
            assert!(status.success(), "chown of {}", pair.dir.path().display());
        }
        pair.pg(
            "initdb",
            &[
                "-D",
                &pair.data("primary"),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        );
        pair.start_server("primary", pair.primary_port);
        let db = TestDatabase::migrated_on(&pair.primary_url("postgres")).await;
        pair.pg(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &pair.primary_port.to_string(),
                "-U",
                "postgres",
                "-D",
                &pair.data("standby"),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync",
            ],
        );
        let delay = format!(
            "\nrecovery_min_apply_delay = '{}ms'\n",
            pair.apply_delay.as_millis()
        );
        let auto_conf = Path::new(&pair.data("standby")).join("postgresql.auto.conf");
        let mut conf = std::fs::read_to_string(&auto_conf).expect("standby's auto conf");
        conf.push_str(&delay);
        std::fs::write(&auto_conf, conf).expect("standby's auto conf");
        pair.start_standby();
        (pair, db)
    }

    /// The primary's URL for `database`.
    pub fn primary_url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{database}",
            self.primary_port
        )
    }

    /// The standby's URL for `database`.
    pub fn standby_url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{database}",
            self.standby_port
        )
    }

    pub fn stop_standby(&self) {
        self.pg(
            "pg_ctl",
            &["-D", &self.data("standby"), "-m", "fast", "-w", "stop"],
        );
    }

    pub fn start_standby(&self) {
        self.start_server("standby", self.standby_port);
    }

    /// Waits until the standby has applied everything the primary had written when called.
    pub async fn wait_replayed(&self) {
        let primary = self.connect(&self.primary_url("postgres")).await;
        let target: String = primary
            .query_one("SELECT pg_current_wal_lsn()::text", &[])
            .await
            .expect("primary position")
            .get(0);
        let standby = self.connect(&self.standby_url("postgres")).await;
        let deadline = Instant::now() + self.apply_delay + Duration::from_secs(30);
        loop {
            let replayed: bool = standby
                .query_one(
                    "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn",
                    &[&target],
                )
                .await
                .expect("standby position")
                .get(0);
            if replayed {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the standby did not reach {target}: {}",
                self.log("standby")
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A server's log, for failure messages.
    pub fn log(&self, server: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("{server}.log"))).unwrap_or_default()
    }

    async fn connect(&self, url: &str) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("connect");
        tokio::spawn(connection);
        client
    }

    fn run_dir(&self) -> PathBuf {
        self.dir.path().join("run")
    }

    fn data(&self, server: &str) -> String {
        self.dir.path().join(server).display().to_string()
    }

    fn start_server(&self, server: &str, port: u16) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c max_wal_senders=4 \
             -c wal_keep_size=256MB",
            self.run_dir().display()
        );
        let log = self
            .dir
            .path()
            .join(format!("{server}.log"))
            .display()
            .to_string();
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &self.data(server),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    /// One of the server programs, to run as `postgres` under root.
    fn command(&self, program: &str) -> Command {
        let path = self.bindir.join(program);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&path);
            command
        } else {
            Command::new(&path)
        }
    }

    /// Runs one of the server programs and asserts it succeeded.
    fn pg(&self, program: &str, args: &[&str]) {
        let output = self.command(program).args(args).output().expect("runs");
        assert!(
            output.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for ReplicaPair {
    fn drop(&mut self) {
        for server in ["standby", "primary"] {
            let data = self.data(server);
            if Path::new(&data).join("postmaster.pid").exists() {
                let _ = self
                    .command("pg_ctl")
                    .args(["-D", &data, "-m", "immediate", "-w", "stop"])
                    .output();
            }
        }
    }
}
