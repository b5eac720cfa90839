//! The `ksbfolio` binary: parse the command line, set up logging, run the chosen subcommand.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use ksbfolio::cli::{Cli, Command, DemoCommand, StandardsCommand, UsersCommand};
use ksbfolio::config::Settings;
use ksbfolio::startup::{self, Application, OpenDatabase};

/// jemalloc gives memory back to the system; with glibc's per-thread arenas the 19 MiB Argon2
/// buffers of concurrent sign-ins stayed allocated (docs/BENCHMARKS.md: 0.7–0.9 GiB peak).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    // Security: before anything is written, so that attachments, secrets and the embedded
    // cluster's files are private to this user (`data_dir`).
    ksbfolio::data_dir::private_umask();
    let cli = Cli::parse();
    ksbfolio::telemetry::init(&cli.config.log_filter, cli.config.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ksbfolio: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::from_args(&cli.config);
    let command = cli.command.unwrap_or(Command::Serve);
    if !matches!(command, Command::Openapi) {
        ksbfolio::data_dir::secure(&settings.data_dir)
            .with_context(|| format!("cannot make {} private", settings.data_dir.display()))?;
    }
    match command {
        Command::Openapi => {
            println!("{}", ksbfolio::api::openapi_json()?);
            Ok(())
        }
        Command::Serve => {
            let database = OpenDatabase::open(&cli.config).await?;
            let result = serve(&settings, &database).await;
            database.close()?;
            result
        }
        Command::Migrate => {
            let database = OpenDatabase::open(&cli.config).await?;
            database.close()?;
            println!("database is migrated and the bundled standards are loaded");
            Ok(())
        }
        Command::Standards(StandardsCommand::Import { file }) => {
            let database = OpenDatabase::open(&cli.config).await?;
            let result = startup::import_standard_file(&database.url, &file).await;
            database.close()?;
            println!("{}", result?);
            Ok(())
        }
        Command::Demo(DemoCommand::Seed {
            apprenticeships,
            seed,
            force,
        }) => {
            let database = OpenDatabase::open(&cli.config).await?;
            let options = ksbfolio::demo::Options {
                apprenticeships,
                seed,
                force,
                hashing: settings.password_hashing,
                anchor: None,
                vacuum: true,
            };
            let result = ksbfolio::demo::seed(&database.url, &options).await;
            database.close()?;
            println!("{}", result?);
            Ok(())
        }
        Command::Users(UsersCommand::CreateAdmin { email, name }) => {
            let password = admin_password()?;
            let database = OpenDatabase::open(&cli.config).await?;
            let result = startup::create_admin(
                &database.url,
                &email,
                &name,
                &password,
                settings.password_hashing,
            )
            .await;
            database.close()?;
            println!("{}", result?);
            Ok(())
        }
    }
}

/// KSBFOLIO_ADMIN_PASSWORD, or the first line of standard input (never a flag: flags show in
/// process lists and shell history).
fn admin_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("KSBFOLIO_ADMIN_PASSWORD") {
        return Ok(password);
    }
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprint!("Password for the new admin (12 to 256 characters): ");
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    anyhow::ensure!(
        !password.is_empty(),
        "no password given: set KSBFOLIO_ADMIN_PASSWORD or pipe it on standard input"
    );
    Ok(password)
}

async fn serve(settings: &Settings, database: &OpenDatabase) -> anyhow::Result<()> {
    let pool = ksbfolio::db::build_pool_with_deadline(
        &database.url,
        settings.db_pool_size,
        settings.db_deadline,
    )?;
    let first_run = startup::has_no_users(&database.url).await?;
    let app = Application::build(settings, pool)?;
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
