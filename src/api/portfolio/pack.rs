//! What the end-point assessment pack (`portfolio.pdf`) says, from the same data as
//! `portfolio.json`: the cover (the parties, the standard with the provenance of its duty
//! mapping, the dates and readiness), the contents, coverage per duty, the mapping annex (each
//! KSB with the accepted evidence that shows it and the page it is on), every accepted evidence
//! item with its account and the SHA-256 of each file, the sign-offs, the signed progress
//! reviews and the off-the-job training summary. `crate::pdf` sets it.
//!
//! Only accepted evidence and signed reviews go in: the pack is what the assessment
//! organisation judges, so drafts, submissions still in review and unsigned reviews stay out
//! (they are all in `portfolio.json`). Reviews' `concerns` (wellbeing, safeguarding) are never
//! printed: they are for the apprentice's tutor and employer, not for an assessor.

use chrono::{DateTime, NaiveDate, Utc};

use super::{ExportedEvidence, PortfolioExport};
use crate::domain::coverage::KsbStatus;
use crate::domain::evidence::EvidenceStatus;
use crate::domain::gateway::{GatewayCheckCode, GatewayState};
use crate::domain::otj::{OtjPlanStatus, OtjStatus};
use crate::domain::review::{ReviewParty, ReviewStatus};
use crate::domain::standard::MappingStatus;
use crate::error::{AppError, AppResult};
use crate::pdf::{Block, Cell, Column, Document, Level, Table, render};

/// The language every pack is written in.
pub const LANG: &str = "en-GB";

fn date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn moment(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y, %H:%M UTC").to_string()
}

/// A stored label as words: `witness_testimony` → "Witness testimony".
fn words(label: &str) -> String {
    let spaced = label.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// `3 hours`, `1 hour`.
fn count(n: impl Into<i64>, unit: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => count(m, "minute"),
        (h, 0) => count(h, "hour"),
        (h, m) => format!("{} {}", count(h, "hour"), count(m, "minute")),
    }
}

fn check_label(code: GatewayCheckCode) -> &'static str {
    match code {
        GatewayCheckCode::AllKsbsEvidenced => "Every KSB has accepted evidence",
        GatewayCheckCode::SkillsBehavioursSignedOff => {
            "The employer has signed off every skill and behaviour"
        }
        GatewayCheckCode::OtjPlanMet => "The planned off-the-job training is approved",
        GatewayCheckCode::ReviewsCurrent => "Progress reviews are up to date and signed",
        GatewayCheckCode::EnglishMaths => "English and maths are achieved or exempt",
    }
}

fn party(role: ReviewParty) -> &'static str {
    match role {
        ReviewParty::Apprentice => "Apprentice",
        ReviewParty::Employer => "Employer",
        ReviewParty::Provider => "Training provider",
    }
}

fn h(level: Level, text: impl Into<String>, anchor: Option<String>, in_contents: bool) -> Block {
    Block::Heading {
        level,
        text: text.into(),
        anchor,
        in_contents,
    }
}

fn table(columns: &[(&str, f32)], rows: Vec<Vec<Cell>>, row_headers: bool) -> Block {
    Block::Table(Table {
        columns: columns.iter().map(|&(c, w)| Column::new(c, w)).collect(),
        rows,
        row_headers,
    })
}

fn fields(rows: Vec<(&str, String)>) -> Block {
    let rows = rows
        .into_iter()
        .map(|(label, value)| vec![Cell::from(label), Cell::from(value)])
        .collect();
    table(&[("Item", 1.0), ("Detail", 2.6)], rows, true)
}

fn evidence_anchor(e: &ExportedEvidence) -> String {
    format!("evidence-{}", e.id)
}

fn provenance(export: &PortfolioExport) -> String {
    let s = &export.standard;
    match s.mapping_status {
        MappingStatus::Provisional => format!(
            "Provisional: the links between duties and KSBs of {} version {} are not the \
             published table, so the figures per duty may change when the official mapping is \
             imported. {}",
            s.reference, s.version, s.mapping_note
        ),
        MappingStatus::Official => format!("Official. {}", s.mapping_note),
    }
}

fn readiness(export: &PortfolioExport) -> String {
    let g = &export.gateway;
    let met = g.checks.iter().filter(|c| c.met).count();
    match (g.state, g.declared_at) {
        (GatewayState::Declared, Some(at)) => format!("At gateway since {}", moment(at)),
        (GatewayState::Declared, None) => "At gateway".to_string(),
        (GatewayState::Ready, _) => format!("Ready for gateway: all {met} checks met"),
        (GatewayState::OnProgramme, _) => {
            format!(
                "On programme: {met} of {} gateway checks met",
                g.checks.len()
            )
        }
    }
}

fn cover(export: &PortfolioExport, blocks: &mut Vec<Block>) {
    let a = &export.apprenticeship;
    let s = &export.standard;
    blocks.push(h(Level::H1, "End-point assessment portfolio", None, true));
    blocks.push(Block::Paragraph(format!(
        "{}: {} ({} version {}).",
        a.apprentice.name, s.title, s.reference, s.version
    )));
    let planned = match a.planned_otj_hours {
        Some(hours) if a.rpl_reduction_hours > 0 => format!(
            "{hours} hours, after {} hours of recognised prior learning",
            a.rpl_reduction_hours
        ),
        Some(hours) => format!("{hours} hours"),
        None => "Not set".to_string(),
    };
    blocks.push(fields(vec![
        ("Apprentice", a.apprentice.name.clone()),
        ("Employer", a.employer.name.clone()),
        ("Workplace mentor", a.mentor.name.clone()),
        ("Training provider", a.provider.name.clone()),
        ("Tutor", a.tutor.name.clone()),
        (
            "Standard",
            format!("{} {}, version {}", s.reference, s.title, s.version),
        ),
        ("Duty and KSB mapping", provenance(export)),
        ("Start date", date(a.start_date)),
        ("Expected end date", date(a.expected_end_date)),
        ("Planned off-the-job training", planned),
        ("Readiness", readiness(export)),
        ("Exported", moment(export.exported_at)),
        ("Apprenticeship reference", a.id.to_string()),
    ]));
    let g = &export.gateway;
    blocks.push(h(Level::H2, "Readiness for gateway", None, true));
    blocks.push(table(
        &[("Check", 2.0), ("Met", 0.6), ("What was found", 4.0)],
        g.checks
            .iter()
            .map(|c| {
                vec![
                    Cell::from(check_label(c.code)),
                    Cell::from(if c.met { "Met" } else { "Not met" }),
                    Cell::from(c.detail.clone()),
                ]
            })
            .collect(),
        true,
    ));
    if !g.declarations.is_empty() {
        blocks.push(h(Level::H3, "Declarations", None, false));
        blocks.push(table(
            &[
                ("Party", 1.2),
                ("Declared by", 1.6),
                ("On", 1.6),
                ("Standing", 1.6),
            ],
            g.declarations
                .iter()
                .map(|d| {
                    let standing = match (&d.voided_at, &d.void_reason) {
                        (Some(at), Some(reason)) => format!("Void since {}: {reason}", moment(*at)),
                        (Some(at), None) => format!("Void since {}", moment(*at)),
                        _ if d.current => "Current".to_string(),
                        _ => "Made on an earlier portfolio".to_string(),
                    };
                    vec![
                        Cell::from(party(d.role)),
                        Cell::from(d.signer.name.clone()),
                        Cell::from(moment(d.signed_at)),
                        Cell::from(standing),
                    ]
                })
                .collect(),
            true,
        ));
    }
}

fn coverage(export: &PortfolioExport, blocks: &mut Vec<Block>) {
    let t = &export.coverage.totals;
    blocks.push(h(Level::H1, "Coverage by duty", None, true));
    blocks.push(Block::Paragraph(format!(
        "Of the standard's {} KSBs, {} are signed off by the employer, {} more are evidenced \
         (accepted evidence), {} are in progress and {} are not started.",
        t.ksbs, t.signed_off, t.evidenced, t.in_progress, t.not_started
    )));
    blocks.push(Block::Note(format!(
        "Duty and KSB mapping: {}",
        provenance(export)
    )));
    blocks.push(table(
        &[
            ("Duty", 0.6),
            ("What the duty is", 3.6),
            ("KSBs", 0.6),
            ("Not started", 0.8),
            ("In progress", 0.8),
            ("Evidenced", 0.9),
            ("Signed off", 0.8),
            ("Evidenced or signed off", 1.1),
        ],
        export
            .coverage
            .duties
            .iter()
            .map(|d| {
                vec![
                    Cell::from(d.code.clone()),
                    Cell::from(d.text.clone()),
                    Cell::from(d.ksbs.to_string()),
                    Cell::from(d.not_started.to_string()),
                    Cell::from(d.in_progress.to_string()),
                    Cell::from(d.evidenced.to_string()),
                    Cell::from(d.signed_off.to_string()),
                    Cell::from(format!("{}%", d.percent_evidenced)),
                ]
            })
            .collect(),
        true,
    ));
}

fn accepted(export: &PortfolioExport) -> impl Iterator<Item = &ExportedEvidence> {
    export
        .evidence
        .iter()
        .filter(|e| e.status == EvidenceStatus::Accepted)
}

fn annex(export: &PortfolioExport, blocks: &mut Vec<Block>) {
    blocks.push(h(Level::H1, "Mapping of evidence to KSBs", None, true));
    blocks.push(Block::Paragraph(
        "Each KSB of the standard with the accepted evidence that shows it: when it happened, \
         its kind, who accepted it and when, and the page of this document it is on."
            .to_string(),
    ));
    let mut rows = Vec::new();
    for ksb in &export.coverage.ksbs {
        let status = words(ksb.status.as_str());
        let mut any = false;
        for e in accepted(export).filter(|e| e.ksbs.contains(&ksb.code)) {
            any = true;
            let (reviewer, decided) = match &e.decision {
                Some(d) => (d.reviewer.name.clone(), date(d.decided_at.date_naive())),
                None => ("–".to_string(), "–".to_string()),
            };
            rows.push(vec![
                Cell::from(ksb.code.clone()),
                Cell::from(status.clone()),
                Cell::from(e.title.clone()),
                Cell::from(date(e.occurred_on)),
                Cell::from(words(e.kind.as_str())),
                Cell::from(reviewer),
                Cell::from(decided),
                Cell::PageOf(evidence_anchor(e)),
            ]);
        }
        if !any {
            let none = if ksb.status == KsbStatus::NotStarted {
                "No evidence yet"
            } else {
                "No accepted evidence yet"
            };
            rows.push(vec![
                Cell::from(ksb.code.clone()),
                Cell::from(status),
                Cell::from(none),
                Cell::from("–"),
                Cell::from("–"),
                Cell::from("–"),
                Cell::from("–"),
                Cell::from("–"),
            ]);
        }
    }
    blocks.push(table(
        &[
            ("KSB", 0.55),
            ("Status", 0.9),
            ("Evidence", 2.6),
            ("Happened", 1.05),
            ("Kind", 1.1),
            ("Accepted by", 1.1),
            ("Accepted on", 1.05),
            ("Page", 0.45),
        ],
        rows,
        true,
    ));
}

fn evidence(export: &PortfolioExport, blocks: &mut Vec<Block>) {
    let items: Vec<&ExportedEvidence> = accepted(export).collect();
    blocks.push(h(Level::H1, "Evidence", None, true));
    blocks.push(Block::Paragraph(format!(
        "{}, oldest first. Each file is in the portfolio archive under \
         attachments/<reference>/, and its SHA-256 below proves it unchanged.",
        count(items.len() as i64, "accepted evidence item")
    )));
    for e in items {
        blocks.push(h(
            Level::H2,
            e.title.clone(),
            Some(evidence_anchor(e)),
            true,
        ));
        let decision = match &e.decision {
            Some(d) => format!(
                "{} by {} on {}",
                words(&d.decision),
                d.reviewer.name,
                moment(d.decided_at)
            ),
            None => "Accepted".to_string(),
        };
        blocks.push(fields(vec![
            ("Happened on", date(e.occurred_on)),
            ("Kind", words(e.kind.as_str())),
            ("KSBs", e.ksbs.join(", ")),
            ("Submitted", e.submitted_at.map_or("–".to_string(), moment)),
            ("Decision", decision),
            ("Reference", format!("{} (revision {})", e.id, e.revision)),
        ]));
        blocks.push(h(Level::H3, "Account", None, false));
        let account = if e.description.trim().is_empty() {
            "No written account.".to_string()
        } else {
            e.description.clone()
        };
        blocks.push(Block::Paragraph(account));
        blocks.push(h(Level::H3, "Files", None, false));
        if e.attachments.is_empty() {
            blocks.push(Block::Paragraph("No files.".to_string()));
        } else {
            // The hash column is wide enough for 64 hex digits on one line.
            blocks.push(table(
                &[("File", 1.4), ("SHA-256", 3.0)],
                e.attachments
                    .iter()
                    .map(|f| {
                        vec![
                            Cell::from(format!(
                                "{} ({}, {})",
                                f.file_name,
                                f.content_type,
                                count(f.size_bytes, "byte")
                            )),
                            Cell::from(f.sha256.clone()),
                        ]
                    })
                    .collect(),
                true,
            ));
        }
    }
}

fn signoffs(export: &PortfolioExport, blocks: &mut Vec<Block>) {
    blocks.push(h(Level::H1, "Sign-offs", None, true));
    if export.signoffs.is_empty() {
        blocks.push(Block::Paragraph(
            "The employer has signed off no KSB yet.".to_string(),
        ));
        return;
    }
    blocks.push(Block::Paragraph(
        "The employer's sign-off of each skill and behaviour (and any knowledge they signed off), \
         with any later revocation."
            .to_string(),
    ));
    blocks.push(table(
        &[
            ("KSB", 0.6),
            ("Signed off by", 1.4),
            ("On", 1.5),
            ("Comment", 2.5),
            ("Standing", 1.5),
        ],
        export
            .signoffs
            .iter()
            .map(|s| {
                let standing = match (&s.revoked_at, &s.revoked_reason) {
                    (Some(at), Some(reason)) => format!("Revoked on {}: {reason}", moment(*at)),
                    (Some(at), None) => format!("Revoked on {}", moment(*at)),
                    _ => "Standing".to_string(),
                };
                vec![
                    Cell::from(s.ksb.clone()),
                    Cell::from(s.signed_off_by.name.clone()),
                    Cell::from(moment(s.signed_at)),
                    Cell::from(s.comment.clone()),
                    Cell::from(standing),
                ]
            })
            .collect(),
        true,
    ));
}

fn reviews(export: &PortfolioExport, blocks: &mut Vec<Block>) {
    blocks.push(h(Level::H1, "Progress reviews", None, true));
    let signed: Vec<_> = export
        .reviews
        .iter()
        .filter(|r| r.status == ReviewStatus::Signed)
        .collect();
    let others = export.reviews.len() - signed.len();
    blocks.push(Block::Paragraph(match (signed.len(), others) {
        (0, 0) => "No progress review has been held yet.".to_string(),
        (0, n) => format!("No progress review is signed by all three parties yet ({n} not yet signed, not included)."),
        (s, 0) => format!("{s} progress reviews signed by the apprentice, the employer and the training provider, newest first."),
        (s, n) => format!("{s} progress reviews signed by the apprentice, the employer and the training provider, newest first; {n} not yet signed by all three are not included."),
    }));
    for r in signed {
        blocks.push(h(
            Level::H2,
            format!("Review held on {}", date(r.held_on)),
            None,
            true,
        ));
        blocks.push(h(Level::H3, "Progress", None, false));
        blocks.push(Block::Paragraph(r.progress_notes.clone()));
        if !r.next_actions.is_empty() {
            blocks.push(h(Level::H3, "Agreed actions", None, false));
            blocks.push(table(
                &[("Action", 4.0), ("Owner", 1.2), ("Due", 1.2)],
                r.next_actions
                    .iter()
                    .map(|a| {
                        vec![
                            Cell::from(a.action.clone()),
                            Cell::from(party(a.owner)),
                            Cell::from(date(a.due_on)),
                        ]
                    })
                    .collect(),
                false,
            ));
        }
        blocks.push(h(Level::H3, "Signatures", None, false));
        blocks.push(Block::Paragraph(format!(
            "The apprentice, the employer and the training provider signed the content whose \
             SHA-256 is {}.",
            r.content_sha256
        )));
        blocks.push(table(
            &[("Party", 1.0), ("Signed by", 1.5), ("On", 1.5)],
            r.signatures
                .iter()
                .filter(|s| s.valid)
                .map(|s| {
                    vec![
                        Cell::from(party(s.role)),
                        Cell::from(s.signer.name.clone()),
                        Cell::from(moment(s.signed_at)),
                    ]
                })
                .collect(),
            true,
        ));
    }
}

fn otj(export: &PortfolioExport, blocks: &mut Vec<Block>) {
    let s = &export.otj.summary;
    blocks.push(h(Level::H1, "Off-the-job training", None, true));
    let status = match s.status {
        OtjPlanStatus::NoPlan => "No plan set",
        OtjPlanStatus::OnTrack => "On track",
        OtjPlanStatus::Behind => "Behind the plan",
        OtjPlanStatus::Complete => "Plan complete",
    };
    let entries = |status: OtjStatus| {
        export
            .otj
            .entries
            .iter()
            .filter(|e| e.status == status)
            .count()
    };
    blocks.push(fields(vec![
        (
            "Planned",
            s.planned_minutes.map_or("Not set".to_string(), duration),
        ),
        ("Funding rules' minimum", duration(s.floor_minutes)),
        (
            "Recognised prior learning",
            duration(s.rpl_reduction_minutes),
        ),
        ("Approved", duration(s.approved_minutes)),
        ("Waiting for approval", duration(s.pending_minutes)),
        ("Expected by now", duration(s.expected_by_now_minutes)),
        ("Standing", status.to_string()),
        (
            "Entries",
            format!(
                "{} approved, {} waiting, {} sent back",
                entries(OtjStatus::Approved),
                entries(OtjStatus::Pending),
                entries(OtjStatus::Rejected)
            ),
        ),
    ]));
}

/// The pack as a document to set.
pub fn document(export: &PortfolioExport) -> Document {
    let a = &export.apprenticeship;
    let s = &export.standard;
    let mut blocks = Vec::new();
    cover(export, &mut blocks);
    blocks.push(Block::PageBreak);
    blocks.push(h(Level::H1, "Contents", None, false));
    blocks.push(Block::Contents);
    for section in [coverage, annex, evidence, signoffs, reviews, otj] {
        blocks.push(Block::PageBreak);
        section(export, &mut blocks);
    }
    Document {
        title: format!(
            "End-point assessment portfolio: {}, {} {}",
            a.apprentice.name, s.reference, s.title
        ),
        lang: LANG.to_string(),
        author: Some(a.apprentice.name.clone()),
        subject: Some(format!(
            "The portfolio of {} for the end-point assessment of {} version {}",
            a.apprentice.name, s.reference, s.version
        )),
        created: export.exported_at,
        footer: format!(
            "{}: end-point assessment portfolio, {}",
            a.apprentice.name, s.reference
        ),
        blocks,
    }
}

/// The pack's PDF bytes. CPU work (a few hundred milliseconds for hundreds of items): call it
/// off the async threads.
pub fn pdf(export: &PortfolioExport) -> AppResult<Vec<u8>> {
    render(&document(export)).map_err(|e| AppError::internal(anyhow::Error::from(e)))
}

#[cfg(test)]
mod tests {
    use super::{duration, words};

    #[test]
    fn labels_and_durations_read_as_words() {
        assert_eq!(words("witness_testimony"), "Witness testimony");
        assert_eq!(words("accepted"), "Accepted");
        assert_eq!(duration(45), "45 minutes");
        assert_eq!(duration(120), "2 hours");
        assert_eq!(duration(90), "1 hour 30 minutes");
        assert_eq!(duration(0), "0 minutes");
    }
}
