//! The apprenticeship response: its parties by name (a whole page's in a fixed number of
//! queries), its OTJ plan, where it stands on reviews, and its `ETag`.

use std::collections::HashMap;

use actix_web::http::header::{self, HeaderValue};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::references::{OrganisationRef, PersonRef};
use crate::db::apprenticeships::Apprenticeship;
use crate::db::{catalogue, organisations, users};
use crate::domain::calendar;
use crate::domain::enrolment::ApprenticeshipStatus;
use crate::domain::review::{self, ReviewState};
use crate::error::AppResult;

#[derive(Debug, Serialize, ToSchema)]
pub struct ApprenticeshipResponse {
    pub id: Uuid,
    /// Standard reference, e.g. `ST0220`.
    pub standard: String,
    pub standard_version: String,
    pub apprentice_id: Uuid,
    pub employer_id: Uuid,
    pub provider_id: Uuid,
    pub mentor_id: Uuid,
    pub tutor_id: Uuid,
    pub apprentice: Option<PersonRef>,
    pub employer: Option<OrganisationRef>,
    pub provider: Option<OrganisationRef>,
    pub mentor: Option<PersonRef>,
    pub tutor: Option<PersonRef>,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    /// Planned off-the-job training hours; `null` until a plan is set.
    pub planned_otj_hours: Option<i32>,
    /// Hours of recognised prior learning taken off the standard's minimum.
    pub rpl_reduction_hours: i32,
    #[serde(flatten)]
    pub reviews: ReviewStanding,
    /// `transferred`: the apprentice moved provider; this portfolio is read-only history and
    /// continues in `transferred_to`.
    pub status: ApprenticeshipStatus,
    pub ended_at: Option<DateTime<Utc>>,
    pub transferred_to: Option<Uuid>,
    /// Set on an apprenticeship imported from a portfolio export: where it came from (source
    /// deployment and provider, original ids, when it was exported).
    #[schema(value_type = Option<Object>)]
    pub origin: Option<serde_json::Value>,
    /// Also sent as the `ETag` header of `GET`; send it back in `If-Match` to change it.
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// Where an apprenticeship stands on progress reviews (kept figures, `db::reviews`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewStanding {
    pub last_review_on: Option<NaiveDate>,
    /// The last day the next review may be held; `null` while a break in learning is open.
    pub next_review_due_by: Option<NaiveDate>,
    pub review_state: ReviewState,
    /// Reviews not yet signed by all three parties.
    pub unsigned_reviews: i32,
    /// Whether a review has stayed unsigned for 14 days or more since it was held.
    pub unsigned_overdue: bool,
    /// A break in learning is open.
    pub on_break: bool,
}

impl ReviewStanding {
    pub fn of(
        last_review_on: Option<NaiveDate>,
        next_review_due_by: Option<NaiveDate>,
        unsigned_reviews: i32,
        oldest_unsigned_review_on: Option<NaiveDate>,
        on_break: bool,
        today: NaiveDate,
    ) -> Self {
        Self {
            last_review_on,
            next_review_due_by,
            review_state: review::review_state(next_review_due_by, today),
            unsigned_reviews,
            unsigned_overdue: oldest_unsigned_review_on
                .is_some_and(|held_on| review::unsigned_overdue(held_on, false, today)),
            on_break,
        }
    }

    pub fn of_apprenticeship(a: &Apprenticeship, today: NaiveDate) -> Self {
        Self::of(
            a.last_review_on,
            a.next_review_due_by,
            a.unsigned_reviews,
            a.oldest_unsigned_review_on,
            a.on_break,
            today,
        )
    }
}

/// The ETag of an apprenticeship's editable fields.
pub fn etag_header(a: &Apprenticeship) -> (header::HeaderName, HeaderValue) {
    (
        header::ETAG,
        HeaderValue::from_str(&format!("\"{}\"", a.version))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\"")),
    )
}

/// The names of the parties (people, organisations, standard) of a page of apprenticeships, fetched in two queries whatever the page size.
pub struct PartyNames {
    people: HashMap<Uuid, PersonRef>,
    orgs: HashMap<Uuid, OrganisationRef>,
    standards: HashMap<Uuid, (String, String)>,
}

impl PartyNames {
    pub async fn load(conn: &mut AsyncPgConnection, rows: &[Apprenticeship]) -> AppResult<Self> {
        let people_ids: Vec<Uuid> = rows
            .iter()
            .flat_map(|a| [a.apprentice_id, a.mentor_id, a.tutor_id])
            .collect();
        let org_ids: Vec<Uuid> = rows
            .iter()
            .flat_map(|a| [a.employer_id, a.provider_id])
            .collect();
        let people = users::find_many(conn, &people_ids)
            .await?
            .into_iter()
            .map(|u| {
                (
                    u.id,
                    PersonRef {
                        id: u.id,
                        name: u.name,
                        email: u.email,
                    },
                )
            })
            .collect();
        let orgs = organisations::find_many(conn, &org_ids)
            .await?
            .into_iter()
            .map(|o| {
                (
                    o.id,
                    OrganisationRef {
                        id: o.id,
                        name: o.name,
                    },
                )
            })
            .collect();
        let standards = catalogue::list(conn)
            .await?
            .into_iter()
            .map(|s| (s.id, (s.reference, s.version)))
            .collect();
        Ok(Self {
            people,
            orgs,
            standards,
        })
    }

    pub fn person(&self, id: Uuid) -> Option<PersonRef> {
        self.people.get(&id).cloned()
    }

    pub fn response(&self, a: Apprenticeship) -> ApprenticeshipResponse {
        let reviews = ReviewStanding::of_apprenticeship(&a, calendar::today());
        let (standard, standard_version) = self
            .standards
            .get(&a.standard_id)
            .cloned()
            .unwrap_or_default();
        ApprenticeshipResponse {
            id: a.id,
            standard,
            standard_version,
            apprentice: self.person(a.apprentice_id),
            employer: self.orgs.get(&a.employer_id).cloned(),
            provider: self.orgs.get(&a.provider_id).cloned(),
            mentor: self.person(a.mentor_id),
            tutor: self.person(a.tutor_id),
            apprentice_id: a.apprentice_id,
            employer_id: a.employer_id,
            provider_id: a.provider_id,
            mentor_id: a.mentor_id,
            tutor_id: a.tutor_id,
            start_date: a.start_date,
            expected_end_date: a.expected_end_date,
            planned_otj_hours: a.planned_otj_hours,
            rpl_reduction_hours: a.rpl_reduction_hours,
            reviews,
            status: a.status,
            ended_at: a.ended_at,
            transferred_to: a.transferred_to,
            origin: a.origin,
            version: a.version,
            created_at: a.created_at,
        }
    }
}
