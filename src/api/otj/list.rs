//! `GET /api/v1/apprenticeships/{id}/otj`: an apprenticeship's off-the-job entries.

use actix_web::{get, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{OtjEntryResponse, responses};
use crate::api::access::visible_apprenticeship;
use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::db::otj::{self as db_otj, OtjFilter};
use crate::domain::otj::OtjStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OtjQuery {
    pub status: Option<OtjStatus>,
    /// Entries on or after this day.
    pub from: Option<NaiveDate>,
    /// Entries on or before this day.
    pub to: Option<NaiveDate>,
}

/// The off-the-job entries of an apprenticeship, newest day first.
#[utoipa::path(
    tag = "otj",
    security(("bearer" = [])),
    params(OtjQuery, PageParams),
    responses(
        (status = 200, body = Paginated<OtjEntryResponse>),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "a bad filter or page", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}/otj")]
pub async fn list_otj(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    query: Query<OtjQuery>,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<OtjEntryResponse>>> {
    let query = query.0;
    let page = page_params.0.page()?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && to < from
    {
        return Err(AppError::invalid("to", "must not be before `from`"));
    }
    let mut conn = read_conn(&state, &auth).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    let filter = OtjFilter {
        status: query.status.map(|s| s.as_str().to_string()),
        from: query.from,
        to: query.to,
    };
    let (rows, total) = db_otj::list(
        &mut conn,
        apprenticeship.id,
        &filter,
        page.limit,
        page.offset,
    )
    .await?;
    let items = responses(&mut conn, rows).await?;
    Ok(web::Json(Paginated::new(items, total, page)))
}
