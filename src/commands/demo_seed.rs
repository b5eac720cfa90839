//! `ksbfolio demo seed`: deterministic demo data (`crate::demo`), also the benchmark's data set.

use crate::config::Settings;
use crate::startup::OpenDatabase;

/// Seeds `apprenticeships` apprenticeships from `seed` (`force`: into a database with data).
pub async fn seed(
    settings: &Settings,
    database: &OpenDatabase,
    apprenticeships: u64,
    seed: u64,
    force: bool,
) -> anyhow::Result<String> {
    let options = crate::demo::Options {
        apprenticeships,
        seed,
        force,
        hashing: settings.password_hashing,
        anchor: None,
        vacuum: true,
    };
    Ok(crate::demo::seed(&database.url, &options)
        .await?
        .to_string())
}
