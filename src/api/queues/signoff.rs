//! `GET /api/v1/signoff-queue`: evidenced KSBs waiting for a mentor's sign-off, with the
//! statements and accepted evidence behind each (one statement for the whole page,
//! `db::signoff_evidence`).

use std::collections::HashMap;

use actix_web::{get, web};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{QueueQuery, total_of};
use crate::api::authenticated::Authenticated;
use crate::api::connection::read_conn;
use crate::api::extract::Query;
use crate::api::pagination::{PageParams, Paginated};
use crate::api::references::PersonName;
use crate::api::references::person;
use crate::db::queues as db_queues;
use crate::db::signoff_evidence::{self, WaitingKsbRow};
use crate::db::users;
use crate::domain::evidence::EvidenceKind;
use crate::domain::policy;
use crate::error::AppResult;
use crate::state::AppState;

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
                kind,
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
    params(QueueQuery, PageParams),
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
    page_params: Query<PageParams>,
) -> AppResult<web::Json<Paginated<SignoffQueueItem>>> {
    policy::read_signoff_queue(&auth.actor)?;
    let page = page_params.0.page()?;
    let scope = auth.actor.list_scope(query.0.scope.unwrap_or_default());
    let mut conn = read_conn(&state, &auth).await?;
    let rows = db_queues::signoff_queue(&mut conn, scope, page.limit, page.offset).await?;
    let total = total_of(rows.first().map(|r| r.total), page, || async {
        let first = db_queues::signoff_queue(&mut conn, scope, 1, 0).await?;
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
