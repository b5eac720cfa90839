//! `ksbfolio migrate`: opening the database already migrates it and loads the bundled standards
//! (`startup::prepare_database`); this command does only that, and says so.

/// What the operator is told once the database is ready.
pub const REPORT: &str = "database is migrated and the bundled standards are loaded";
