//! `GET /api/v1/apprenticeships/{id}/coverage`: per KSB and per duty, how far the apprentice has
//! come. Reads the kept statuses (94 rows); the standard's KSBs and duty links come from the
//! catalogue cache. The rules are in `domain::coverage`.

use std::collections::HashMap;

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::authenticated::Authenticated;
use crate::api::catalogue::standard_of;
use crate::api::connection::read_conn;
use crate::api::references::PersonName;
use crate::db::{apprenticeships, ksb_statuses, users};
use crate::domain::coverage::{DutyCoverage, EvidenceCounts, KsbStatus, Totals, duty_coverage};
use crate::domain::standard::{KsbKind, MappingStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct KsbCoverage {
    pub code: String,
    pub kind: KsbKind,
    pub status: KsbStatus,
    /// Evidence mapped to this KSB by status (withdrawn evidence is not counted).
    pub evidence: EvidenceCounts,
    pub signed_off_at: Option<DateTime<Utc>>,
    pub signed_off_by: Option<PersonName>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MappingNote {
    pub status: MappingStatus,
    /// Say this wherever duties are shown while the status is `provisional`.
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageResponse {
    pub apprenticeship_id: Uuid,
    /// Standard reference, e.g. `ST0220`.
    pub standard: String,
    pub standard_version: String,
    /// Provenance of the duty ↔ KSB links the duty figures use.
    pub mapping: MappingNote,
    pub totals: Totals,
    /// D1… in order. A KSB in two duties counts in both.
    pub duties: Vec<DutyCoverage>,
    pub ksbs: Vec<KsbCoverage>,
}

/// Coverage of one apprenticeship: totals, each duty, each KSB.
#[utoipa::path(
    tag = "coverage",
    security(("bearer" = [])),
    responses(
        (status = 200, body = CoverageResponse),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}/coverage")]
pub async fn get_coverage(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<CoverageResponse>> {
    let mut conn = read_conn(&state, &auth).await?;
    // One round trip: the three reads are pipelined; what is outside the caller's scope is
    // thrown away unread below (404).
    let (found, rows, names) = futures_util::try_join!(
        apprenticeships::find(&conn, *id),
        ksb_statuses::of_apprenticeship(&conn, *id),
        users::signers_of(&conn, *id),
    )?;
    let apprenticeship = found
        .filter(|a| auth.actor.can_see_apprenticeship(&a.parties()))
        .ok_or_else(|| AppError::not_found("apprenticeship"))?;
    let catalogue = standard_of(&state, &mut conn, &apprenticeship).await?;
    let mut kept: Vec<(usize, KsbCoverage)> = rows
        .into_iter()
        .filter_map(|r| {
            let ksb = catalogue.ksb_by_id(r.ksb_id)?;
            Some((
                ksb.position,
                KsbCoverage {
                    code: ksb.code.clone(),
                    kind: ksb.kind,
                    status: r.status,
                    evidence: EvidenceCounts::from(r.counts),
                    signed_off_at: r.signed_off_at,
                    signed_off_by: r.signed_off_by.map(|id| PersonName {
                        id,
                        name: names.get(&id).cloned().unwrap_or_default(),
                    }),
                },
            ))
        })
        .collect();
    kept.sort_unstable_by_key(|(position, _)| *position);
    let ksbs: Vec<KsbCoverage> = kept.into_iter().map(|(_, k)| k).collect();
    let statuses: HashMap<String, KsbStatus> =
        ksbs.iter().map(|k| (k.code.clone(), k.status)).collect();
    let totals = Totals::count(statuses.values());
    let duties = duty_coverage(&catalogue.duties, &statuses);
    let standard = &catalogue.standard;
    Ok(web::Json(CoverageResponse {
        apprenticeship_id: apprenticeship.id,
        mapping: MappingNote {
            status: standard.mapping_status,
            note: standard.mapping_note.clone(),
        },
        standard: standard.reference.clone(),
        standard_version: standard.version.clone(),
        totals,
        duties,
        ksbs,
    }))
}
