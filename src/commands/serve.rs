//! `ksbfolio serve` (the default): the HTTP server until SIGINT or SIGTERM.

use crate::config::Settings;
use crate::db;
use crate::startup::{Application, OpenDatabase};

/// Serves on the open database; on a new installation, says how to create the first admin.
pub async fn serve(settings: &Settings, database: &OpenDatabase) -> anyhow::Result<()> {
    let first_run = has_no_users(&database.url, settings.db_prepared_statements).await?;
    let app = Application::build(settings, &database.url)?;
    let url = format!("http://{}/", app.address());
    tracing::info!(%url, "ksbfolio is listening");
    eprintln!("\n  ksbfolio is running: open {url}\n  (Ctrl+C stops it)\n");
    if first_run {
        eprintln!(
            "  Nobody can sign in yet. Create the first administrator in another terminal:\n    \
             {} users create-admin --email you@example.nhs.uk --name \"Your Name\"\n",
            std::env::args().next().unwrap_or_else(|| "ksbfolio".into())
        );
    }
    app.run_until_stopped().await?;
    Ok(())
}

/// Whether the database has no users yet (a new installation), to tell the operator what to do.
pub async fn has_no_users(url: &str, prepared_statements: bool) -> anyhow::Result<bool> {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let mut conn = db::establish(url, prepared_statements).await?;
    let count: i64 = db::schema::users::table
        .count()
        .get_result(&mut conn)
        .await?;
    Ok(count == 0)
}
