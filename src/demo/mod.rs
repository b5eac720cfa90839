//! Demo data: `ksbfolio demo seed --apprenticeships N --seed S` fills a database with a
//! deterministic, realistic data set — providers, employers, tutors, mentors, N apprenticeships
//! on ST0220 at varied stages with about 100 pieces of evidence each, reviews, comments,
//! revisions, sign-offs (a few revoked) and withdrawals, an off-the-job training plan with about
//! one entry a week (mostly approved, a few pending or rejected), and a progress review every two
//! to three months (mostly signed by all three parties, the latest of some still waiting, a few
//! apprenticeships overdue) — for trying the app and for the load benchmark in `bench/`.
//!
//! Layers: `world` decides who exists, `portfolio` simulates each apprenticeship (with `otj` for
//! its OTJ log and `reviews` for its progress reviews, each on a random stream of its own),
//! `rows` writes COPY text (in `copy_text`'s format), `load` streams it into PostgreSQL in one
//! transaction. All but `load` are pure, so the same seed, size, day and catalogue always give
//! byte-identical data. Kept
//! figures (KSB statuses, OTJ minutes, review deadlines and counts, signature hashes) come from
//! the app's own rules in `domain/`, and `tests` checks them against the app's recomputations.
//!
//! The seed writes no audit row per event (the demo's history is not the app's doing), only one
//! `demo.seeded` row saying what was loaded.
//!
//! Security: every demo account shares one published password ([`DEMO_PASSWORD`]), hashed with
//! the server's own argon2 parameters. That is why seeding refuses a database that already holds
//! apprenticeships unless `--force` is given: demo accounts do not belong next to real ones.

mod copy_text;
mod ids;
mod load;
mod otj;
mod portfolio;
mod reviews;
mod rng;
mod rows;
mod text;
mod world;

#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::auth::password::HashingParams;

pub use ids::{Kind, id};
pub use load::{seed, today_anchor};
pub use world::{
    APPRENTICESHIPS_PER_EMPLOYER, APPRENTICESHIPS_PER_PROVIDER, MENTORS_PER_EMPLOYER,
    TUTORS_PER_PROVIDER,
};

/// The password of every demo account (printed at the end of every seed; never use it elsewhere).
pub const DEMO_PASSWORD: &str = "ksbfolio-demo-password";

/// The tables a seed writes, in load order.
pub const TABLES: [&str; 15] = [
    "organisations",
    "users",
    "apprenticeships",
    "evidence",
    "evidence_ksbs",
    "evidence_revisions",
    "evidence_reviews",
    "evidence_comments",
    "signoffs",
    "ksb_statuses",
    "otj_entries",
    "otj_entry_ksbs",
    "progress_reviews",
    "review_signatures",
    "audit_log",
];

#[derive(Debug, Clone)]
pub struct Options {
    pub apprenticeships: u64,
    pub seed: u64,
    /// Load even when the database already holds apprenticeships.
    pub force: bool,
    /// The server's argon2 parameters (the demo hash is made with them).
    pub hashing: HashingParams,
    /// Every event happens before this instant; `None`: midnight UTC today.
    pub anchor: Option<DateTime<Utc>>,
    /// Run VACUUM (ANALYZE) on the loaded tables afterwards.
    pub vacuum: bool,
}

/// What was loaded, how long it took, and who can sign in.
#[derive(Debug)]
pub struct Summary {
    world: Arc<world::World>,
    pub rows: Vec<(&'static str, u64)>,
    pub load_seconds: f64,
    pub vacuum_seconds: Option<f64>,
}

impl Summary {
    pub fn rows_of(&self, table: &str) -> u64 {
        self.rows
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, n)| *n)
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = &self.world;
        writeln!(
            f,
            "Loaded demo seed {} in {:.1} s: {} apprenticeships with {} providers and {} employers.",
            w.seed, self.load_seconds, w.apprenticeships, w.providers, w.employers
        )?;
        for (table, n) in &self.rows {
            if *table != "audit_log" {
                writeln!(f, "  {table:<20} {n:>12}")?;
            }
        }
        if let Some(seconds) = self.vacuum_seconds {
            writeln!(f, "VACUUM (ANALYZE) took {seconds:.1} s.")?;
        }
        let (plan, _) = w.plan(1);
        let (provider, tutor, employer, mentor) = plan.numbers;
        let people = [
            ("admin", w.admin()),
            ("tutor", w.tutor(provider, tutor)),
            ("mentor", w.mentor(employer, mentor)),
            ("apprentice", plan.apprentice.clone()),
        ];
        writeln!(f)?;
        writeln!(f, "Sign in with password `{DEMO_PASSWORD}` as:")?;
        for (role, person) in people {
            writeln!(f, "  {role:<11} {:<48} {}", person.email, person.name)?;
        }
        write!(
            f,
            "(the tutor and mentor are {}'s; every demo account shares the password)",
            plan.apprentice.name
        )
    }
}
