//! `ksbfolio backup DIR` and `ksbfolio restore DIR` (`crate::backup`).

use std::path::Path;

use anyhow::Context;

use crate::cli::ConfigArgs;
use crate::config::Settings;
use crate::startup::OpenDatabase;

/// Backs the open database and the local attachments up into `dir`.
pub async fn backup(
    settings: &Settings,
    database: &OpenDatabase,
    dir: &Path,
) -> anyhow::Result<String> {
    let info = crate::backup::create(&database.url, &settings.data_dir, &settings.storage, dir)
        .await
        .with_context(|| format!("backup into {} failed", dir.display()))?;
    Ok(format!("backed up into {}: {info}", dir.display()))
}

/// Restores the backup in `dir` into the (empty) data folder of `config`, and says so.
pub async fn restore(config: &ConfigArgs, dir: &Path) -> anyhow::Result<()> {
    if config.database_url.is_some() {
        anyhow::bail!(
            "`ksbfolio restore` rebuilds the embedded database in an empty KSBFOLIO_DATA_DIR; \
             with DATABASE_URL set, restore {} into an empty database with pg_restore instead",
            dir.join(crate::backup::DUMP).display()
        );
    }
    if config.storage.starts_with("s3://") {
        anyhow::bail!(
            "`ksbfolio restore` puts attachments under KSBFOLIO_DATA_DIR; unset KSBFOLIO_STORAGE \
             (attachments in object storage are not part of a ksbfolio backup)"
        );
    }
    let info = crate::backup::restore(&config.data_dir, dir)
        .await
        .with_context(|| format!("restore from {} failed", dir.display()))?;
    println!(
        "restored into {}: {info}\nStart it with `ksbfolio serve`.",
        config.data_dir.display()
    );
    Ok(())
}
