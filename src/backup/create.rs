//! `ksbfolio backup DIR`: the dump and the attachments of one snapshot, then the manifest.

use std::path::{Path, PathBuf};

use super::manifest::{self, Sums};
use super::{
    ATTACHMENTS, BackupError, BackupInfo, DUMP, FORMAT, INFO, blocking, copy_hashed, pg_tools,
    private_dir, write_private,
};
use crate::storage::Storage;

/// What the snapshot transaction saw: its id for pg_dump, and the attachments its rows name.
struct Snapshot {
    id: String,
    migration: Option<String>,
    /// `(storage key, SHA-256 recorded at upload)`.
    attachments: Vec<(String, String)>,
}

/// Backs the database at `database_url` and the attachments in `data_dir` (local storage) up into
/// `dir`, which must be new or empty.
pub async fn create(
    database_url: &str,
    data_dir: &Path,
    storage_setting: &str,
    dir: &Path,
) -> Result<BackupInfo, BackupError> {
    if storage_setting.starts_with("s3://") {
        return Err(BackupError::Unsupported(
            "attachments are in object storage (KSBFOLIO_STORAGE=s3://…), which `ksbfolio backup` \
             does not copy: keep them with the bucket's own versioning or replication"
                .into(),
        ));
    }
    super::check_target(dir)?;
    let bindir = pg_tools::bindir()?;
    private_dir(dir)?;
    let storage = Storage::local(&data_dir.join("attachments"))
        .map_err(|e| BackupError::io(data_dir, std::io::Error::other(e.to_string())))?;

    let (client, connection) = tokio_postgres::connect(database_url, tokio_postgres::NoTls)
        .await
        .map_err(|e| tool("connecting to the database", e))?;
    let driver = tokio::spawn(connection);
    let snapshot = open_snapshot(&client).await?;

    // The transaction stays open until pg_dump has taken its snapshot over (and finished).
    let dumped = {
        let (bindir, url, id) = (
            bindir.clone(),
            database_url.to_string(),
            snapshot.id.clone(),
        );
        let file = dir.join(DUMP);
        blocking(move || pg_tools::dump(&bindir, &url, &id, &file)).await
    };
    let _ = client.batch_execute("ROLLBACK").await;
    drop(client);
    let _ = driver.await;
    dumped?;

    let copied = {
        let (dir, attachments) = (dir.to_path_buf(), snapshot.attachments.clone());
        blocking(move || copy_attachments(&storage, &attachments, &dir)).await?
    };
    let (mut sums, attachment_bytes) = copied;
    let dump_file = dir.join(DUMP);
    let hash = manifest::sha256_file(&dump_file).map_err(|e| BackupError::io(&dump_file, e))?;
    sums.insert(DUMP.to_string(), hash);

    let info = BackupInfo {
        format: FORMAT,
        created_at: chrono::Utc::now(),
        ksbfolio_version: env!("CARGO_PKG_VERSION").to_string(),
        pg_dump: pg_tools::version(&bindir)?,
        migration: snapshot.migration,
        attachments: snapshot.attachments.len(),
        attachment_bytes,
    };
    let json = serde_json::to_vec_pretty(&info).map_err(|e| BackupError::Info(e.to_string()))?;
    write_private(&dir.join(INFO), &json)?;
    sums.insert(
        INFO.to_string(),
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&json)),
    );
    // Last: a backup without its manifest is refused by `restore`.
    write_private(
        &dir.join(manifest::MANIFEST),
        manifest::render(&sums).as_bytes(),
    )?;
    Ok(info)
}

fn tool(step: &'static str, error: tokio_postgres::Error) -> BackupError {
    BackupError::Tool {
        step,
        message: format!("{error}"),
    }
}

async fn open_snapshot(client: &tokio_postgres::Client) -> Result<Snapshot, BackupError> {
    client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(|e| tool("starting the snapshot", e))?;
    let id: String = client
        .query_one("SELECT pg_export_snapshot()", &[])
        .await
        .map_err(|e| tool("exporting the snapshot", e))?
        .get(0);
    let tables: Option<String> = client
        .query_one("SELECT to_regclass('attachments')::text", &[])
        .await
        .map_err(|e| tool("reading the schema", e))?
        .get(0);
    if tables.is_none() {
        return Err(BackupError::Unsupported(
            "the database holds no ksbfolio tables yet: nothing to back up".into(),
        ));
    }
    let migration: Option<String> = client
        .query_one("SELECT max(version) FROM __diesel_schema_migrations", &[])
        .await
        .map_err(|e| tool("reading the migration level", e))?
        .get(0);
    let attachments = client
        .query(
            "SELECT storage_key, sha256 FROM attachments ORDER BY storage_key",
            &[],
        )
        .await
        .map_err(|e| tool("listing the attachments", e))?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    Ok(Snapshot {
        id,
        migration,
        attachments,
    })
}

/// Copies every attachment the snapshot names into `dir/attachments/KEY`, checking each against
/// its recorded SHA-256; returns their manifest lines and total size.
fn copy_attachments(
    storage: &Storage,
    attachments: &[(String, String)],
    dir: &Path,
) -> Result<(Sums, u64), BackupError> {
    let mut sums = Sums::new();
    let mut total = 0;
    for (key, recorded) in attachments {
        let relative = format!("{ATTACHMENTS}/{key}");
        let source: PathBuf = match storage.local_file(key) {
            Some(path) if manifest::is_safe_relative(key) => path,
            _ => {
                return Err(BackupError::Unsupported(format!(
                    "attachment key {key:?} cannot be kept in a backup folder"
                )));
            }
        };
        if !source.is_file() {
            return Err(BackupError::AttachmentGone(key.clone()));
        }
        let (hash, size) = copy_hashed(&source, &dir.join(&relative))?;
        if &hash != recorded {
            return Err(BackupError::AttachmentDamaged(key.clone()));
        }
        total += size;
        sums.insert(relative, hash);
    }
    Ok((sums, total))
}
