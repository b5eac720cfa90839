//! What an imported portfolio becomes here: the rows of `db::portfolio_import`, made from a
//! verified `portfolio.json` and the catalogue's copy of its standard version. Every imported
//! row gets a new id and an `origin` (the original id and who acted on it); every KSB code must
//! be one of the standard version's, or the import is refused naming the codes.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::manifest::Manifest;
use crate::db::attachments::Attachment;
use crate::db::catalogue::cache::CachedStandard;
use crate::db::portfolio_import::{
    ImportedEvidence, ImportedOtj, ImportedReview, ImportedSignature, ImportedSignoff,
};
use crate::domain::evidence::EvidenceStatus;
use crate::domain::review::{self, ReviewContent};
use crate::error::FieldError;

/// The rows to write, with each attachment's new row (its storage key chosen) in the order of
/// the archive's files.
pub struct Plan {
    pub evidence: Vec<ImportedEvidence>,
    pub attachments: Vec<Attachment>,
    pub signoffs: Vec<ImportedSignoff>,
    pub otj: Vec<ImportedOtj>,
    pub reviews: Vec<ImportedReview>,
}

/// Where the portfolio came from, as every imported row and the audit trail record it.
pub fn source(manifest: &Manifest) -> Value {
    let a = &manifest.apprenticeship;
    json!({
        "imported": true,
        "format": manifest.format,
        "exported_at": manifest.exported_at,
        "exported_from": manifest.exported_from,
        "apprenticeship_id": a.id,
        "provider": { "id": a.provider.id, "name": a.provider.name },
        "employer": { "id": a.employer.id, "name": a.employer.name },
        "mentor": { "id": a.mentor.id, "name": a.mentor.name },
        "tutor": { "id": a.tutor.id, "name": a.tutor.name },
        "start_date": a.start_date,
        "expected_end_date": a.expected_end_date,
    })
}

/// A row's origin: the source's deployment and provider with the row's own facts.
fn origin(manifest: &Manifest, facts: Value) -> Value {
    let mut value = json!({
        "imported": true,
        "exported_from": manifest.exported_from,
        "provider": manifest.apprenticeship.provider.name,
    });
    if let (Value::Object(map), Value::Object(extra)) = (&mut value, facts) {
        map.extend(extra);
    }
    value
}

/// The rows of `manifest` for the new apprenticeship `apprenticeship_id`, or every KSB code the
/// standard version does not have (and any KSB signed off twice at once), named.
pub fn plan(
    manifest: &Manifest,
    standard: &CachedStandard,
    apprenticeship_id: Uuid,
    apprentice_id: Uuid,
) -> Result<Plan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut ksb = |code: &str, field: String| -> Option<Uuid> {
        let found = standard.ksb_by_code(code.trim()).map(|k| k.id);
        if found.is_none() {
            errors.push(FieldError::new(
                field,
                format!(
                    "names KSB {code:?}, which {} version {} does not have",
                    standard.standard.reference, standard.standard.version
                ),
            ));
        }
        found
    };
    let fallback = |at: Option<DateTime<Utc>>| at.unwrap_or(manifest.exported_at);

    let mut evidence = Vec::with_capacity(manifest.evidence.len());
    let mut attachments = Vec::new();
    for (i, e) in manifest.evidence.iter().enumerate() {
        let id = Uuid::new_v4();
        let ksb_ids: Vec<Uuid> = e
            .ksbs
            .iter()
            .filter_map(|code| ksb(code, format!("evidence[{i}].ksbs")))
            .collect();
        let decided = e.decision.as_ref().map(|d| d.decided_at);
        // Accepted evidence is frozen: its last change is its acceptance, which is when its
        // KSBs became evidenced (`domain::evidenced_at`).
        let updated_at = fallback(decided.or(e.submitted_at));
        let created_at = e
            .submitted_at
            .or(decided)
            .unwrap_or(updated_at)
            .min(updated_at);
        let withdrawn = e.status == EvidenceStatus::Withdrawn;
        evidence.push(ImportedEvidence {
            id,
            title: e.title.clone(),
            description: e.description.clone(),
            kind: e.kind,
            status: e.status,
            occurred_on: e.occurred_on,
            version: e.revision.max(1),
            submitted_at: e.submitted_at,
            withdrawn_at: withdrawn.then_some(updated_at),
            withdrawn_reason: withdrawn
                .then(|| "Withdrawn before the portfolio moved provider.".to_string()),
            created_at,
            updated_at,
            ksb_ids,
            ksb_codes: e.ksbs.iter().map(|c| c.trim().to_string()).collect(),
            decision: e.decision.as_ref().map(|d| {
                (
                    d.decision,
                    d.decided_at,
                    origin(
                        manifest,
                        json!({ "reviewer": { "id": d.reviewer.id, "name": d.reviewer.name } }),
                    ),
                )
            }),
            origin: origin(manifest, json!({ "id": e.id, "revision": e.revision })),
        });
        for a in &e.attachments {
            let attachment_id = Uuid::new_v4();
            attachments.push(Attachment {
                id: attachment_id,
                evidence_id: id,
                filename: a.file_name.clone(),
                content_type: a.content_type.clone(),
                size_bytes: a.size_bytes,
                sha256: a.sha256.clone(),
                storage_key: format!("evidence/{id}/{attachment_id}"),
                uploaded_by: apprentice_id,
                created_at,
            });
        }
    }

    let mut live = HashSet::new();
    let mut twice = Vec::new();
    let mut signoffs = Vec::with_capacity(manifest.signoffs.len());
    for (i, s) in manifest.signoffs.iter().enumerate() {
        let Some(ksb_id) = ksb(&s.ksb, format!("signoffs[{i}].ksb")) else {
            continue;
        };
        if s.revoked_at.is_none() && !live.insert(ksb_id) {
            twice.push(FieldError::new(
                format!("signoffs[{i}]"),
                format!("signs off {} a second time while it is signed off", s.ksb),
            ));
        }
        signoffs.push(ImportedSignoff {
            ksb_id,
            comment: s.comment.clone(),
            created_at: s.signed_at,
            revoked_at: s.revoked_at,
            revoked_reason: s.revoked_at.map(|_| {
                s.revoked_reason
                    .clone()
                    .filter(|r| !r.trim().is_empty())
                    .unwrap_or_else(|| "Revoked before the portfolio moved provider.".into())
            }),
            origin: origin(
                manifest,
                json!({ "signed_off_by": { "id": s.signed_off_by.id, "name": s.signed_off_by.name } }),
            ),
        });
    }

    let otj = manifest
        .otj
        .entries
        .iter()
        .map(|o| {
            let reviewed_at = match o.status {
                crate::domain::otj::OtjStatus::Pending => None,
                _ => Some(fallback(o.reviewed_at)),
            };
            ImportedOtj {
                occurred_on: o.occurred_on,
                minutes: o.minutes,
                activity: o.activity,
                description: o.description.clone(),
                status: o.status,
                reviewed_at,
                rejection_reason: match o.status {
                    crate::domain::otj::OtjStatus::Rejected => Some(
                        o.rejection_reason
                            .clone()
                            .filter(|r| !r.trim().is_empty())
                            .unwrap_or_else(|| "Rejected by the previous provider.".into()),
                    ),
                    _ => None,
                },
                created_at: reviewed_at.unwrap_or(manifest.exported_at),
                origin: origin(manifest, json!({ "id": o.id })),
            }
        })
        .collect();

    let reviews = manifest
        .reviews
        .iter()
        .map(|r| {
            let id = Uuid::new_v4();
            // The content a signature attests names the review and its apprenticeship, which
            // have new ids here. A signature that was valid on the original attests this very
            // content, so it is kept over the content as stored here; one that was not valid
            // keeps the hash it was made on and stays invalid. The origin keeps the original
            // hashes, to check against the original archive.
            let resealed = review::content_sha256(&ReviewContent {
                review_id: id,
                apprenticeship_id,
                held_on: r.held_on,
                previous_actions: &r.previous_actions,
                progress_notes: &r.progress_notes,
                concerns: &r.concerns,
                next_actions: &r.next_actions,
                snapshot: &r.snapshot,
            });
            ImportedReview {
                id,
                held_on: r.held_on,
                previous_actions: r.previous_actions.clone(),
                progress_notes: r.progress_notes.clone(),
                concerns: r.concerns.clone(),
                next_actions: serde_json::to_value(&r.next_actions).unwrap_or(json!([])),
                snapshot: serde_json::to_value(&r.snapshot).unwrap_or(json!({})),
                status: r.status,
                created_at: r.created_at,
                updated_at: r.updated_at,
                origin: origin(
                    manifest,
                    json!({ "id": r.id, "content_sha256": r.content_sha256 }),
                ),
                signatures: r
                    .signatures
                    .iter()
                    .map(|s| ImportedSignature {
                        role: s.role,
                        content_sha256: if s.valid {
                            resealed.clone()
                        } else {
                            s.content_sha256.clone()
                        },
                        signed_at: s.signed_at,
                        voided_at: s.voided_at,
                        void_reason: s.voided_at.map(|_| {
                            s.void_reason
                                .clone()
                                .filter(|r| !r.trim().is_empty())
                                .unwrap_or_else(|| "Voided before the portfolio moved.".into())
                        }),
                        origin: origin(
                            manifest,
                            json!({
                                "id": s.id,
                                "signer_name": s.signer.name,
                                "signer_id": s.signer.id,
                                "content_sha256": s.content_sha256,
                            }),
                        ),
                    })
                    .collect(),
            }
        })
        .collect();

    errors.extend(twice);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Plan {
        evidence,
        attachments,
        signoffs,
        otj,
        reviews,
    })
}
