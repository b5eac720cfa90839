//! `GET /api/v1/standards` and `GET /api/v1/standards/{reference}`: the catalogue, public (it is
//! published text). Duties always come with their mapping's provenance. An administrator sets a
//! version's published minimum of off-the-job hours with
//! `PATCH /api/v1/standards/{reference}/versions/{version}` (an import that carries one sets it
//! too).

use actix_web::{get, patch, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
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
    /// The published minimum of off-the-job training hours; `null`: none published (the
    /// funded minimum of 187 hours applies).
    pub minimum_otj_hours: Option<i32>,
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
    /// The published minimum of off-the-job training hours, if any.
    pub minimum_otj_hours: Option<i32>,
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
            minimum_otj_hours: s.minimum_otj_hours,
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
        minimum_otj_hours: standard.minimum_otj_hours,
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStandardVersionRequest {
    /// 1–20,000 hours, or `null` to record that none is published.
    pub minimum_otj_hours: Option<i32>,
}

/// Set a standard version's published minimum of off-the-job hours (administrators). Plans
/// made later are checked against it; existing plans are not changed.
#[utoipa::path(
    tag = "standards",
    security(("bearer" = [])),
    params(
        ("reference" = String, Path, example = "ST0220"),
        ("version" = String, Path, example = "1.1"),
    ),
    request_body = UpdateStandardVersionRequest,
    responses(
        (status = 200, body = StandardSummary),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/standards/{reference}/versions/{version}")]
pub async fn update_standard_version(
    state: web::Data<AppState>,
    auth: crate::auth::Authenticated,
    path: web::Path<(String, String)>,
    body: crate::api::extract::Json<UpdateStandardVersionRequest>,
) -> AppResult<web::Json<StandardSummary>> {
    use diesel_async::AsyncConnection;
    crate::domain::policy::set_standard_minimum(&auth.actor)?;
    let (reference, version) = path.into_inner();
    let hours = body.0.minimum_otj_hours;
    let max = crate::domain::otj::MAX_PLAN_HOURS;
    if hours.is_some_and(|h| !(1..=max).contains(&h)) {
        return Err(AppError::invalid(
            "minimum_otj_hours",
            format!("must be between 1 and {max} hours, or null"),
        ));
    }
    let mut conn = db_conn(&state).await?;
    let found = catalogue::find_version(&mut conn, &reference.to_uppercase(), &version)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "There is no version {version} of standard {reference}."
            ))
        })?;
    let updated = conn
        .transaction(async |conn| {
            let updated = catalogue::set_minimum_otj_hours(conn, found.id, hours).await?;
            crate::db::audit::record(
                conn,
                crate::api::audit::entry(
                    &auth,
                    "standard.updated",
                    "standard",
                    found.id,
                    Vec::new(),
                    serde_json::json!({
                        "reference": found.reference,
                        "version": found.version,
                        "minimum_otj_hours": { "old": found.minimum_otj_hours, "new": hours },
                    }),
                ),
            )
            .await?;
            Ok::<_, AppError>(updated)
        })
        .await?;
    Ok(web::Json(StandardSummary {
        mapping_status: mapping_status(&updated),
        minimum_otj_hours: updated.minimum_otj_hours,
        reference: updated.reference,
        title: updated.title,
        level: updated.level,
        version: updated.version,
    }))
}

/// One version of a standard (the one an apprenticeship follows, which need not be the
/// newest): duties with their KSB codes, and every KSB.
#[utoipa::path(
    tag = "standards",
    params(
        ("reference" = String, Path, example = "ST0220"),
        ("version" = String, Path, example = "1.1"),
    ),
    responses(
        (status = 200, body = StandardDetail),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "a control character in the reference or version", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/standards/{reference}/versions/{version}")]
pub async fn get_standard_version(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> AppResult<web::Json<StandardDetail>> {
    let (reference, version) = path.into_inner();
    for (field, value) in [("reference", &reference), ("version", &version)] {
        if let Some(found) = crate::domain::text::forbidden_control(value) {
            return Err(AppError::invalid(
                field,
                crate::domain::text::control_message(found),
            ));
        }
    }
    let mut conn = db_conn(&state).await?;
    let standard = catalogue::find_version(&mut conn, &reference.to_uppercase(), &version)
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "There is no version {version} of standard {reference}."
            ))
        })?;
    let content = catalogue::load_content(&mut conn, standard)
        .await
        .map_err(AppError::internal)?;
    Ok(web::Json(detail(content)))
}
