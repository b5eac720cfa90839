//! `GET /api/v1/inbox`: everything waiting for the caller across the apprenticeships they are
//! responsible for (`scope=mine`: a tutor's tutees, a mentor's mentees, an apprentice's own),
//! oldest first, each with how long it has waited and the page that acts on it. Two statements
//! whatever the page size (the page with its total, then the names); a page past the end asks
//! for the total once more.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::api::queues::total_of;
use crate::api::references::{PersonName, names, person};
use crate::db::inbox::{self as db_inbox, InboxRow};
use crate::domain::calendar;
use crate::domain::inbox::{InboxKind, party_of, waiting_days};
use crate::domain::scope::ListScope;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// Items to skip, 0–1,000,000 (default 0).
    #[param(minimum = 0, maximum = 1_000_000, default = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxItem {
    pub kind: InboxKind,
    /// The apprenticeship the item belongs to.
    pub apprenticeship: Uuid,
    pub apprentice: PersonName,
    /// What it is about: a KSB code, an evidence title, a review or an OTJ entry in words.
    pub subject: String,
    /// Since when it has waited for the caller.
    pub waiting_since: DateTime<Utc>,
    /// Whole days it has waited (0 on its first day).
    pub waiting_days: i64,
    /// The page of the web app that acts on it (a path, e.g. `/evidence/{id}/review`).
    pub link: String,
}

/// The page that acts on an item.
fn link(kind: InboxKind, row: &InboxRow) -> String {
    let a = row.apprenticeship_id;
    let target = row.target_id.map(|t| t.to_string()).unwrap_or_default();
    match kind {
        InboxKind::KsbReady => format!("/apprenticeships/{a}/ksbs/{}", row.subject),
        InboxKind::EvidenceToReview => format!("/evidence/{target}/review"),
        InboxKind::EvidenceSentBack => format!("/evidence/{target}"),
        InboxKind::OtjToApprove | InboxKind::OtjRejected => format!("/apprenticeships/{a}/otj"),
        InboxKind::ReviewDue | InboxKind::ReviewOverdue => {
            format!("/apprenticeships/{a}/reviews/new")
        }
        InboxKind::ReviewToSign => format!("/apprenticeships/{a}/reviews#review-{target}"),
    }
}

/// What waits for you, oldest first: mentors, KSBs ready to sign off and reviews to sign;
/// tutors, evidence to review, off-the-job time to approve, reviews due or overdue and reviews
/// to sign; apprentices, evidence sent back, reviews to sign and rejected off-the-job time.
/// Across the apprenticeships you are responsible for. Administrators act for no party: their
/// inbox is empty.
#[utoipa::path(
    tag = "queues",
    security(("bearer" = [])),
    params(InboxQuery),
    responses((status = 200, body = Paginated<InboxItem>))
)]
#[get("/inbox")]
pub async fn get_inbox(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<InboxQuery>,
) -> AppResult<web::Json<Paginated<InboxItem>>> {
    let page = PageParams {
        limit: query.0.limit,
        offset: query.0.offset,
    }
    .page()?;
    let Some(party) = party_of(auth.actor.role) else {
        return Ok(web::Json(Paginated::new(Vec::new(), 0, page)));
    };
    let scope = auth.actor.list_scope(ListScope::Mine);
    let now = Utc::now();
    let today = calendar::london_day(now);
    let mut conn = read_conn(&state, &auth).await?;
    let rows = db_inbox::page(&mut conn, scope, party, today, page.limit, page.offset).await?;
    let total = total_of(rows.first().map(|r| r.total), page, || async {
        let first = db_inbox::page(&mut conn, scope, party, today, 1, 0).await?;
        Ok(first.first().map(|r| r.total))
    })
    .await?;
    let people: Vec<Uuid> = rows.iter().map(|r| r.apprentice_id).collect();
    let names = names(&mut conn, &people).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let kind = InboxKind::from_stored(&r.kind)?;
            Ok(InboxItem {
                link: link(kind, &r),
                kind,
                apprenticeship: r.apprenticeship_id,
                apprentice: person(&names, r.apprentice_id),
                waiting_days: waiting_days(r.waiting_since, now),
                waiting_since: r.waiting_since,
                subject: r.subject,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(web::Json(Paginated::new(items, total, page)))
}
