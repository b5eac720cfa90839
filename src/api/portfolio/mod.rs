//! The whole portfolio as one archive that belongs to the apprentice:
//! `GET /api/v1/apprenticeships/{id}/portfolio.zip` (`zip.rs`, streamed) holds `portfolio.json`
//! (everything as data, described by the JSON Schema at `GET /api/v1/schemas/portfolio.json`,
//! `schema.rs`), `mapping.csv` and every attachment; the end-point assessment pack
//! `GET /api/v1/apprenticeships/{id}/portfolio.pdf` (`pdf.rs`, its content in `pack.rs`) is the
//! same data as an accessible PDF. Both load and audit through `audited.rs`. This file
//! assembles the data.

pub mod audited;
pub mod import;
pub mod pack;
pub mod pdf;
pub mod schema;
pub mod zip;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::catalogue::standard_of;
use crate::api::gateway::{GatewayResponse, readiness, response as gateway_response};
use crate::api::otj::summary_of;
use crate::api::references::{PersonName, PersonRef};
use crate::api::reviews::{ProgressReviewResponse, responses as review_responses};
use crate::db::apprenticeships::Apprenticeship;
use crate::db::catalogue::cache::CachedStandard;
use crate::db::{ksb_statuses, organisations, portfolio_export, reviews, users};
use crate::domain::coverage::{DutyCoverage, KsbStatus, Totals, duty_coverage};
use crate::domain::evidence::{EvidenceKind, EvidenceStatus};
use crate::domain::otj::{OtjActivity, OtjStatus, OtjSummary};
use crate::domain::standard::{KsbKind, MappingStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The version of the export's layout; a reader refuses a format it does not know.
pub const FORMAT: &str = "ksbfolio-portfolio/1";

/// At most this many progress reviews go into one export (a review every three months: a
/// five-year apprenticeship has twenty).
const REVIEWS_MAX: i64 = 500;

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationName {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedApprenticeship {
    pub id: Uuid,
    /// With the e-mail address: a portfolio imported elsewhere enrols the same person.
    pub apprentice: PersonRef,
    pub employer: OrganisationName,
    pub provider: OrganisationName,
    pub mentor: PersonName,
    pub tutor: PersonName,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    pub planned_otj_hours: Option<i32>,
    pub rpl_reduction_hours: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedStandard {
    pub reference: String,
    pub version: String,
    pub title: String,
    /// Provenance of the duty ↔ KSB links the duty figures use.
    pub mapping_status: MappingStatus,
    pub mapping_note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedKsb {
    pub code: String,
    pub kind: KsbKind,
    pub status: KsbStatus,
    /// Duty codes the KSB belongs to.
    pub duties: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedCoverage {
    pub totals: Totals,
    pub duties: Vec<DutyCoverage>,
    pub ksbs: Vec<ExportedKsb>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedDecision {
    /// `accepted` or `changes_requested`.
    pub decision: String,
    pub reviewer: PersonName,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedAttachment {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Where the file is inside the archive: `attachments/<evidence id>/<file name>`.
    pub path: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedEvidence {
    pub id: Uuid,
    /// The revision number at export.
    pub revision: i32,
    pub title: String,
    pub description: String,
    pub kind: EvidenceKind,
    pub status: EvidenceStatus,
    pub occurred_on: NaiveDate,
    pub submitted_at: Option<DateTime<Utc>>,
    pub ksbs: Vec<String>,
    /// The latest review decision, if any.
    pub decision: Option<ExportedDecision>,
    pub attachments: Vec<ExportedAttachment>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedSignoff {
    pub ksb: String,
    pub signed_off_by: PersonName,
    pub signed_at: DateTime<Utc>,
    pub comment: String,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedOtjEntry {
    pub id: Uuid,
    pub occurred_on: NaiveDate,
    pub minutes: i32,
    pub activity: OtjActivity,
    pub description: String,
    pub status: OtjStatus,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedOtj {
    pub summary: OtjSummary,
    pub entries: Vec<ExportedOtjEntry>,
}

/// `portfolio.json`: the whole portfolio as data.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioExport {
    /// `ksbfolio-portfolio/1`.
    pub format: String,
    pub exported_at: DateTime<Utc>,
    /// The public address of the deployment that made the export, when it has one.
    pub exported_from: Option<String>,
    pub apprenticeship: ExportedApprenticeship,
    pub standard: ExportedStandard,
    pub coverage: ExportedCoverage,
    /// Oldest first.
    pub evidence: Vec<ExportedEvidence>,
    pub signoffs: Vec<ExportedSignoff>,
    /// Newest first.
    pub reviews: Vec<ProgressReviewResponse>,
    pub otj: ExportedOtj,
    pub gateway: GatewayResponse,
}

/// A portfolio ready to be written out: the data and where each attachment is stored.
pub struct Portfolio {
    pub export: PortfolioExport,
    /// `(path in the archive, storage key)`, in the order of `export.evidence`.
    pub files: Vec<(String, String)>,
    pub catalogue: std::sync::Arc<CachedStandard>,
}

/// A file name safe inside an archive: no directories, no control characters, never empty.
pub fn archive_name(file_name: &str) -> String {
    let cleaned: String = file_name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        "file".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The person an imported row names under `key` in its origin (who really acted; they may have
/// no account here).
fn original_person(origin: Option<&serde_json::Value>, key: &str) -> Option<PersonName> {
    let named = origin?.get(key)?;
    Some(PersonName {
        id: named.get("id")?.as_str()?.parse().ok()?,
        name: named.get("name")?.as_str()?.to_string(),
    })
}

/// Gathers the portfolio in a fixed number of statements.
pub async fn gather(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    apprenticeship: &Apprenticeship,
) -> AppResult<Portfolio> {
    let catalogue = standard_of(state, conn, apprenticeship).await?;
    let rows = portfolio_export::rows(&*conn, apprenticeship.id).await?;
    let statuses = ksb_statuses::of_apprenticeship(&*conn, apprenticeship.id).await?;
    let (review_rows, _) = reviews::list(conn, apprenticeship.id, REVIEWS_MAX, 0).await?;
    let reviews = review_responses(conn, review_rows).await?;
    let otj_summary = summary_of(conn, apprenticeship).await?;
    let computed = readiness(state, conn, apprenticeship).await?;
    let gateway = gateway_response(conn, apprenticeship, computed).await?;

    let mut people: Vec<Uuid> = vec![
        apprenticeship.apprentice_id,
        apprenticeship.mentor_id,
        apprenticeship.tutor_id,
    ];
    people.extend(rows.decisions.iter().map(|d| d.reviewer_id));
    people.extend(rows.signoffs.iter().map(|(s, _, _)| s.signed_off_by));
    people.sort_unstable();
    people.dedup();
    let names = users::names(&*conn, &people).await?;
    let apprentice_email = users::find(conn, apprenticeship.apprentice_id)
        .await?
        .map(|u| u.email)
        .unwrap_or_default();
    let orgs: HashMap<Uuid, String> = organisations::find_many(
        conn,
        &[apprenticeship.employer_id, apprenticeship.provider_id],
    )
    .await?
    .into_iter()
    .map(|o| (o.id, o.name))
    .collect();
    let person = |id: Uuid| PersonName {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    let organisation = |id: Uuid| OrganisationName {
        id,
        name: orgs.get(&id).cloned().unwrap_or_default(),
    };

    let mut status_of: HashMap<Uuid, KsbStatus> = HashMap::new();
    for row in &statuses {
        status_of.insert(row.ksb_id, row.status);
    }
    let mut duties_of: HashMap<&str, Vec<String>> = HashMap::new();
    for duty in &catalogue.duties {
        for code in &duty.ksbs {
            duties_of
                .entry(code.as_str())
                .or_default()
                .push(duty.code.clone());
        }
    }
    let mut ksbs: Vec<ExportedKsb> = catalogue
        .ksbs
        .iter()
        .map(|k| ExportedKsb {
            code: k.code.clone(),
            kind: k.kind,
            // No kept row: nothing is mapped to the KSB yet.
            status: status_of
                .get(&k.id)
                .copied()
                .unwrap_or(KsbStatus::NotStarted),
            duties: duties_of.get(k.code.as_str()).cloned().unwrap_or_default(),
        })
        .collect();
    ksbs.sort_by_key(|k| {
        catalogue
            .ksb_by_code(&k.code)
            .map_or(usize::MAX, |c| c.position)
    });
    let by_code: HashMap<String, KsbStatus> =
        ksbs.iter().map(|k| (k.code.clone(), k.status)).collect();
    let coverage = ExportedCoverage {
        totals: Totals::count(by_code.values()),
        duties: duty_coverage(&catalogue.duties, &by_code),
        ksbs,
    };

    let mut codes_of: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (evidence_id, code) in rows.evidence_ksbs {
        codes_of.entry(evidence_id).or_default().push(code);
    }
    let decision_of: HashMap<Uuid, &portfolio_export::Decision> =
        rows.decisions.iter().map(|d| (d.evidence_id, d)).collect();
    let mut files_of: HashMap<Uuid, Vec<&crate::db::attachments::Attachment>> = HashMap::new();
    for file in &rows.attachments {
        files_of.entry(file.evidence_id).or_default().push(file);
    }
    let mut files = Vec::with_capacity(rows.attachments.len());
    let evidence = rows
        .evidence
        .into_iter()
        .map(|e| {
            let mut used: Vec<String> = Vec::new();
            let attachments = files_of
                .get(&e.id)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|f| {
                    // Two files of one item with the same name keep both, the later numbered.
                    let base = archive_name(&f.filename);
                    let mut name = base.clone();
                    let mut n = 1;
                    while used.contains(&name) {
                        n += 1;
                        name = format!("{n}-{base}");
                    }
                    used.push(name.clone());
                    let path = format!("attachments/{}/{name}", e.id);
                    files.push((path.clone(), f.storage_key.clone()));
                    ExportedAttachment {
                        id: f.id,
                        file_name: f.filename.clone(),
                        content_type: f.content_type.clone(),
                        size_bytes: f.size_bytes,
                        sha256: f.sha256.clone(),
                        path,
                    }
                })
                .collect();
            ExportedEvidence {
                id: e.id,
                revision: e.version,
                ksbs: codes_of.remove(&e.id).unwrap_or_default(),
                decision: decision_of.get(&e.id).map(|d| ExportedDecision {
                    decision: d.decision.clone(),
                    reviewer: original_person(d.origin.as_ref(), "reviewer")
                        .unwrap_or_else(|| person(d.reviewer_id)),
                    decided_at: d.decided_at,
                }),
                title: e.title,
                description: e.description,
                kind: e.kind,
                status: e.status,
                occurred_on: e.occurred_on,
                submitted_at: e.submitted_at,
                attachments,
            }
        })
        .collect();
    let signoffs = rows
        .signoffs
        .into_iter()
        .map(|(s, ksb, origin)| ExportedSignoff {
            ksb,
            signed_off_by: original_person(origin.as_ref(), "signed_off_by")
                .unwrap_or_else(|| person(s.signed_off_by)),
            signed_at: s.created_at,
            comment: s.comment,
            revoked_at: s.revoked_at,
            revoked_reason: s.revoked_reason,
        })
        .collect();
    let entries = rows
        .otj
        .into_iter()
        .map(|o| ExportedOtjEntry {
            id: o.id,
            occurred_on: o.occurred_on,
            minutes: o.minutes,
            activity: o.activity,
            description: o.description,
            status: o.status,
            reviewed_at: o.reviewed_at,
            rejection_reason: o.rejection_reason,
        })
        .collect();
    let standard = &catalogue.standard;
    let export = PortfolioExport {
        format: FORMAT.to_string(),
        exported_at: Utc::now(),
        exported_from: state.settings.mail.public_url.clone(),
        apprenticeship: ExportedApprenticeship {
            id: apprenticeship.id,
            apprentice: PersonRef {
                id: apprenticeship.apprentice_id,
                name: names
                    .get(&apprenticeship.apprentice_id)
                    .cloned()
                    .unwrap_or_default(),
                email: apprentice_email,
            },
            employer: organisation(apprenticeship.employer_id),
            provider: organisation(apprenticeship.provider_id),
            mentor: person(apprenticeship.mentor_id),
            tutor: person(apprenticeship.tutor_id),
            start_date: apprenticeship.start_date,
            expected_end_date: apprenticeship.expected_end_date,
            planned_otj_hours: apprenticeship.planned_otj_hours,
            rpl_reduction_hours: apprenticeship.rpl_reduction_hours,
        },
        standard: ExportedStandard {
            reference: standard.reference.clone(),
            version: standard.version.clone(),
            title: standard.title.clone(),
            mapping_status: standard.mapping_status,
            mapping_note: standard.mapping_note.clone(),
        },
        coverage,
        evidence,
        signoffs,
        reviews,
        otj: ExportedOtj {
            summary: otj_summary,
            entries,
        },
        gateway,
    };
    Ok(Portfolio {
        export,
        files,
        catalogue,
    })
}

/// `mapping.csv`: one row per KSB, duty and evidence item mapped to it (a KSB with no evidence
/// has one row per duty with the evidence columns empty), in the standard's order.
pub fn mapping_csv(portfolio: &Portfolio) -> AppResult<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::internal(anyhow::Error::from(e));
    writer
        .write_record([
            "ksb",
            "duty",
            "evidence_id",
            "title",
            "kind",
            "status",
            "occurred_on",
        ])
        .map_err(fail)?;
    for ksb in &portfolio.export.coverage.ksbs {
        let mapped: Vec<&ExportedEvidence> = portfolio
            .export
            .evidence
            .iter()
            .filter(|e| e.ksbs.contains(&ksb.code))
            .collect();
        let duties: Vec<&str> = if ksb.duties.is_empty() {
            vec![""]
        } else {
            ksb.duties.iter().map(String::as_str).collect()
        };
        for duty in duties {
            if mapped.is_empty() {
                writer
                    .write_record([ksb.code.as_str(), duty, "", "", "", "", ""])
                    .map_err(fail)?;
            }
            for e in &mapped {
                writer
                    .write_record([
                        ksb.code.as_str(),
                        duty,
                        &e.id.to_string(),
                        &e.title,
                        e.kind.as_str(),
                        e.status.as_str(),
                        &e.occurred_on.to_string(),
                    ])
                    .map_err(fail)?;
            }
        }
    }
    writer
        .into_inner()
        .map_err(|e| AppError::internal(anyhow::anyhow!("mapping.csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::archive_name;

    #[test]
    fn archive_names_never_leave_their_folder_or_vanish() {
        assert_eq!(archive_name("report.pdf"), "report.pdf");
        assert_eq!(archive_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(archive_name("a\\b:c"), "a_b_c");
        assert_eq!(archive_name("..."), "file");
        assert_eq!(archive_name("line\nbreak.txt"), "line_break.txt");
    }
}
