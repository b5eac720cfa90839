//! `POST /api/v1/imports/users`: people from a CSV file with the header
//! `email,name,role,organisation` (the organisation by name or id; empty for an administrator).
//!
//! Imported accounts have no password anyone knows: each created one is e-mailed a single-use,
//! 24-hour link to set their own (through the outbox, in the import's transaction, like
//! `passwords::link`), so no password ever travels in a spreadsheet and the importer never
//! holds a way into anyone's account.

use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::csv_body::{CsvBody, lines};
use super::{LineErrors, LineOutcome};
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::patient_data::refuse_nhs_numbers;
use crate::auth::password::hash_blocking;
use crate::auth::tokens;
use crate::db::{audit, organisations, outbox, users};
use crate::domain::identity::{self, Email, Role};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const COLUMNS: [&str; 4] = ["email", "name", "role", "organisation"];

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedUser {
    pub line: u64,
    pub user_id: Uuid,
    pub email: String,
    pub outcome: LineOutcome,
    /// A created account was e-mailed a link to set its password (single use, 24 hours).
    pub password_link_sent: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserImportResponse {
    pub created: usize,
    pub unchanged: usize,
    pub lines: Vec<ImportedUser>,
}

/// The parsed, checked content of one line.
struct Wanted {
    email: Email,
    name: String,
    role: Role,
    organisation_id: Option<Uuid>,
}

/// Import users from CSV (`email,name,role,organisation`). Administrators import every role;
/// training provider staff apprentices only. All or nothing; a re-upload changes nothing.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv", description = "header `email,name,role,organisation`"),
    responses(
        (status = 201, body = UserImportResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "every bad line, named `line N: field`; nothing written", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/imports/users")]
pub async fn import_users(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: CsvBody,
) -> AppResult<HttpResponse> {
    policy::import(&auth.actor)?;
    let lines = lines(&body.0, &COLUMNS, &[])?;
    // One unknowable password for every account of this file, hashed once: nobody can sign in
    // with it; each person sets theirs through the link.
    let (unknowable, _) = tokens::new_refresh_token();
    let hash = hash_blocking(unknowable, state.settings.password_hashing).await?;
    let mut conn = db_conn(&state).await?;
    let emails: Vec<String> = lines.iter().map(|l| l.get("email").to_string()).collect();
    let organisations = lines
        .iter()
        .map(|l| l.get("organisation").to_string())
        .collect::<Vec<_>>();
    let known_orgs = organisations::find_by_names_or_ids(&mut conn, &organisations).await?;
    let response = conn
        .transaction(async |conn| {
            let existing = users::find_by_emails(conn, &emails).await?;
            let mut errors = LineErrors::default();
            let mut seen = std::collections::HashSet::new();
            let mut done = Vec::new();
            for line in &lines {
                let mut problems = Vec::new();
                let email = Email::parse(line.get("email"))
                    .map_err(|m| problems.push(("email", m.to_string())))
                    .ok();
                let name = identity::parse_name(line.get("name"))
                    .map_err(|m| problems.push(("name", m.to_string())))
                    .ok();
                if let Err(AppError::Validation { errors: e, .. }) =
                    refuse_nhs_numbers(&[("name", line.get("name"))])
                {
                    problems.extend(e.into_iter().map(|e| ("name", e.message)));
                }
                let role = serde_json::from_value::<Role>(serde_json::Value::String(
                    line.get("role").to_lowercase(),
                ))
                .map_err(|_| {
                    problems.push((
                        "role",
                        "must be admin, provider, employer or apprentice".into(),
                    ))
                })
                .ok();
                let org_key = line.get("organisation");
                let organisation = known_orgs
                    .iter()
                    .find(|o| o.id.to_string() == org_key || o.name.eq_ignore_ascii_case(org_key));
                let organisation_id = match (role.and_then(Role::organisation_kind), organisation) {
                    (None, _) if org_key.is_empty() => None,
                    (None, _) => {
                        problems
                            .push(("organisation", "must be empty for an administrator".into()));
                        None
                    }
                    (Some(_), None) => {
                        problems.push((
                            "organisation",
                            format!("no organisation called {org_key:?}"),
                        ));
                        None
                    }
                    (Some(kind), Some(org)) if org.kind != kind => {
                        problems.push((
                            "organisation",
                            format!("{} is not {} organisation", org.name, kind.as_str()),
                        ));
                        None
                    }
                    (Some(_), Some(org)) => Some(org.id),
                };
                if let Some(role) = role
                    && let Err(denied) = policy::create_user(&auth.actor, role)
                {
                    problems.push(("role", denied.0));
                }
                if let Some(email) = &email
                    && !seen.insert(email.as_str().to_lowercase())
                {
                    problems.push(("email", "appears on an earlier line of this file".into()));
                }
                let (Some(email), Some(name), Some(role), true) =
                    (email, name, role, problems.is_empty())
                else {
                    for (field, message) in problems {
                        errors.add(line.number, field, message);
                    }
                    continue;
                };
                let wanted = Wanted {
                    email,
                    name,
                    role,
                    organisation_id,
                };
                match existing
                    .iter()
                    .find(|u| u.email.eq_ignore_ascii_case(wanted.email.as_str()))
                {
                    Some(user)
                        if user.name == wanted.name
                            && user.role == wanted.role
                            && user.organisation_id == wanted.organisation_id =>
                    {
                        done.push(ImportedUser {
                            line: line.number,
                            user_id: user.id,
                            email: user.email.clone(),
                            outcome: LineOutcome::Unchanged,
                            password_link_sent: false,
                        });
                    }
                    Some(_) => errors.add(
                        line.number,
                        "email",
                        "belongs to an existing user with another name, role or organisation",
                    ),
                    None => done.push(create(conn, &auth, &wanted, &hash, line.number).await?),
                }
            }
            errors.into_result()?;
            Ok::<_, AppError>(UserImportResponse {
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

async fn create(
    conn: &mut diesel_async::AsyncPgConnection,
    auth: &Authenticated,
    wanted: &Wanted,
    hash: &str,
    line: u64,
) -> AppResult<ImportedUser> {
    let created_by = match auth.actor.role {
        Role::Provider => auth.actor.organisation_id,
        _ => None,
    };
    let user = users::insert(
        conn,
        &users::NewUser {
            email: wanted.email.as_str(),
            name: &wanted.name,
            role: wanted.role,
            organisation_id: wanted.organisation_id,
            created_by_organisation_id: created_by,
            password_hash: hash,
        },
    )
    .await?;
    // The link is made when the message is sent, so its secret is only ever in the e-mail.
    let sent = outbox::enqueue_password_link(conn, user.id, auth.actor.user_id).await?;
    audit::record(
        conn,
        entry(
            auth,
            "user.created",
            "user",
            user.id,
            user.organisation_id.into_iter().chain(created_by).collect(),
            serde_json::json!({
                "email": user.email, "name": user.name, "role": user.role,
                "organisation_id": user.organisation_id, "import_line": line,
            }),
        ),
    )
    .await?;
    Ok(ImportedUser {
        line,
        user_id: user.id,
        email: user.email,
        outcome: LineOutcome::Created,
        password_link_sent: sent,
    })
}
