//! `ksbfolio serve` on its embedded default, as a new user runs it: it starts its own cluster,
//! stops it on SIGTERM, and keeps the data for the next start.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::world::PASSWORD;

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

pub(crate) fn serve(data_dir: &std::path::Path, port: u16) -> Child {
    serve_with(data_dir, port, &[])
}

/// [`serve`] with these settings besides, e.g. `("KSBFOLIO_MAIL_WORKER", "false")`.
pub(crate) fn serve_with(
    data_dir: &std::path::Path,
    port: u16,
    settings: &[(&str, &str)],
) -> Child {
    Command::new(env!("CARGO_BIN_EXE_ksbfolio"))
        .arg("serve")
        .env_remove("DATABASE_URL")
        .env("KSBFOLIO_DATA_DIR", data_dir)
        .env("KSBFOLIO_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .envs(settings.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts")
}

pub(crate) async fn wait_ready(client: &reqwest::Client, port: u16) {
    for _ in 0..150 {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the server never became ready");
}

pub(crate) fn terminate(mut child: Child) {
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("pid")),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("signal");
    let status = child.wait().expect("exits");
    assert!(status.success(), "clean exit after SIGTERM: {status}");
}

#[tokio::test]
async fn the_embedded_default_serves_stops_cleanly_and_keeps_its_data() {
    // Under /tmp so that, when run as root, the postgres user can reach it.
    let dir = tempfile::Builder::new()
        .prefix("ksbfolio-serve-")
        .tempdir_in("/tmp")
        .expect("dir");
    let client = reqwest::Client::new();

    let port = free_port();
    let server = serve(dir.path(), port);
    wait_ready(&client, port).await;
    let standard: serde_json::Value = client
        .get(format!("http://127.0.0.1:{port}/api/v1/standards/ST0220"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(standard["ksbs"].as_array().expect("ksbs").len(), 94);
    let created = Command::new(env!("CARGO_BIN_EXE_ksbfolio"))
        .args([
            "users",
            "create-admin",
            "--email",
            "first@trust.nhs.uk",
            "--name",
            "First Admin",
        ])
        .env_remove("DATABASE_URL")
        .env("KSBFOLIO_DATA_DIR", dir.path())
        .env("KSBFOLIO_ADMIN_PASSWORD", PASSWORD)
        .output()
        .expect("runs");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    terminate(server);
    let pid_file = dir.path().join("postgres/pgdata/postmaster.pid");
    assert!(!pid_file.exists(), "the cluster was stopped");
    let secret = dir.path().join("jwt-secret");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&secret)
            .expect("secret")
            .permissions()
            .mode()
            & 0o777,
        0o600
    );

    let port = free_port();
    let server = serve(dir.path(), port);
    wait_ready(&client, port).await;
    let login = client
        .post(format!("http://127.0.0.1:{port}/api/v1/auth/login"))
        .json(&serde_json::json!({ "email": "first@trust.nhs.uk", "password": PASSWORD }))
        .send()
        .await
        .expect("sent");
    assert_eq!(
        login.status().as_u16(),
        200,
        "the admin survived the restart"
    );
    terminate(server);
    assert!(!pid_file.exists());
}
