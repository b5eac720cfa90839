//! Settings: what the application needs to run, assembled from [`crate::cli::ConfigArgs`] by
//! `main`, or directly by the tests.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::cli::ConfigArgs;

/// Everything [`crate::startup::Application::build`] needs apart from the database pool.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// The built frontend; served only when it holds an `index.html`.
    pub static_dir: PathBuf,
    pub json_limit: usize,
    pub db_pool_size: usize,
    /// HTTP worker threads; `None` means one per core.
    pub workers: Option<usize>,
}

impl Settings {
    pub fn from_args(args: &ConfigArgs) -> Self {
        Self {
            bind: args.bind,
            data_dir: args.data_dir.clone(),
            static_dir: args.static_dir.clone(),
            json_limit: args.json_limit,
            db_pool_size: args.db_pool_size,
            workers: None,
        }
    }
}
