//! A real PgBouncer (Debian's package, `.ci/run` installs it) in transaction pooling mode in front
//! of one test database, on a free port; stopped when dropped.
//!
//! `server_round_robin` makes it hand consecutive transactions to different server connections
//! whenever it has several, as a busy pooler does; [`PgBouncer::open_servers`] makes sure it has.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio_postgres::config::Host;

use super::database::TestDatabase;

pub struct PgBouncer {
    child: Child,
    /// The URL the application connects to: the test database, through PgBouncer.
    pub url: String,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

impl PgBouncer {
    /// Starts PgBouncer with a pool of `servers` server connections to `db`.
    pub async fn start(db: &TestDatabase, servers: u32) -> Self {
        let target: tokio_postgres::Config = db.url.parse().expect("test database URL");
        let host = match target.get_hosts().first().expect("a host") {
            Host::Tcp(name) => name.clone(),
            Host::Unix(dir) => dir.display().to_string(),
        };
        let port = target.get_ports().first().copied().unwrap_or(5432);
        let user = target.get_user().unwrap_or("postgres").to_string();
        let password = target
            .get_password()
            .map(|p| format!(" password={}", String::from_utf8_lossy(p)))
            .unwrap_or_default();
        // Under /tmp: when the tests run as root, PgBouncer (which refuses root) runs as `postgres`.
        let dir = tempfile::Builder::new()
            .prefix("ksbfolio-pgbouncer-")
            .tempdir_in("/tmp")
            .expect("dir");
        let listen = free_port();
        let config = format!(
            "[databases]\n\
             app = host={host} port={port} dbname={name} user={user}{password}\n\
             [pgbouncer]\n\
             listen_addr = 127.0.0.1\n\
             listen_port = {listen}\n\
             unix_socket_dir =\n\
             auth_type = trust\n\
             auth_file = {dir}/users.txt\n\
             pool_mode = transaction\n\
             default_pool_size = {servers}\n\
             server_round_robin = 1\n\
             ignore_startup_parameters = extra_float_digits,options\n\
             logfile = {dir}/pgbouncer.log\n\
             pidfile = {dir}/pgbouncer.pid\n",
            name = db.name,
            dir = dir.path().display(),
        );
        std::fs::write(dir.path().join("pgbouncer.ini"), config).expect("config");
        std::fs::write(dir.path().join("users.txt"), format!("\"{user}\" \"\"\n")).expect("users");
        let mut command = Command::new("pgbouncer");
        if nix::unistd::geteuid().is_root() {
            let postgres = nix::unistd::User::from_name("postgres")
                .expect("lookup")
                .expect("a postgres OS user");
            for entry in std::fs::read_dir(dir.path()).expect("dir") {
                let path = entry.expect("entry").path();
                std::os::unix::fs::chown(&path, Some(postgres.uid.as_raw()), None).expect("chown");
            }
            std::os::unix::fs::chown(dir.path(), Some(postgres.uid.as_raw()), None).expect("chown");
            command.args(["-u", "postgres"]);
        }
        let child = command
            .arg(dir.path().join("pgbouncer.ini"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pgbouncer starts (apt-get install pgbouncer; .ci/run does)");
        let bouncer = Self {
            child,
            url: format!("postgres://{user}@127.0.0.1:{listen}/app"),
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", listen))
            .await
            .is_err()
        {
            assert!(
                Instant::now() < deadline,
                "PgBouncer did not listen: {}",
                bouncer.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bouncer
    }

    /// PgBouncer's log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("pgbouncer.log")).unwrap_or_default()
    }

    /// Makes PgBouncer open `n` server connections now, by holding `n` transactions at once.
    pub async fn open_servers(&self, n: usize) {
        let holds = (0..n).map(|_| async {
            let (client, connection) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
                .await
                .expect("through PgBouncer");
            let driver = tokio::spawn(connection);
            client
                .simple_query("BEGIN; SELECT pg_sleep(0.3); COMMIT")
                .await
                .expect("a held transaction");
            drop(client);
            let _ = driver.await;
        });
        futures_util::future::join_all(holds).await;
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.child.id()).unwrap_or(0));
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let _ = self.child.wait();
    }
}
