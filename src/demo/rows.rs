//! Turning the demo world into PostgreSQL `COPY … FROM STDIN` text, one buffer per table.
//!
//! Rows of a batch are written in time order across its apprenticeships, not apprenticeship by
//! apprenticeship, so one portfolio's evidence and kept statuses end up spread over many pages
//! the way a year of live traffic spreads them, rather than packed together (which would flatter
//! every read in the benchmark).

use std::ops::Range;

use chrono::{DateTime, Utc};

pub use super::copy_text::Copy;
use super::copy_text::{Keyed, Rows};
use super::portfolio::{self, Portfolio};
use super::world::{Person, World};

fn user_row(row: &mut Rows, person: &Person, password_hash: &str, at: DateTime<Utc>) {
    row.uuid(person.id)
        .text(&person.email)
        .text(&person.name)
        .text(person.role)
        .opt_uuid(person.organisation_id)
        .opt_uuid(person.created_by_organisation_id)
        .text(password_hash)
        .boolean(true)
        .ts(at)
        .ts(at);
}

const USER_COLUMNS: &str = "id, email, name, role, organisation_id, created_by_organisation_id, \
                            password_hash, active, created_at, updated_at";

/// Organisations, the admin, tutors and mentors: loaded before any apprenticeship.
pub fn world_rows(world: &World, password_hash: &str) -> Vec<Copy> {
    let since = world.anchor - chrono::Duration::days(3 * 365);
    let mut orgs = Keyed::new("organisations", "id, name, kind, created_at");
    for (i, org) in world.organisations().into_iter().enumerate() {
        orgs.push(i as i64, |r| {
            r.uuid(org.id).text(&org.name).text(org.kind).ts(since);
        });
    }
    let mut users = Keyed::new("users", USER_COLUMNS);
    for (i, person) in world.staff().iter().enumerate() {
        users.push(i as i64, |r| user_row(r, person, password_hash, since));
    }
    vec![orgs.finish(), users.finish()]
}

/// Apprenticeships `ks` with their apprentices and portfolios, one COPY per table, in the order
/// the foreign keys need.
pub fn batch(world: &World, ks: Range<u64>, password_hash: &str) -> Vec<Copy> {
    let portfolios: Vec<Portfolio> = ks.map(|k| portfolio::generate(world, k)).collect();
    let ksbs = &world.catalogue.ksbs;
    let codes: Vec<&str> = ksbs.iter().map(|(_, c)| c.as_str()).collect();
    let mut users = Keyed::new("users", USER_COLUMNS);
    let mut apprenticeships = Keyed::new(
        "apprenticeships",
        "id, apprentice_id, standard_id, employer_id, provider_id, mentor_id, tutor_id, \
         start_date, expected_end_date, created_at, updated_at, last_activity_at, \
         planned_otj_hours, rpl_reduction_hours, otj_approved_minutes, otj_pending_minutes, \
         last_review_on, next_review_due_by, unsigned_reviews, oldest_unsigned_review_on",
    );
    let mut evidence = Keyed::new(
        "evidence",
        "id, apprenticeship_id, title, description, kind, occurred_on, status, version, \
         submitted_at, withdrawn_at, withdrawn_reason, created_by, created_at, updated_at",
    );
    let mut links = Keyed::new("evidence_ksbs", "evidence_id, ksb_id");
    let mut revisions = Keyed::new(
        "evidence_revisions",
        "evidence_id, version, title, description, kind, occurred_on, ksbs, status, edited_by, \
         created_at",
    );
    let mut reviews = Keyed::new(
        "evidence_reviews",
        "id, evidence_id, reviewer_id, decision, feedback, created_at",
    );
    let mut comments = Keyed::new(
        "evidence_comments",
        "id, evidence_id, author_id, body, created_at",
    );
    let mut signoffs = Keyed::new(
        "signoffs",
        "id, apprenticeship_id, ksb_id, signed_off_by, comment, created_at, revoked_at, \
         revoked_by, revoked_reason",
    );
    let mut statuses = Keyed::new(
        "ksb_statuses",
        "apprenticeship_id, ksb_id, status, draft, submitted, accepted, changes_requested, \
         signed_off_at, signed_off_by, evidenced_at",
    );
    let mut otj_entries = Keyed::new(
        "otj_entries",
        "id, apprenticeship_id, occurred_on, minutes, activity, description, status, version, \
         reviewed_by, reviewed_at, rejection_reason, created_by, created_at, updated_at",
    );
    let mut otj_links = Keyed::new("otj_entry_ksbs", "entry_id, ksb_id");
    let mut progress_reviews = Keyed::new(
        "progress_reviews",
        "id, apprenticeship_id, held_on, previous_actions, progress_notes, concerns, \
         next_actions, snapshot, status, version, created_by, created_at, updated_at",
    );
    let mut signatures = Keyed::new(
        "review_signatures",
        "id, review_id, role, signer_id, content_sha256, signed_at",
    );
    let standard = world.catalogue.standard_id;
    for (n, p) in portfolios.iter().enumerate() {
        let plan = &p.plan;
        let k = plan.k as i64;
        users.push(k, |r| {
            user_row(r, &plan.apprentice, password_hash, plan.created_at)
        });
        apprenticeships.push(k, |r| {
            r.uuid(plan.id)
                .uuid(plan.apprentice.id)
                .uuid(standard)
                .uuid(plan.employer_id)
                .uuid(plan.provider_id)
                .uuid(plan.mentor_id)
                .uuid(plan.tutor_id)
                .date(plan.start_date)
                .date(plan.expected_end_date)
                .ts(plan.created_at)
                .ts(plan.created_at)
                .ts(p.last_activity_at)
                .int(i64::from(p.otj.planned_otj_hours))
                .int(i64::from(p.otj.rpl_reduction_hours))
                .int(p.otj.kept.approved)
                .int(p.otj.kept.pending);
            let f = &p.progress.figures;
            r.opt_date(f.last_review_on)
                .opt_date(f.next_review_due_by)
                .int(i64::from(f.unsigned_reviews))
                .opt_date(f.oldest_unsigned_review_on);
        });
        for item in &p.items {
            let key = item.created_at.timestamp();
            evidence.push(key, |r| {
                r.uuid(item.id)
                    .uuid(plan.id)
                    .text(item.title)
                    .text(&item.descriptions[item.descriptions.len() - 1])
                    .text(item.kind.as_str())
                    .date(item.occurred_on)
                    .text(item.status.as_str())
                    .int(i64::from(item.version))
                    .opt_ts(item.submitted_at)
                    .opt_ts(item.withdrawn.map(|w| w.0))
                    .opt_text(item.withdrawn.map(|w| w.1))
                    .uuid(plan.apprentice.id)
                    .ts(item.created_at)
                    .ts(item.updated_at);
            });
            let shown: Vec<&str> = item.ksbs.iter().map(|i| codes[*i]).collect();
            for ksb in &item.ksbs {
                links.push(key, |r| {
                    r.uuid(item.id).uuid(ksbs[*ksb].0);
                });
            }
            for rev in &item.revisions {
                revisions.push(rev.at.timestamp(), |r| {
                    r.uuid(item.id)
                        .int(i64::from(rev.version))
                        .text(item.title)
                        .text(&item.descriptions[rev.content])
                        .text(item.kind.as_str())
                        .date(item.occurred_on)
                        .codes(&shown)
                        .text(rev.status.as_str())
                        .uuid(rev.edited_by)
                        .ts(rev.at);
                });
            }
        }
        for review in &p.reviews {
            reviews.push(review.at.timestamp(), |r| {
                r.uuid(review.id)
                    .uuid(review.evidence_id)
                    .uuid(review.reviewer)
                    .text(review.decision)
                    .text(review.feedback)
                    .ts(review.at);
            });
        }
        for comment in &p.comments {
            comments.push(comment.at.timestamp(), |r| {
                r.uuid(comment.id)
                    .uuid(comment.evidence_id)
                    .uuid(comment.author)
                    .text(comment.body)
                    .ts(comment.at);
            });
        }
        for s in &p.signoffs {
            signoffs.push(s.at.timestamp(), |r| {
                r.uuid(s.id)
                    .uuid(plan.id)
                    .uuid(ksbs[s.ksb].0)
                    .uuid(s.by)
                    .text("")
                    .ts(s.at)
                    .opt_ts(s.revoked.map(|v| v.0))
                    .opt_uuid(s.revoked.map(|_| s.by))
                    .opt_text(s.revoked.map(|v| v.1));
            });
        }
        for row in &p.statuses {
            // KSB-major order: one apprenticeship's 94 rows land on many pages, as upserts do.
            let key = (row.ksb * portfolios.len() + n) as i64;
            statuses.push(key, |r| {
                r.uuid(plan.id)
                    .uuid(ksbs[row.ksb].0)
                    .text(row.status.as_str())
                    .int(i64::from(row.counts.draft))
                    .int(i64::from(row.counts.submitted))
                    .int(i64::from(row.counts.accepted))
                    .int(i64::from(row.counts.changes_requested))
                    .opt_ts(row.signed.map(|s| s.0))
                    .opt_uuid(row.signed.map(|s| s.1))
                    .opt_ts(row.evidenced_at);
            });
        }
        for e in &p.otj.entries {
            let key = e.created_at.timestamp();
            otj_entries.push(key, |r| {
                r.uuid(e.id)
                    .uuid(plan.id)
                    .date(e.occurred_on)
                    .int(i64::from(e.minutes))
                    .text(e.activity.as_str())
                    .text(e.description)
                    .text(e.status.as_str())
                    .int(i64::from(e.version))
                    .opt_uuid(e.reviewed.map(|v| v.0))
                    .opt_ts(e.reviewed.map(|v| v.1))
                    .opt_text(e.rejection_reason)
                    .uuid(plan.apprentice.id)
                    .ts(e.created_at)
                    .ts(e.updated_at);
            });
            for ksb in &e.ksbs {
                otj_links.push(key, |r| {
                    r.uuid(e.id).uuid(ksbs[*ksb].0);
                });
            }
        }
        for review in &p.progress.held {
            progress_reviews.push(review.created_at.timestamp(), |r| {
                r.uuid(review.id)
                    .uuid(plan.id)
                    .date(review.held_on)
                    .text(&review.previous_actions)
                    .text(review.progress_notes)
                    .text(review.concerns)
                    .json(&review.next_actions)
                    .json(&review.snapshot)
                    .text(review.status.as_str())
                    .int(1)
                    .uuid(review.created_by)
                    .ts(review.created_at)
                    .ts(review.created_at);
            });
            for s in &review.signatures {
                signatures.push(s.at.timestamp(), |r| {
                    r.uuid(s.id)
                        .uuid(review.id)
                        .text(s.role.as_str())
                        .uuid(s.signer)
                        .text(&review.content_sha256)
                        .ts(s.at);
                });
            }
        }
    }
    vec![
        users.finish(),
        apprenticeships.finish(),
        evidence.finish(),
        links.finish(),
        revisions.finish(),
        reviews.finish(),
        comments.finish(),
        signoffs.finish(),
        statuses.finish(),
        otj_entries.finish(),
        otj_links.finish(),
        progress_reviews.finish(),
        signatures.finish(),
    ]
}
