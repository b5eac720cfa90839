//! The integration tests: one binary that talks HTTP to the real application on a real
//! PostgreSQL, each test on its own fresh database.

mod helpers;

mod cli_import;
mod embedded;
mod health;
mod standards;
