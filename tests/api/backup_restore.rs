//! `ksbfolio backup DIR` and `ksbfolio restore DIR` on the embedded default, run as the binary an
//! operator runs: the restore drill, and the damaged backups and data folders it refuses.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ksbfolio::embedded_pg::EmbeddedPostgres;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::attachments::PNG;
use crate::serve::{free_port, serve, serve_with, terminate, wait_ready};

fn ksbfolio(data_dir: &Path, args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ksbfolio"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("KSBFOLIO_STORAGE")
        .env("KSBFOLIO_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("ksbfolio runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// A folder under /tmp (reachable by the `postgres` user when the tests run as root).
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("ksbfolio-backup-")
        .tempdir_in("/tmp")
        .expect("temp dir")
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    ksbfolio::backup::manifest::files_under(dir)
        .unwrap_or_default()
        .into_iter()
        .map(|relative| {
            let bytes = std::fs::read(dir.join(&relative)).expect("read");
            (relative, bytes)
        })
        .collect()
}

/// Every table of the application database: its row count and a hash of all its rows in order.
async fn tables(data_dir: PathBuf) -> BTreeMap<String, (i64, String)> {
    let embedded = tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&data_dir))
        .await
        .expect("join")
        .expect("cluster starts");
    let (client, connection) =
        tokio_postgres::connect(&embedded.database_url(), tokio_postgres::NoTls)
            .await
            .expect("connect");
    let driver = tokio::spawn(connection);
    client
        .batch_execute("SET TIME ZONE 'UTC'")
        .await
        .expect("utc");
    let names: Vec<String> = client
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
            &[],
        )
        .await
        .expect("tables")
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut out = BTreeMap::new();
    for name in names {
        let row = client
            .query_one(
                &format!(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) \
                     FROM \"{name}\" t"
                ),
                &[],
            )
            .await
            .expect("rows");
        out.insert(name, (row.get(0), row.get(1)));
    }
    drop(client);
    let _ = driver.await;
    tokio::task::spawn_blocking(move || embedded.stop())
        .await
        .expect("join")
        .expect("stops");
    out
}

/// Signs in as `email` with the demo password on the server at `base`.
async fn token(client: &reqwest::Client, base: &str, email: &str) -> String {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": ksbfolio::demo::DEMO_PASSWORD }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200, "login of {email}");
    let body: Value = response.json().await.expect("json");
    body["access_token"].as_str().expect("token").to_string()
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_elsewhere_with_every_row_and_file_equal() {
    let scratch = scratch();
    let (source, backup, restored) = (
        scratch.path().join("source"),
        scratch.path().join("backup"),
        scratch.path().join("restored"),
    );

    let seeded = ksbfolio(
        &source,
        &[
            "demo".as_ref(),
            "seed".as_ref(),
            "--apprenticeships".as_ref(),
            "2".as_ref(),
        ],
    );
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let apprentice = text(&seeded.stdout)
        .lines()
        .find_map(|line| line.trim().strip_prefix("apprentice ").map(str::trim))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the demo apprentice's e-mail")
        .to_string();

    // An attachment through the API of the running server, then the backup while it runs. Its
    // delivery worker and scheduled jobs are off: they write on their own time (reminders of the
    // demo's reviews, a message marked sent or released at shutdown), and a row changed after
    // the backup's snapshot would differ, rightly, from the restored one compared below.
    let http = reqwest::Client::new();
    let port = free_port();
    let server = serve_with(&source, port, &[("KSBFOLIO_MAIL_WORKER", "false")]);
    wait_ready(&http, port).await;
    let base = format!("http://127.0.0.1:{port}");
    let bearer = token(&http, &base, &apprentice).await;
    let list: Value = http
        .get(format!("{base}/api/v1/apprenticeships"))
        .bearer_auth(&bearer)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let apprenticeship = list["items"][0]["id"].as_str().expect("id").to_string();
    let created = http
        .post(format!(
            "{base}/api/v1/apprenticeships/{apprenticeship}/evidence"
        ))
        .bearer_auth(&bearer)
        .json(&json!({
            "title": "Calibration log", "description": "What I did and what I learnt.",
            "kind": "observation", "occurred_on": chrono::Utc::now().date_naive(), "ksbs": ["K1"],
        }))
        .send()
        .await
        .expect("sent");
    let status = created.status().as_u16();
    let evidence: Value = created.json().await.expect("json");
    assert_eq!(status, 201, "{evidence}");
    let evidence = evidence["id"].as_str().expect("evidence id").to_string();
    let part = Part::bytes(PNG.to_vec())
        .file_name("log.png")
        .mime_str("image/png")
        .expect("mime");
    let uploaded = http
        .post(format!("{base}/api/v1/evidence/{evidence}/attachments"))
        .bearer_auth(&bearer)
        .multipart(Form::new().part("file", part))
        .send()
        .await
        .expect("sent");
    assert_eq!(uploaded.status().as_u16(), 201);
    let attachment: Value = uploaded.json().await.expect("json");
    let attachment = attachment["id"]
        .as_str()
        .expect("attachment id")
        .to_string();

    let made = ksbfolio(&source, &["backup".as_ref(), backup.as_os_str()]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(
        text(&made.stdout).contains("1 attachments"),
        "{}",
        text(&made.stdout)
    );
    terminate(server);

    // Readable by the owner only, as the data folder is.
    assert_eq!(mode(&backup), 0o700);
    let backed_up = ksbfolio::backup::manifest::files_under(&backup).expect("files");
    for name in ["SHA256SUMS", "backup.json", "database.dump"] {
        assert!(
            backed_up.iter().any(|f| f == name),
            "{name} in {backed_up:?}"
        );
    }
    for file in &backed_up {
        assert_eq!(mode(&backup.join(file)), 0o600, "{file}");
        let parent = backup.join(file).parent().expect("parent").to_path_buf();
        assert_eq!(mode(&parent), 0o700, "{}", parent.display());
    }
    // The manifest is what `sha256sum -c` reads.
    let checked = Command::new("sha256sum")
        .args(["--check", "--strict", "SHA256SUMS"])
        .current_dir(&backup)
        .output()
        .expect("sha256sum runs");
    assert!(checked.status.success(), "{}", text(&checked.stdout));

    let restore = ksbfolio(&restored, &["restore".as_ref(), backup.as_os_str()]);
    assert!(restore.status.success(), "{}", text(&restore.stderr));

    let before = tables(source.clone()).await;
    let after = tables(restored.clone()).await;
    assert!(
        before["evidence"].0 > 100,
        "the demo data is there: {before:?}"
    );
    assert_eq!(before["attachments"].0, 1);
    assert_eq!(before, after, "every table, row for row");
    let stored = files(&source.join("attachments"));
    assert_eq!(stored.len(), 1);
    assert_eq!(stored, files(&restored.join("attachments")));

    // The restored installation serves the same people and files.
    let port = free_port();
    let server = serve(&restored, port);
    wait_ready(&http, port).await;
    let base = format!("http://127.0.0.1:{port}");
    let bearer = token(&http, &base, &apprentice).await;
    let download = http
        .get(format!(
            "{base}/api/v1/evidence/{evidence}/attachments/{attachment}"
        ))
        .bearer_auth(&bearer)
        .send()
        .await
        .expect("sent");
    assert_eq!(download.status().as_u16(), 200);
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), PNG);
    terminate(server);
}

/// A backup folder with a valid manifest that has not been restored from: enough for every
/// refusal, which happens before anything is started.
fn synthetic_backup(dir: &Path) {
    let attachment = dir.join("attachments/evidence/e1/a1");
    std::fs::create_dir_all(attachment.parent().expect("parent")).expect("dirs");
    std::fs::write(&attachment, PNG).expect("attachment");
    std::fs::write(dir.join("database.dump"), b"PGDMP not really").expect("dump");
    std::fs::write(
        dir.join("backup.json"),
        json!({
            "format": 1, "created_at": "2026-12-01T20:00:00Z", "ksbfolio_version": "0",
            "pg_dump": "pg_dump (PostgreSQL) 15", "migration": null,
            "attachments": 1, "attachment_bytes": PNG.len(),
        })
        .to_string(),
    )
    .expect("info");
    let mut sums = ksbfolio::backup::manifest::Sums::new();
    for file in ["attachments/evidence/e1/a1", "database.dump", "backup.json"] {
        let hash = ksbfolio::backup::manifest::sha256_file(&dir.join(file)).expect("hash");
        sums.insert(file.to_string(), hash);
    }
    std::fs::write(
        dir.join("SHA256SUMS"),
        ksbfolio::backup::manifest::render(&sums),
    )
    .expect("manifest");
}

/// Restores `backup` into a new data folder and returns the error output, asserting the refusal
/// exited non-zero and left the data folder as it was.
fn refused(backup: &Path, data_dir: &Path) -> String {
    let before = files(data_dir);
    let output = ksbfolio(data_dir, &["restore".as_ref(), backup.as_os_str()]);
    assert!(!output.status.success(), "restore was refused");
    assert_eq!(files(data_dir), before, "the data folder is untouched");
    text(&output.stderr)
}

#[tokio::test]
async fn a_backup_with_a_file_that_does_not_match_its_hash_is_refused_naming_the_file() {
    let scratch = scratch();
    let backup = scratch.path().join("backup");
    synthetic_backup(&backup);
    std::fs::write(backup.join("attachments/evidence/e1/a1"), b"tampered").expect("write");
    let error = refused(&backup, &scratch.path().join("data"));
    assert!(
        error.contains("attachments/evidence/e1/a1 does not match its SHA-256"),
        "{error}"
    );
}

#[tokio::test]
async fn a_backup_missing_a_file_is_refused_naming_the_file() {
    let scratch = scratch();
    let backup = scratch.path().join("backup");
    synthetic_backup(&backup);
    std::fs::remove_file(backup.join("database.dump")).expect("remove");
    let error = refused(&backup, &scratch.path().join("data"));
    assert!(error.contains("database.dump is missing"), "{error}");
}

#[tokio::test]
async fn a_backup_without_its_manifest_or_with_an_unlisted_file_is_refused() {
    let scratch = scratch();
    let backup = scratch.path().join("backup");
    synthetic_backup(&backup);
    std::fs::write(backup.join("attachments/evidence/e1/extra"), b"x").expect("write");
    let error = refused(&backup, &scratch.path().join("data"));
    assert!(
        error.contains("attachments/evidence/e1/extra is not listed in its manifest"),
        "{error}"
    );
    std::fs::remove_file(backup.join("SHA256SUMS")).expect("remove");
    let error = refused(&backup, &scratch.path().join("data"));
    assert!(error.contains("the backup has no manifest"), "{error}");
}

#[tokio::test]
async fn a_restore_into_a_data_folder_that_is_not_empty_is_refused() {
    let scratch = scratch();
    let backup = scratch.path().join("backup");
    synthetic_backup(&backup);
    let data_dir = scratch.path().join("data");
    std::fs::create_dir_all(&data_dir).expect("dir");
    std::fs::write(data_dir.join("jwt-secret"), b"keep me").expect("write");
    let error = refused(&backup, &data_dir);
    assert!(error.contains("is not empty"), "{error}");
    assert_eq!(
        std::fs::read(data_dir.join("jwt-secret")).expect("read"),
        b"keep me"
    );
}

#[tokio::test]
async fn a_backup_goes_only_into_a_new_or_empty_folder() {
    let scratch = scratch();
    let target = scratch.path().join("backup");
    std::fs::create_dir_all(&target).expect("dir");
    std::fs::write(target.join("something"), b"x").expect("write");
    let output = ksbfolio(
        &scratch.path().join("data"),
        &["backup".as_ref(), target.as_os_str()],
    );
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("is not empty"),
        "{}",
        text(&output.stderr)
    );
}
