//! `GET /api/v1/otj-queue`: off-the-job entries waiting for the provider's decision, across the
//! apprenticeships in the caller's scope, so a tutor approves time without opening each
//! apprentice. Two statements at most (the page with its total, and the names), whatever the
//! page size; a page past the end asks for the total once more.

use actix_web::{get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::api::queues::{QueueQuery, total_of};
use crate::api::references::PersonName;
use crate::api::references::names;
use crate::api::references::person;
use crate::db::otj_queue as db_queue;
use crate::domain::otj::OtjActivity;
use crate::domain::policy;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct OtjQueueItem {
    /// Approve or reject it with `POST /api/v1/otj/{entry_id}/review`.
    pub entry_id: Uuid,
    pub apprenticeship_id: Uuid,
    pub apprentice: PersonName,
    pub occurred_on: NaiveDate,
    pub minutes: i32,
    pub activity: OtjActivity,
    pub description: String,
    /// When the apprentice logged it.
    pub created_at: DateTime<Utc>,
}

/// Off-the-job entries waiting for a decision, longest waiting first: by default of the
/// apprenticeships you are the tutor of; `scope=organisation` for your whole provider (admins:
/// all). Training provider staff and administrators only.
#[utoipa::path(
    tag = "otj",
    security(("bearer" = [])),
    params(QueueQuery, PageParams),
    responses(
        (status = 200, body = Paginated<OtjQueueItem>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/otj-queue")]
pub async fn otj_queue(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<QueueQuery>,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<OtjQueueItem>>> {
    policy::read_otj_queue(&auth.actor)?;
    let page = page_params.0.page()?;
    let scope = auth.actor.list_scope(query.0.scope.unwrap_or_default());
    let mut conn = read_conn(&state, &auth).await?;
    let rows = db_queue::pending(&mut conn, scope, page.limit, page.offset).await?;
    let total = total_of(rows.first().map(|r| r.total), page, || async {
        let first = db_queue::pending(&mut conn, scope, 1, 0).await?;
        Ok(first.first().map(|r| r.total))
    })
    .await?;
    let people: Vec<Uuid> = rows.iter().map(|r| r.apprentice_id).collect();
    let names = names(&mut conn, &people).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(OtjQueueItem {
                activity: r.activity,
                apprentice: person(&names, r.apprentice_id),
                entry_id: r.entry_id,
                apprenticeship_id: r.apprenticeship_id,
                occurred_on: r.occurred_on,
                minutes: r.minutes,
                description: r.description,
                created_at: r.created_at,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(web::Json(Paginated::new(items, total, page)))
}
