//! `GET /api/v1/caseload`: a tutor's or provider's apprenticeships with their kept progress,
//! duty figures and review standing, filtered and sorted in SQL; a fixed number of statements
//! whatever the page size (the page, the total when the page does not tell it, the duties, the
//! names, who each apprenticeship waits on as kept by migration `000400_kept_waiting`, read with
//! the review deadline by `domain::inbox::oldest_waiting`).

use std::collections::HashMap;

use actix_web::{get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::apprenticeships::response::ReviewStanding;
use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::api::references::PersonName;
use crate::api::references::person;
use crate::db::caseload::{self, CaseloadFilter, CaseloadSort, KsbCounts};
use crate::db::users;
use crate::domain::calendar::london_day;
use crate::domain::coverage::{Totals, percent};
use crate::domain::inbox::{KeptWaiting, oldest_waiting, waiting_days};
use crate::domain::plan::{PlanFacts, PlanStatus, plan_status, points_behind};
use crate::domain::review::{DueRange, ReviewParty, ReviewState};
use crate::domain::scope::ListScope;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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
    /// `true`: only apprenticeships behind plan, red or amber: the share of KSBs evidenced
    /// (accepted or signed off) more than 10 percentage points below the share of the planned
    /// time passed (red: more than 20), on today's date in London.
    pub behind_plan: Option<bool>,
    /// Only apprenticeships in this state against their next review deadline.
    #[param(inline)]
    pub review_state: Option<ReviewState>,
    /// `true`: only apprenticeships with a review not yet signed by all three parties.
    pub unsigned: Option<bool>,
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
    /// Against the plan today (London): the evidenced share against the share of the planned
    /// time passed; red more than 20 points behind, amber more than 10.
    pub plan_status: PlanStatus,
    /// Percentage points the evidenced share is behind the time passed (negative: ahead).
    pub points_behind: f64,
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
    params(CaseloadQuery, PageParams),
    responses((status = 200, body = Paginated<CaseloadItem>))
)]
#[get("/caseload")]
pub async fn get_caseload(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<CaseloadQuery>,
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<CaseloadItem>>> {
    let query = query.0;
    let page = page_params.0.page()?;
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
    let today = london_day(now);
    let filter = CaseloadFilter {
        inactive_days: query.inactive_days,
        behind_plan_on: query.behind_plan.unwrap_or(false).then(|| london_day(now)),
        review_due: query.review_state.map(|state| DueRange::of(state, today)),
        unsigned: query.unsigned.unwrap_or(false),
    };
    let scope = auth.actor.list_scope(query.scope.unwrap_or_default());
    let mut conn = read_conn(&state, &auth).await?;
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
        caseload::kept_waiting(&conn, &ids),
    )?;
    let waiting: HashMap<Uuid, KeptWaiting> = waiting.into_iter().collect();
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
            let KsbCounts {
                ksbs,
                in_progress,
                evidenced,
                signed_off,
            } = r.counts;
            let figures = r.reviews;
            let kept = waiting.get(&r.id).copied().unwrap_or_default();
            let waiting = oldest_waiting(kept, figures.next_review_due_by, today);
            let totals = Totals {
                ksbs,
                not_started: ksbs - in_progress - evidenced - signed_off,
                in_progress,
                evidenced,
                signed_off,
            };
            let plan = PlanFacts {
                start_date: r.start_date,
                expected_end_date: r.expected_end_date,
                ksbs,
                evidenced: evidenced + signed_off,
            };
            CaseloadItem {
                plan_status: plan_status(&plan, today),
                points_behind: points_behind(&plan, today),
                apprenticeship_id: r.id,
                apprentice: person(&names, r.apprentice_id),
                start_date: r.start_date,
                expected_end_date: r.expected_end_date,
                percent_evidenced: totals.percent_evidenced(),
                percent_signed_off: totals.percent_signed_off(),
                totals,
                duties: duties.remove(&r.id).unwrap_or_default(),
                last_activity_at: r.last_activity_at,
                reviews: ReviewStanding::of(
                    figures.last_review_on,
                    figures.next_review_due_by,
                    figures.unsigned_reviews,
                    figures.oldest_unsigned_review_on,
                    figures.on_break,
                    today,
                ),
                waiting_on: waiting.map(|(party, _)| party),
                waiting_days: waiting.map(|(_, since)| waiting_days(since, now)),
            }
        })
        .collect();
    Ok(web::Json(Paginated::new(items, total, page)))
}
