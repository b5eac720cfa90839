//! `POST /api/v1/imports/apprenticeships`: enrolments from a CSV file with the header
//! `apprentice_email,standard,employer,provider,mentor_email,tutor_email,start_date,expected_end_date`
//! and optionally `planned_otj_hours,rpl_reduction_hours` (organisations by name or id, people
//! by e-mail). Each line passes exactly the rules of `POST /api/v1/apprenticeships`
//! (`api::apprenticeships::create::enrol`), in its own savepoint of the file's one transaction.

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::csv_body::{CsvBody, Line, lines};
use super::{LineErrors, LineOutcome};
use crate::api::apprenticeships::create::{CreateApprenticeshipRequest, enrol};
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::db::apprenticeships::{self, Apprenticeship};
use crate::db::{organisations, users};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const REQUIRED: [&str; 8] = [
    "apprentice_email",
    "standard",
    "employer",
    "provider",
    "mentor_email",
    "tutor_email",
    "start_date",
    "expected_end_date",
];
const OPTIONAL: [&str; 2] = ["planned_otj_hours", "rpl_reduction_hours"];

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedApprenticeship {
    pub line: u64,
    pub apprenticeship_id: Uuid,
    pub outcome: LineOutcome,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApprenticeshipImportResponse {
    pub created: usize,
    pub unchanged: usize,
    pub lines: Vec<ImportedApprenticeship>,
}

/// The ids a line names, resolved in two queries for the whole file.
struct Directory {
    people: Vec<users::User>,
    organisations: Vec<organisations::Organisation>,
}

impl Directory {
    fn person(&self, email: &str) -> Option<Uuid> {
        self.people
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
            .map(|u| u.id)
    }

    fn organisation(&self, key: &str) -> Option<Uuid> {
        self.organisations
            .iter()
            .find(|o| o.id.to_string() == key || o.name.eq_ignore_ascii_case(key))
            .map(|o| o.id)
    }
}

/// The request a line stands for, or the problems that keep it from being one.
fn request_of(
    line: &Line,
    directory: &Directory,
    errors: &mut LineErrors,
) -> Option<CreateApprenticeshipRequest> {
    let before = errors.0.len();
    let mut id = |column: &str, found: Option<Uuid>, what: &str| {
        if found.is_none() {
            errors.add(
                line.number,
                column,
                format!("no {what} {:?}", line.get(column)),
            );
        }
        found
    };
    let apprentice = id(
        "apprentice_email",
        directory.person(line.get("apprentice_email")),
        "user with the e-mail",
    );
    let mentor = id(
        "mentor_email",
        directory.person(line.get("mentor_email")),
        "user with the e-mail",
    );
    let tutor = id(
        "tutor_email",
        directory.person(line.get("tutor_email")),
        "user with the e-mail",
    );
    let employer = id(
        "employer",
        directory.organisation(line.get("employer")),
        "organisation called",
    );
    let provider = id(
        "provider",
        directory.organisation(line.get("provider")),
        "organisation called",
    );
    let mut date = |column: &str| {
        NaiveDate::parse_from_str(line.get(column), "%Y-%m-%d")
            .map_err(|_| errors.add(line.number, column, "must be a date written YYYY-MM-DD"))
            .ok()
    };
    let (start, end) = (date("start_date"), date("expected_end_date"));
    let mut number = |column: &str| match line.get(column) {
        "" => Some(None),
        raw => raw
            .parse::<i32>()
            .map(Some)
            .map_err(|_| errors.add(line.number, column, "must be a whole number of hours"))
            .ok(),
    };
    let (planned, rpl) = (number("planned_otj_hours"), number("rpl_reduction_hours"));
    if errors.0.len() > before {
        return None;
    }
    Some(CreateApprenticeshipRequest {
        apprentice_id: apprentice?,
        standard: line.get("standard").to_string(),
        employer_id: employer?,
        provider_id: provider?,
        mentor_id: mentor?,
        tutor_id: tutor?,
        start_date: start?,
        expected_end_date: end?,
        planned_otj_hours: planned?,
        rpl_reduction_hours: rpl?.unwrap_or(0),
    })
}

/// Whether an existing enrolment is exactly what the line asks for (a re-upload).
async fn same_as_existing(
    conn: &mut AsyncPgConnection,
    request: &CreateApprenticeshipRequest,
) -> AppResult<Option<Apprenticeship>> {
    let reference = request.standard.trim().to_uppercase();
    let Some(existing) =
        apprenticeships::enrolment_on_standard(conn, request.apprentice_id, &reference).await?
    else {
        return Ok(None);
    };
    Ok(apprenticeships::find(conn, existing).await?.filter(|a| {
        a.employer_id == request.employer_id
            && a.provider_id == request.provider_id
            && a.mentor_id == request.mentor_id
            && a.tutor_id == request.tutor_id
            && a.start_date == request.start_date
            && a.expected_end_date == request.expected_end_date
    }))
}

/// Import enrolments from CSV. Administrators, or provider staff for their own provider; every
/// line checked by the rules of `POST /api/v1/apprenticeships`. All or nothing; a re-upload
/// changes nothing.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv", description = "header `apprentice_email,standard,employer,provider,mentor_email,tutor_email,start_date,expected_end_date[,planned_otj_hours,rpl_reduction_hours]`"),
    responses(
        (status = 201, body = ApprenticeshipImportResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "every bad line, named `line N: field`; nothing written", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/imports/apprenticeships")]
pub async fn import_apprenticeships(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: CsvBody,
) -> AppResult<HttpResponse> {
    policy::import(&auth.actor)?;
    let lines = lines(&body.0, &REQUIRED, &OPTIONAL)?;
    let mut conn = db_conn(&state).await?;
    let emails: Vec<String> = lines
        .iter()
        .flat_map(|l| {
            ["apprentice_email", "mentor_email", "tutor_email"].map(|c| l.get(c).to_string())
        })
        .collect();
    let keys: Vec<String> = lines
        .iter()
        .flat_map(|l| [l.get("employer").to_string(), l.get("provider").to_string()])
        .collect();
    let directory = Directory {
        people: users::find_by_emails(&mut conn, &emails).await?,
        organisations: organisations::find_by_names_or_ids(&mut conn, &keys).await?,
    };
    let response = conn
        .transaction(async |conn| {
            let mut errors = LineErrors::default();
            let mut done = Vec::new();
            for line in &lines {
                let Some(request) = request_of(line, &directory, &mut errors) else {
                    continue;
                };
                if let Some(existing) = same_as_existing(conn, &request).await? {
                    done.push(ImportedApprenticeship {
                        line: line.number,
                        apprenticeship_id: existing.id,
                        outcome: LineOutcome::Unchanged,
                    });
                    continue;
                }
                // A savepoint per line: a refused line leaves the others' work in place until
                // the whole file is judged.
                match conn
                    .transaction(async |conn| enrol(conn, &auth, &request).await)
                    .await
                {
                    Ok(created) => done.push(ImportedApprenticeship {
                        line: line.number,
                        apprenticeship_id: created.id,
                        outcome: LineOutcome::Created,
                    }),
                    Err(error) => errors.add_error(line.number, error)?,
                }
            }
            errors.into_result()?;
            Ok::<_, AppError>(ApprenticeshipImportResponse {
                created: done
                    .iter()
                    .filter(|d| d.outcome == LineOutcome::Created)
                    .count(),
                unchanged: done
                    .iter()
                    .filter(|d| d.outcome == LineOutcome::Unchanged)
                    .count(),
                lines: done,
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(response))
}
