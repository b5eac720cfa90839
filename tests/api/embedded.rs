//! The embedded cluster of the default set-up: initialised once, reused, restartable after a crash.

use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use ksbfolio::embedded_pg::EmbeddedPostgres;

#[derive(diesel::QueryableByName)]
struct Value {
    #[diesel(sql_type = Text)]
    value: String,
}

async fn start(dir: std::path::PathBuf) -> EmbeddedPostgres {
    tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&dir))
        .await
        .expect("join")
        .expect("embedded cluster starts")
}

async fn stop(embedded: EmbeddedPostgres) {
    tokio::task::spawn_blocking(move || embedded.stop())
        .await
        .expect("join")
        .expect("stops");
}

#[tokio::test]
async fn data_survives_a_restart_and_a_stale_pid_file_does_not_block_the_start() {
    // Under /tmp (not target/) so that, when run as root, the postgres user can reach it.
    let dir = tempfile::Builder::new()
        .prefix("ksbfolio-embedded-")
        .tempdir_in("/tmp")
        .expect("temp dir");
    let root = dir.path().to_path_buf();

    let embedded = start(root.clone()).await;
    ksbfolio::db::create_database_if_missing(&embedded.admin_url(), "ksbfolio")
        .await
        .expect("database");
    let mut conn = AsyncPgConnection::establish(&embedded.database_url())
        .await
        .expect("connect");
    conn.batch_execute("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')")
        .await
        .expect("write");
    drop(conn);
    stop(embedded).await;

    // A crash leaves postmaster.pid behind, naming a PID that is now something else (PID 1).
    let pid_file = root.join("postgres/pgdata/postmaster.pid");
    std::fs::write(&pid_file, "1\n/nonexistent\n").expect("write stale pid file");

    let embedded = start(root.clone()).await;
    let mut conn = AsyncPgConnection::establish(&embedded.database_url())
        .await
        .expect("connect");
    let rows: Vec<Value> = diesel::sql_query("SELECT value FROM kept")
        .load(&mut conn)
        .await
        .expect("table survived");
    assert!(rows.iter().any(|r| r.value == "still here"));
    drop(conn);
    stop(embedded).await;
    assert!(!pid_file.exists(), "a clean stop removes the pid file");
}

/// Runs a PostgreSQL tool as the cluster's OS user: `postgres` under root, else this user.
fn as_cluster_user(program: &std::path::Path) -> std::process::Command {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(program);
    if nix::unistd::geteuid().is_root() {
        let user = nix::unistd::User::from_name("postgres")
            .expect("user lookup")
            .expect("a postgres OS user");
        command
            .uid(user.uid.as_raw())
            .gid(user.gid.as_raw())
            .env("HOME", "/tmp");
    }
    command
}

/// Stops the cluster in `pgdata` however a test ends (a failed assertion must not leave it
/// running); a cluster already stopped is left be.
struct StopOnDrop(std::path::PathBuf);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if self.0.join("postmaster.pid").exists()
            && let Some(bindir) = ksbfolio::embedded_pg::find_bindir()
        {
            let _ = as_cluster_user(&bindir.join("pg_ctl"))
                .arg("-D")
                .arg(&self.0)
                .args(["-m", "immediate", "-w", "stop"])
                .output();
        }
    }
}

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn private_dir() -> tempfile::TempDir {
    // Under /tmp (not target/) so that, when run as root, the postgres user can reach it.
    tempfile::Builder::new()
        .prefix("ksbfolio-private-")
        .tempdir_in("/tmp")
        .expect("temp dir")
}

/// Tries `psql` on the cluster's socket as the OS user `nobody` and returns its error output.
/// Switching users needs root, which these tests have here and in CI; without it they fail
/// rather than pass without checking.
fn psql_as_nobody(socket_dir: &std::path::Path) -> String {
    assert!(
        nix::unistd::geteuid().is_root(),
        "this test connects as the OS user `nobody` and must run as root (CI does)"
    );
    // psql sits beside the real initdb (the bindir found may hold links to it).
    let initdb = ksbfolio::embedded_pg::find_bindir()
        .expect("PostgreSQL binaries")
        .join("initdb")
        .canonicalize()
        .expect("initdb");
    let psql = initdb.with_file_name("psql");
    let output = std::process::Command::new("runuser")
        .args(["-u", "nobody", "--"])
        .arg(psql)
        .args(["-w", "-h"])
        .arg(socket_dir)
        .args(["-U", "postgres", "-d", "postgres", "-c", "SELECT 1"])
        .env_remove("PGPASSWORD")
        .output()
        .expect("runuser runs");
    assert!(
        !output.status.success(),
        "another OS user got into the embedded cluster: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The connection error of `url`, which must be refused, with its cause.
async fn refused(url: &str) -> String {
    match tokio_postgres::connect(url, tokio_postgres::NoTls).await {
        Ok(_) => panic!("connected without the password"),
        Err(error) => format!("{error:?}"),
    }
}

/// The same URL without its password (the embedded URLs end with it).
fn without_password(url: &str) -> String {
    let (kept, _) = url.split_once("&password=").expect("a password in the URL");
    kept.to_string()
}

#[tokio::test]
async fn a_new_embedded_cluster_admits_only_its_owner_and_only_with_the_kept_password() {
    use std::os::unix::fs::MetadataExt;
    let dir = private_dir();
    let embedded = start(dir.path().to_path_buf()).await;
    let root = dir.path().join("postgres");
    let _guard = StopOnDrop(root.join("pgdata"));

    let password_file = root.join(ksbfolio::embedded_pg::PASSWORD_FILE);
    assert_eq!(mode(&password_file), 0o600);
    let owner = std::fs::metadata(&password_file).expect("file").uid();
    assert_eq!(
        owner,
        nix::unistd::geteuid().as_raw(),
        "the password belongs to the user running ksbfolio, not the cluster's OS user"
    );
    let expected_data_dir = if nix::unistd::geteuid().is_root() {
        0o710
    } else {
        0o700
    };
    assert_eq!(mode(dir.path()), expected_data_dir);
    for private in [root.clone(), root.join("pgdata"), root.join("run")] {
        assert_eq!(mode(&private), 0o700, "{}", private.display());
    }
    assert_eq!(mode(&root.join("run/.s.PGSQL.5432")), 0o700, "socket");
    assert!(
        !root.join("initdb-password").exists(),
        "initdb's copy is gone"
    );

    let password = std::fs::read_to_string(&password_file).expect("password");
    assert!(embedded.admin_url().contains(password.trim()));
    AsyncPgConnection::establish(&embedded.admin_url())
        .await
        .expect("the owner connects with the password");
    let error = refused(&without_password(&embedded.admin_url())).await;
    assert!(error.contains("password"), "{error}");
    let error = psql_as_nobody(&embedded.socket_dir());
    assert!(error.contains("Permission denied"), "{error}");
    stop(embedded).await;
}

#[tokio::test]
async fn a_trusting_cluster_from_an_earlier_version_is_given_a_password_and_closed_on_start() {
    let dir = private_dir();
    let root = dir.path().join("postgres");
    let (pgdata, run) = (root.join("pgdata"), root.join("run"));
    let bindir = ksbfolio::embedded_pg::find_bindir().expect("PostgreSQL binaries");
    let _guard = StopOnDrop(pgdata.clone());
    // What earlier versions made: trust for every local connection, a socket open to all.
    std::fs::create_dir_all(&run).expect("dirs");
    if nix::unistd::geteuid().is_root() {
        let user = nix::unistd::User::from_name("postgres")
            .expect("lookup")
            .expect("postgres user");
        for path in [&root, &run] {
            std::os::unix::fs::chown(path, Some(user.uid.as_raw()), Some(user.gid.as_raw()))
                .expect("chown");
        }
    }
    let initdb = as_cluster_user(&bindir.join("initdb"))
        .arg("-D")
        .arg(&pgdata)
        .args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ])
        .output()
        .expect("initdb runs");
    assert!(
        initdb.status.success(),
        "{}",
        String::from_utf8_lossy(&initdb.stderr)
    );
    let started = as_cluster_user(&bindir.join("pg_ctl"))
        .arg("-D")
        .arg(&pgdata)
        .arg("-l")
        .arg(root.join("server.log"))
        .arg("-o")
        .arg(format!("-k {} -c listen_addresses=''", run.display()))
        .args(["-w", "start"])
        .output()
        .expect("pg_ctl runs");
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let old_url = format!(
        "postgresql:///postgres?user=postgres&host={}",
        run.display()
    );
    let mut conn = AsyncPgConnection::establish(&old_url)
        .await
        .expect("trusted, as before");
    conn.batch_execute("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')")
        .await
        .expect("write");
    drop(conn);
    assert_eq!(
        mode(&run.join(".s.PGSQL.5432")) & 0o777,
        0o777,
        "open to all before"
    );

    // The new version finds it running and protects it in place.
    let embedded = start(dir.path().to_path_buf()).await;
    assert_eq!(
        mode(&root.join(ksbfolio::embedded_pg::PASSWORD_FILE)),
        0o600
    );
    assert_eq!(mode(&run.join(".s.PGSQL.5432")), 0o700);
    let hba = std::fs::read_to_string(pgdata.join("pg_hba.conf")).expect("hba");
    assert!(
        hba.lines()
            .map(|l| l.split('#').next().unwrap_or_default())
            .all(|l| !l.contains("trust")),
        "{hba}"
    );
    // The reload is a signal: give the server a moment to read the new rules.
    let mut error = String::new();
    for _ in 0..50 {
        match tokio_postgres::connect(&old_url, tokio_postgres::NoTls).await {
            Ok(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            Err(e) => {
                error = format!("{e:?}");
                break;
            }
        }
    }
    assert!(
        error.contains("password"),
        "still trusted without a password: {error}"
    );
    let mut conn = AsyncPgConnection::establish(&embedded.admin_url())
        .await
        .expect("the kept password works");
    let rows: Vec<Value> = diesel::sql_query("SELECT value FROM kept")
        .load(&mut conn)
        .await
        .expect("data survived");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].value, "still here");
    drop(conn);
    let error = psql_as_nobody(&embedded.socket_dir());
    assert!(error.contains("Permission denied"), "{error}");

    // It was not started by this process; stop it the way it was started, then restart it.
    let stopped = as_cluster_user(&bindir.join("pg_ctl"))
        .arg("-D")
        .arg(&pgdata)
        .args(["-m", "fast", "-w", "stop"])
        .output()
        .expect("pg_ctl runs");
    assert!(stopped.status.success());
    let embedded = start(dir.path().to_path_buf()).await;
    assert_eq!(
        mode(&run.join(".s.PGSQL.5432")),
        0o700,
        "from the start options"
    );
    AsyncPgConnection::establish(&embedded.admin_url())
        .await
        .expect("connects after a restart");
    let error = refused(&old_url).await;
    assert!(error.contains("password"), "{error}");
    stop(embedded).await;
}

#[tokio::test]
async fn the_embedded_default_never_logs_its_password() {
    let dir = private_dir();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ksbfolio"))
        .arg("migrate")
        .env_remove("DATABASE_URL")
        .env("KSBFOLIO_DATA_DIR", dir.path())
        .env("RUST_LOG", "trace")
        .output()
        .expect("runs");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{all}");
    let password = std::fs::read_to_string(
        dir.path()
            .join("postgres")
            .join(ksbfolio::embedded_pg::PASSWORD_FILE),
    )
    .unwrap_or_else(|e| panic!("password kept: {e}\n{all}"));
    assert!(all.contains("embedded"), "trace logs were written: {all}");
    assert!(!all.contains(password.trim()), "the password was logged");
    assert!(
        !std::fs::read_to_string(dir.path().join("postgres/server.log"))
            .expect("server log")
            .contains(password.trim())
    );
}
