//! `GET /api/v1/standards`: every standard version in the catalogue (public: it is published text).

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::{StandardSummary, mapping_status};
use crate::api::connection::db_conn;
use crate::db::catalogue::{self};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct StandardList {
    pub items: Vec<StandardSummary>,
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
