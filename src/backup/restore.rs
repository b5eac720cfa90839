//! `ksbfolio restore DIR`: checks the whole backup first, then builds a new embedded cluster in
//! an empty data folder from it.

use std::path::Path;

use super::manifest;
use super::{
    ATTACHMENTS, BackupError, BackupInfo, DUMP, FORMAT, INFO, blocking, copy_hashed,
    is_empty_or_missing, pg_tools,
};
use crate::embedded_pg::EmbeddedPostgres;
use crate::storage::Storage;

/// Restores the backup in `dir` into `data_dir`, which must be new or empty, as the embedded
/// default database and local attachments. Nothing is written before the backup has been checked
/// against its manifest. Returns what the backup held.
pub async fn restore(data_dir: &Path, dir: &Path) -> Result<BackupInfo, BackupError> {
    if !is_empty_or_missing(data_dir)? {
        return Err(BackupError::DataDirNotEmpty(data_dir.to_path_buf()));
    }
    let bindir = pg_tools::bindir()?;
    let sums = {
        let dir = dir.to_path_buf();
        blocking(move || manifest::verify(&dir, &[INFO, DUMP])).await?
    };
    let info: BackupInfo = serde_json::from_slice(
        &std::fs::read(dir.join(INFO)).map_err(|e| BackupError::io(&dir.join(INFO), e))?,
    )
    .map_err(|e| BackupError::Info(e.to_string()))?;
    if info.format != FORMAT {
        return Err(BackupError::Format(info.format));
    }

    crate::data_dir::secure(data_dir).map_err(|e| BackupError::io(data_dir, e))?;
    let embedded = {
        let data_dir = data_dir.to_path_buf();
        blocking(move || {
            EmbeddedPostgres::start(&data_dir).map_err(|e| BackupError::Tool {
                step: "starting the embedded PostgreSQL cluster",
                message: e.to_string(),
            })
        })
        .await?
    };
    let result = fill(&embedded, &bindir, data_dir, dir, &sums).await;
    let stopped = blocking(move || {
        embedded.stop().map_err(|e| BackupError::Tool {
            step: "stopping the embedded PostgreSQL cluster",
            message: e.to_string(),
        })
    })
    .await;
    result?;
    stopped?;
    Ok(info)
}

/// The database from the dump, brought to this build's migrations, then the attachment files.
async fn fill(
    embedded: &EmbeddedPostgres,
    bindir: &Path,
    data_dir: &Path,
    dir: &Path,
    sums: &manifest::Sums,
) -> Result<(), BackupError> {
    let url = embedded.database_url();
    crate::db::create_database_if_missing(&embedded.admin_url(), crate::embedded_pg::DATABASE_NAME)
        .await
        .map_err(|e| BackupError::Tool {
            step: "creating the database",
            message: e.to_string(),
        })?;
    {
        let (bindir, url, file) = (bindir.to_path_buf(), url.clone(), dir.join(DUMP));
        blocking(move || pg_tools::restore(&bindir, &url, &file)).await?;
    }
    // A backup made by an earlier version is brought up to this one's schema.
    crate::startup::prepare_database(&url)
        .await
        .map_err(|e| BackupError::Tool {
            step: "migrating the restored database",
            message: format!("{e:#}"),
        })?;

    let storage = Storage::local(&data_dir.join("attachments"))
        .map_err(|e| BackupError::io(data_dir, std::io::Error::other(e.to_string())))?;
    let prefix = format!("{ATTACHMENTS}/");
    let files: Vec<(String, String)> = sums
        .iter()
        .filter_map(|(path, hash)| {
            path.strip_prefix(&prefix)
                .map(|key| (key.to_string(), hash.clone()))
        })
        .collect();
    let dir = dir.to_path_buf();
    blocking(move || {
        for (key, expected) in files {
            let target = storage.local_file(&key).ok_or_else(|| {
                BackupError::Unsupported(format!("attachment key {key:?} has no local path"))
            })?;
            let (hash, _) = copy_hashed(&dir.join(ATTACHMENTS).join(&key), &target)?;
            // Checked once already; a file changed since is caught here, not served later.
            if hash != expected {
                return Err(BackupError::HashMismatch(format!("{ATTACHMENTS}/{key}")));
            }
        }
        Ok(())
    })
    .await
}
