//! Work queues and the caseload: `GET /api/v1/review-queue`, `/signoff-queue`, `/caseload`. Each
//! answers with a fixed number of SQL statements whatever the page size (the caseload: the page,
//! the total when the page does not tell it, the duties, the names). Caseload rows carry their
//! review standing from the apprenticeship's kept figures, and filter by it, and say who holds
//! the oldest open item (`db::inbox`, the inbox's own rows) and for how many days.

use std::collections::HashMap;

use actix_web::{get, web};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::apprenticeships::ReviewStanding;
use super::db_conn;
use super::evidence::PersonName;
use super::extract::Query;
use super::pagination::{Page, PageParams, Paginated};
use crate::auth::Authenticated;
use crate::db::caseload::{self, CaseloadFilter, CaseloadSort};
use crate::db::inbox;
use crate::db::signoff_evidence::{self, WaitingKsbRow};
use crate::db::{evidence as db_evidence, users};
use crate::domain::coverage::{Totals, percent};
use crate::domain::evidence::EvidenceKind;
use crate::domain::inbox::waiting_days;
use crate::domain::policy;
use crate::domain::review::{DueRange, ReviewParty, ReviewState};
use crate::domain::scope::ListScope;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub(super) async fn names(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, String>> {
    Ok(users::names(conn, ids).await?)
}

pub(super) fn person(names: &HashMap<Uuid, String>, id: Uuid) -> PersonName {
    PersonName {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    }
}

/// The total of a windowed page (`first`: the `count(*) OVER ()` of its first row); an empty
/// page past the end says nothing, so `first_row_total` asks for row one.
pub(super) async fn total_of<F: Future<Output = diesel::QueryResult<Option<i64>>>>(
    first: Option<i64>,
    page: Page,
    first_row_total: impl FnOnce() -> F,
) -> AppResult<i64> {
    Ok(match first {
        Some(total) => total,
        None if page.offset == 0 => 0,
        None => first_row_total().await?.unwrap_or(0),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewQueueItem {
    pub evidence_id: Uuid,
    pub title: String,
    pub kind: EvidenceKind,
    pub ksbs: Vec<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub apprenticeship_id: Uuid,
    pub apprentice: PersonName,
}

/// The parameters of both work queues.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `mine` (the default: apprenticeships where you are the tutor or the mentor) or
    /// `organisation` (everything of your organisation).
    #[param(inline)]
    pub scope: Option<ListScope>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// Items to skip, 0–1,000,000 (default 0).
    #[param(minimum = 0, maximum = 1_000_000, default = 0)]
    pub offset: Option<i64>,
}

impl QueueQuery {
    pub(super) fn page(&self) -> AppResult<Page> {
        PageParams {
            limit: self.limit,
            offset: self.offset,
        }
        .page()
    }
}

/// Submitted evidence waiting for review, oldest first: by default of the apprenticeships you
/// are the tutor of; `scope=organisation` for your whole provider (admins: all).
#[utoipa::path(
    tag = "queues",
    security(("bearer" = [])),
    params(QueueQuery),
    responses(
        (status = 200, body = Paginated<ReviewQueueItem>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/review-queue")]
pub async fn review_queue(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<QueueQuery>,
) -> AppResult<web::Json<Paginated<ReviewQueueItem>>> {
    policy::read_review_queue(&auth.actor)?;
    let page = query.0.page()?;
    let scope = auth.actor.list_scope(query.0.scope.unwrap_or_default());
    let mut conn = db_conn(&state).await?;
    let rows = caseload::review_queue(&mut conn, scope, page.limit, page.offset).await?;
    let total = total_of(rows.first().map(|r| r.total), page, || async {
        let first = caseload::review_queue(&mut conn, scope, 1, 0).await?;
        Ok(first.first().map(|r| r.total))
    })
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.evidence_id).collect();
    let mut codes = db_evidence::ksb_codes(&mut conn, &ids).await?;
    let people: Vec<Uuid> = rows.iter().map(|r| r.apprentice_id).collect();
    let names = names(&mut conn, &people).await?;
    let items = rows
        .into_iter()
        .map(|r| ReviewQueueItem {
            ksbs: codes.remove(&r.evidence_id).unwrap_or_default(),
            kind: EvidenceKind::parse(&r.kind).unwrap_or(EvidenceKind::Other),
            apprentice: person(&names, r.apprentice_id),
            evidence_id: r.evidence_id,
            title: r.title,
            submitted_at: r.submitted_at,
            apprenticeship_id: r.apprenticeship_id,
        })
        .collect();
    Ok(web::Json(Paginated::new(items, total, page)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignoffQueueItem {
    pub apprenticeship_id: Uuid,
    pub apprentice: PersonName,
    /// Evidenced KSBs not yet signed off, in standard order.
    pub ksbs: Vec<String>,
    /// The same KSBs with their statements and the accepted evidence behind each.
    pub waiting: Vec<WaitingKsb>,
}

/// A KSB waiting for sign-off: what the mentor is asked to confirm, and what backs it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaitingKsb {
    pub code: String,
    /// The KSB's full statement.
    pub text: String,
    /// Accepted evidence for this KSB, newest first.
    pub evidence: Vec<AcceptedEvidence>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedEvidence {
    pub id: Uuid,
    pub title: String,
    pub kind: EvidenceKind,
    pub occurred_on: NaiveDate,
}

/// The waiting KSBs of each apprenticeship, from one row per KSB and piece of evidence (in
/// apprenticeship, standard and newest-first order).
fn waiting_by_apprenticeship(rows: Vec<WaitingKsbRow>) -> HashMap<Uuid, Vec<WaitingKsb>> {
    let mut grouped: HashMap<Uuid, Vec<WaitingKsb>> = HashMap::new();
    for row in rows {
        let ksbs = grouped.entry(row.apprenticeship_id).or_default();
        if ksbs.last().is_none_or(|k| k.code != row.code) {
            ksbs.push(WaitingKsb {
                code: row.code,
                text: row.text,
                evidence: Vec::new(),
            });
        }
        if let (Some(ksb), Some(id), Some(title), Some(kind), Some(occurred_on)) = (
            ksbs.last_mut(),
            row.evidence_id,
            row.title,
            row.kind,
            row.occurred_on,
        ) {
            ksb.evidence.push(AcceptedEvidence {
                id,
                title,
                kind: EvidenceKind::parse(&kind).unwrap_or(EvidenceKind::Other),
                occurred_on,
            });
        }
    }
    grouped
}

/// Evidenced KSBs waiting for sign-off, per apprentice: by default of the apprenticeships you
/// are the mentor of; `scope=organisation` for your whole employer (admins: all).
#[utoipa::path(
    tag = "queues",
    security(("bearer" = [])),
    params(QueueQuery),
    responses(
        (status = 200, body = Paginated<SignoffQueueItem>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/signoff-queue")]
pub async fn signoff_queue(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<QueueQuery>,
) -> AppResult<web::Json<Paginated<SignoffQueueItem>>> {
    policy::read_signoff_queue(&auth.actor)?;
    let page = query.0.page()?;
    let scope = auth.actor.list_scope(query.0.scope.unwrap_or_default());
    let mut conn = db_conn(&state).await?;
    let rows = caseload::signoff_queue(&mut conn, scope, page.limit, page.offset).await?;
    let total = total_of(rows.first().map(|r| r.total), page, || async {
        let first = caseload::signoff_queue(&mut conn, scope, 1, 0).await?;
        Ok(first.first().map(|r| r.total))
    })
    .await?;
    let people: Vec<Uuid> = rows.iter().map(|r| r.apprentice_id).collect();
    let ids: Vec<Uuid> = rows.iter().map(|r| r.apprenticeship_id).collect();
    // Names and the evidence behind every KSB of the page: one round trip (pipelined).
    let (names, waiting) = futures_util::try_join!(
        users::names(&conn, &people),
        signoff_evidence::waiting_ksbs(&conn, &ids),
    )?;
    let mut waiting = waiting_by_apprenticeship(waiting);
    let items = rows
        .into_iter()
        .map(|r| SignoffQueueItem {
            apprentice: person(&names, r.apprentice_id),
            waiting: waiting.remove(&r.apprenticeship_id).unwrap_or_default(),
            apprenticeship_id: r.apprenticeship_id,
            ksbs: r.ksbs,
        })
        .collect();
    Ok(web::Json(Paginated::new(items, total, page)))
}

/// The caseload's sort orders.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum CaseloadSortParam {
    #[serde(rename = "progress")]
    Progress,
    #[serde(rename = "-progress")]
    ProgressDescending,
    #[serde(rename = "last_activity")]
    LastActivity,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseloadQuery {
    /// `mine` (the default: apprenticeships where you are the tutor or the mentor) or
    /// `organisation`.
    #[param(inline)]
    pub scope: Option<ListScope>,
    /// `progress` (least evidenced first, the default), `-progress`, or `last_activity` (longest
    /// without activity first).
    #[param(inline)]
    pub sort: Option<CaseloadSortParam>,
    /// Only apprenticeships without activity for this many days (1–3650).
    #[param(minimum = 1, maximum = 3650)]
    pub inactive_days: Option<i32>,
    /// Only apprenticeships whose signed-off share is below the share of their time elapsed.
    pub behind_plan: Option<bool>,
    /// Only apprenticeships in this state against their next review deadline.
    #[param(inline)]
    pub review_state: Option<ReviewState>,
    /// `true`: only apprenticeships with a review not yet signed by all three parties.
    pub unsigned: Option<bool>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// Items to skip, 0–1,000,000 (default 0).
    #[param(minimum = 0, maximum = 1_000_000, default = 0)]
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DutyProgress {
    pub code: String,
    pub percent_evidenced: f64,
    pub percent_signed_off: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseloadItem {
    pub apprenticeship_id: Uuid,
    pub apprentice: PersonName,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    pub totals: Totals,
    pub percent_evidenced: f64,
    pub percent_signed_off: f64,
    pub duties: Vec<DutyProgress>,
    pub last_activity_at: DateTime<Utc>,
    #[serde(flatten)]
    pub reviews: ReviewStanding,
    /// Who holds the oldest open item of this apprenticeship (the items of everyone's inbox):
    /// `null` when nothing is open.
    pub waiting_on: Option<ReviewParty>,
    /// Whole days that oldest item has waited; `null` when nothing is open.
    pub waiting_days: Option<i64>,
}

/// The apprenticeships in the caller's scope with their progress per duty: by default those you
/// are the tutor or mentor of; `scope=organisation` for all of your organisation's.
#[utoipa::path(
    tag = "queues",
    security(("bearer" = [])),
    params(CaseloadQuery),
    responses((status = 200, body = Paginated<CaseloadItem>))
)]
#[get("/caseload")]
pub async fn get_caseload(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<CaseloadQuery>,
) -> AppResult<web::Json<Paginated<CaseloadItem>>> {
    let query = query.0;
    let page = PageParams {
        limit: query.limit,
        offset: query.offset,
    }
    .page()?;
    let sort = match query.sort.unwrap_or(CaseloadSortParam::Progress) {
        CaseloadSortParam::Progress => CaseloadSort::ProgressAscending,
        CaseloadSortParam::ProgressDescending => CaseloadSort::ProgressDescending,
        CaseloadSortParam::LastActivity => CaseloadSort::LastActivityAscending,
    };
    if query
        .inactive_days
        .is_some_and(|d| !(1..=3650).contains(&d))
    {
        return Err(AppError::invalid(
            "inactive_days",
            "must be between 1 and 3650 (ten years)",
        ));
    }
    let now = Utc::now();
    let today = now.date_naive();
    let filter = CaseloadFilter {
        inactive_days: query.inactive_days,
        behind_plan: query.behind_plan.unwrap_or(false),
        review_due: query.review_state.map(|state| DueRange::of(state, today)),
        unsigned: query.unsigned.unwrap_or(false),
    };
    let scope = auth.actor.list_scope(query.scope.unwrap_or_default());
    let mut conn = db_conn(&state).await?;
    let (rows, known_total) =
        caseload::page(&mut conn, scope, filter, sort, page.limit, page.offset).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let people: Vec<Uuid> = rows.iter().map(|r| r.apprentice_id).collect();
    // The rest in one round trip (pipelined).
    let total = async {
        match known_total {
            Some(total) => Ok(total),
            None => caseload::count(&conn, scope, filter).await,
        }
    };
    let (total, duty_rows, names, waiting) = futures_util::try_join!(
        total,
        caseload::duty_progress(&conn, &ids),
        users::names(&conn, &people),
        inbox::oldest_open(&conn, &ids, today),
    )?;
    let mut waiting: HashMap<Uuid, (ReviewParty, DateTime<Utc>)> = waiting
        .into_iter()
        .map(|w| {
            Ok((
                w.apprenticeship_id,
                (ReviewParty::from_stored(&w.holder)?, w.waiting_since),
            ))
        })
        .collect::<AppResult<_>>()?;
    let mut duties: HashMap<Uuid, Vec<DutyProgress>> = HashMap::new();
    for d in duty_rows {
        duties
            .entry(d.apprenticeship_id)
            .or_default()
            .push(DutyProgress {
                code: d.code,
                percent_evidenced: percent(d.evidenced + d.signed_off, d.ksbs),
                percent_signed_off: percent(d.signed_off, d.ksbs),
            });
    }
    let items = rows
        .into_iter()
        .map(|r| {
            let (ksbs, in_progress, evidenced, signed_off) = r.counts;
            let (last, due, unsigned, oldest_unsigned, on_break) = r.reviews;
            let totals = Totals {
                ksbs,
                not_started: ksbs - in_progress - evidenced - signed_off,
                in_progress,
                evidenced,
                signed_off,
            };
            CaseloadItem {
                apprenticeship_id: r.id,
                apprentice: person(&names, r.apprentice_id),
                start_date: r.start_date,
                expected_end_date: r.expected_end_date,
                percent_evidenced: totals.percent_evidenced(),
                percent_signed_off: totals.percent_signed_off(),
                totals,
                duties: duties.remove(&r.id).unwrap_or_default(),
                last_activity_at: r.last_activity_at,
                reviews: ReviewStanding::of(last, due, unsigned, oldest_unsigned, on_break, today),
                waiting_on: waiting.get(&r.id).map(|w| w.0),
                waiting_days: waiting.remove(&r.id).map(|w| waiting_days(w.1, now)),
            }
        })
        .collect();
    Ok(web::Json(Paginated::new(items, total, page)))
}
