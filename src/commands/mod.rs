//! The subcommands of the `ksbfolio` binary, one file each. `run` opens the database the
//! command needs (a given `DATABASE_URL`, or the embedded cluster, migrated) and closes it after;
//! `restore` builds its own in an empty data folder.

pub mod backup;
pub mod create_admin;
pub mod demo_seed;
pub mod migrate;
pub mod serve;
pub mod standards_import;

use anyhow::Context;

use crate::cli::{Cli, Command, DemoCommand, StandardsCommand, UsersCommand};
use crate::config::Settings;
use crate::startup::OpenDatabase;

/// Runs the command of `cli` (`serve` when none is given).
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::from_args(&cli.config);
    let command = cli.command.unwrap_or(Command::Serve);
    if matches!(command, Command::Openapi) {
        println!("{}", crate::api::openapi_json()?);
        return Ok(());
    }
    if let Command::Restore { dir } = &command {
        // Before anything touches the data folder: it must be empty, and stays so if the backup
        // is refused.
        return backup::restore(&cli.config, dir).await;
    }
    crate::data_dir::secure(&settings.data_dir)
        .with_context(|| format!("cannot make {} private", settings.data_dir.display()))?;
    // Asked before the database opens: a prompt should not wait behind a cluster start.
    let admin_password = match &command {
        Command::Users(UsersCommand::CreateAdmin { .. }) => Some(create_admin::admin_password()?),
        _ => None,
    };
    let database = match &command {
        Command::Backup { dir } => {
            crate::backup::check_target(dir)?;
            OpenDatabase::open_as_is(&cli.config).await?
        }
        _ => OpenDatabase::open(&cli.config).await?,
    };
    let result = match command {
        Command::Openapi | Command::Restore { .. } => Ok(None),
        Command::Backup { dir } => backup::backup(&settings, &database, &dir).await.map(Some),
        Command::Serve => serve::serve(&settings, &database).await.map(|()| None),
        Command::Migrate => Ok(Some(migrate::REPORT.to_string())),
        Command::Standards(StandardsCommand::Import { file }) => {
            standards_import::import_standard_file(&database.url, &file)
                .await
                .map(Some)
        }
        Command::Demo(DemoCommand::Seed {
            apprenticeships,
            seed,
            force,
        }) => demo_seed::seed(&settings, &database, apprenticeships, seed, force)
            .await
            .map(Some),
        Command::Users(UsersCommand::CreateAdmin { email, name }) => {
            let password = admin_password.unwrap_or_default();
            create_admin::create_admin(
                &database.url,
                &email,
                &name,
                &password,
                settings.password_hashing,
            )
            .await
            .map(Some)
        }
    };
    // The outcome is printed once the database is closed again (and a failure to close wins).
    database.close()?;
    if let Some(outcome) = result? {
        println!("{outcome}");
    }
    Ok(())
}
