//! The `ksbfolio` binary: parse the command line, set up logging, run the chosen subcommand
//! (`ksbfolio::commands`).

use std::process::ExitCode;

use clap::Parser;
use ksbfolio::cli::Cli;

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
    match ksbfolio::commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ksbfolio: {error:#}");
            ExitCode::FAILURE
        }
    }
}
