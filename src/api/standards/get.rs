//! `GET /api/v1/standards/{reference}`: a standard's newest version (or `?version=`) with its
//! duties and KSBs; duties always come with their mapping's provenance.

use actix_web::{get, web};

use super::{DutyView, KsbView, MappingProvenance, StandardDetail, mapping_status};
use crate::api::connection::db_conn;
use crate::db::catalogue::{self, StandardWithContent};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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
