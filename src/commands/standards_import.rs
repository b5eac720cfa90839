//! `ksbfolio standards import FILE`: an official standard's catalogue (or a new version of it).

use std::path::Path;

use anyhow::Context;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::db::catalogue;
use crate::domain::standard::StandardDocument;

/// Validates the whole file, then stores it in one transaction.
pub async fn import_standard_file(url: &str, file: &Path) -> anyhow::Result<String> {
    let json =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let document = StandardDocument::from_json(&json, &name)?;
    let mut conn = AsyncPgConnection::establish(url).await?;
    let outcome = catalogue::import(&mut conn, &document).await?;
    let what = match outcome {
        catalogue::ImportOutcome::Created => "added",
        catalogue::ImportOutcome::LinksReplaced => "already present; duty links replaced",
        catalogue::ImportOutcome::Unchanged => "already present and unchanged",
    };
    Ok(format!(
        "{} v{} ({} duties, {} KSBs, {} mapping): {what}",
        document.reference,
        document.version,
        document.duties.len(),
        document.ksbs.len(),
        document.mapping.status.as_str()
    ))
}
