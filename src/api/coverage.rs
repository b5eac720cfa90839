//! `GET /api/v1/apprenticeships/{id}/coverage`: per KSB and per duty, how far the apprentice has
//! come. Reads the kept statuses (94 rows) and the standard's duty links; the rules are in
//! `domain::coverage`.

use std::collections::HashMap;

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::apprenticeships::find_visible;
use super::db_conn;
use super::evidence::PersonName;
use crate::auth::Authenticated;
use crate::db::{catalogue, ksb_statuses};
use crate::domain::coverage::{
    DutyCoverage, DutyDef, EvidenceCounts, KsbStatus, Totals, duty_coverage,
};
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

/// Per-KSB statuses and per-duty coverage of several apprenticeships, in a fixed number of
/// queries (kept statuses, duties, links).
pub async fn coverage_of(
    conn: &mut AsyncPgConnection,
    apprenticeships: &[(Uuid, Uuid)],
) -> AppResult<HashMap<Uuid, (Vec<ksb_statuses::KsbState>, Totals, Vec<DutyCoverage>)>> {
    let ids: Vec<Uuid> = apprenticeships.iter().map(|(id, _)| *id).collect();
    let standards: Vec<Uuid> = apprenticeships.iter().map(|(_, s)| *s).collect();
    let mut states: HashMap<Uuid, Vec<ksb_statuses::KsbState>> = HashMap::new();
    for state in ksb_statuses::for_apprenticeships(conn, &ids).await? {
        states
            .entry(state.apprenticeship_id)
            .or_default()
            .push(state);
    }
    let duties: HashMap<Uuid, Vec<DutyDef>> = catalogue::duty_defs(conn, &standards).await?;
    Ok(apprenticeships
        .iter()
        .map(|(id, standard)| {
            let rows = states.remove(id).unwrap_or_default();
            let statuses: HashMap<String, KsbStatus> = rows
                .iter()
                .map(|r| {
                    (
                        r.code.clone(),
                        KsbStatus::parse(&r.status).unwrap_or(KsbStatus::NotStarted),
                    )
                })
                .collect();
            let totals = Totals::count(statuses.values());
            let duty = duty_coverage(
                duties.get(standard).map(Vec::as_slice).unwrap_or(&[]),
                &statuses,
            );
            (*id, (rows, totals, duty))
        })
        .collect())
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
    let mut conn = db_conn(&state).await?;
    let apprenticeship = find_visible(&mut conn, &auth.actor, *id).await?;
    let standard = catalogue::find_by_id(&mut conn, apprenticeship.standard_id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("apprenticeship without standard")))?;
    let (rows, totals, duties) = coverage_of(
        &mut conn,
        &[(apprenticeship.id, apprenticeship.standard_id)],
    )
    .await?
    .remove(&apprenticeship.id)
    .unwrap_or_default();
    let ksbs = rows
        .into_iter()
        .map(|r| KsbCoverage {
            kind: KsbKind::parse(&r.kind).unwrap_or(KsbKind::Knowledge),
            status: KsbStatus::parse(&r.status).unwrap_or(KsbStatus::NotStarted),
            evidence: EvidenceCounts {
                draft: r.counts.0,
                submitted: r.counts.1,
                accepted: r.counts.2,
                changes_requested: r.counts.3,
            },
            signed_off_at: r.signed_off_at,
            signed_off_by: r.signed_off_by.map(|id| PersonName {
                id,
                name: r.signed_off_by_name.clone().unwrap_or_default(),
            }),
            code: r.code,
        })
        .collect();
    Ok(web::Json(CoverageResponse {
        apprenticeship_id: apprenticeship.id,
        mapping: MappingNote {
            status: MappingStatus::parse(&standard.mapping_status)
                .unwrap_or(MappingStatus::Provisional),
            note: standard.mapping_note,
        },
        standard: standard.reference,
        standard_version: standard.version,
        totals,
        duties,
        ksbs,
    }))
}
