//! `PATCH /api/v1/standards/{reference}/versions/{version}`: an administrator sets a version's
//! published minimum of off-the-job hours (an import that carries one sets it too).

use actix_web::{patch, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{StandardSummary, mapping_status};
use crate::api::connection::db_conn;
use crate::db::catalogue::{self};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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
    auth: crate::api::authenticated::Authenticated,
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
                crate::api::audit_entry::entry(
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
