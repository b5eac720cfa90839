//! `GET /api/v1/standards` and `GET /api/v1/standards/{reference}`: the catalogue, read-only and
//! public (it is published text). Duties always come with their mapping's provenance.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::catalogue::{self, Standard, StandardWithContent};
use crate::domain::standard::{KsbKind, MappingStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

use super::db_conn;

#[derive(Serialize, ToSchema)]
pub struct StandardSummary {
    pub reference: String,
    pub title: String,
    pub level: i32,
    pub version: String,
    pub mapping_status: MappingStatus,
}

#[derive(Serialize, ToSchema)]
pub struct MappingProvenance {
    /// `provisional`: inferred links, to be replaced by the official record; `official`: published.
    pub status: MappingStatus,
    /// Shown wherever duties are shown.
    pub note: String,
    /// Where the links came from (file name).
    pub source: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct DutyView {
    pub code: String,
    pub text: String,
    /// KSB codes linked to this duty, in standard order.
    pub ksbs: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct KsbView {
    pub code: String,
    pub kind: KsbKind,
    pub text: String,
    /// Duty codes this KSB belongs to.
    pub duties: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StandardDetail {
    pub reference: String,
    pub title: String,
    pub level: i32,
    pub version: String,
    pub source: Option<String>,
    pub mapping: MappingProvenance,
    pub duties: Vec<DutyView>,
    pub ksbs: Vec<KsbView>,
}

#[derive(Serialize, ToSchema)]
pub struct StandardList {
    pub items: Vec<StandardSummary>,
}

fn mapping_status(standard: &Standard) -> MappingStatus {
    MappingStatus::parse(&standard.mapping_status).unwrap_or(MappingStatus::Provisional)
}

/// Every standard version in the catalogue.
#[utoipa::path(tag = "standards", responses((status = 200, body = StandardList)))]
#[get("/standards")]
pub async fn list_standards(state: web::Data<AppState>) -> AppResult<web::Json<StandardList>> {
    let mut conn = db_conn(&state).await?;
    let items = catalogue::list(&mut conn)
        .await
        .map_err(AppError::internal)?
        .into_iter()
        .map(|s| StandardSummary {
            mapping_status: mapping_status(&s),
            reference: s.reference,
            title: s.title,
            level: s.level,
            version: s.version,
        })
        .collect();
    Ok(web::Json(StandardList { items }))
}

/// The newest version of one standard: duties with their KSB codes, and every KSB.
#[utoipa::path(
    tag = "standards",
    params(("reference" = String, Path, example = "ST0220")),
    responses(
        (status = 200, body = StandardDetail),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "a control character in the reference", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/standards/{reference}")]
pub async fn get_standard(
    state: web::Data<AppState>,
    reference: web::Path<String>,
) -> AppResult<web::Json<StandardDetail>> {
    if let Some(found) = crate::domain::text::forbidden_control(&reference) {
        return Err(AppError::invalid(
            "reference",
            crate::domain::text::control_message(found),
        ));
    }
    let mut conn = db_conn(&state).await?;
    let found = catalogue::find_latest(&mut conn, &reference.to_uppercase())
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::NotFound(format!("There is no standard {reference}.")))?;
    Ok(web::Json(detail(found)))
}

fn detail(content: StandardWithContent) -> StandardDetail {
    let StandardWithContent {
        standard,
        duties,
        ksbs,
        links,
    } = content;
    StandardDetail {
        mapping: MappingProvenance {
            status: mapping_status(&standard),
            note: standard.mapping_note,
            source: standard.mapping_source,
            updated_at: standard.mapping_updated_at,
        },
        duties: duties
            .into_iter()
            .map(|d| DutyView {
                ksbs: links
                    .iter()
                    .filter(|(duty, _)| *duty == d.code)
                    .map(|(_, ksb)| ksb.clone())
                    .collect(),
                code: d.code,
                text: d.text,
            })
            .collect(),
        ksbs: ksbs
            .into_iter()
            .map(|k| KsbView {
                duties: links
                    .iter()
                    .filter(|(_, ksb)| *ksb == k.code)
                    .map(|(duty, _)| duty.clone())
                    .collect(),
                kind: k.kind(),
                code: k.code,
                text: k.text,
            })
            .collect(),
        reference: standard.reference,
        title: standard.title,
        level: standard.level,
        version: standard.version,
        source: standard.source,
    }
}
