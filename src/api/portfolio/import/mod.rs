//! `POST /api/v1/apprenticeships/import`: moving provider. Staff of the receiving provider
//! upload the apprentice's `portfolio.zip` (as `GET …/portfolio.zip` exports it) with the new
//! employer, mentor, tutor and start; the answer is 201 with a new apprenticeship at the
//! caller's provider whose evidence, reviews, off-the-job entries and sign-offs are carried over
//! as history, each row marked with its `origin` (`plan.rs`, written by `db::portfolio_import`).
//!
//! - The archive streams to a spool file (`form.rs`), then is read from disk (`archive.rs`):
//!   `portfolio.json` strictly, of a known `format`; every attachment hashed and compared with
//!   its SHA-256. A malformed archive, a missing entry, a hash that does not match, a standard
//!   version the catalogue lacks or a KSB it does not have is a 422 naming what is wrong, and
//!   nothing is written.
//! - The apprentice is the person of the export's e-mail address: enrolled as they are if they
//!   have an account here (moved to the new employer), or given an apprentice account that
//!   nobody can sign in to until they set a password through the e-mailed link, as the cohort
//!   import does.
//! - Moving provider is the one enrolment that takes an apprentice enrolled elsewhere: their
//!   active enrolment on the same standard here, if any, ends as `transferred` in the same
//!   transaction (audited, still visible to its provider, read-only: `gateway::ensure_open`).
//! - Attachment files are stored before the transaction and removed if it fails.
//! - The kept figures (KSB statuses, duty progress, OTJ minutes, review figures) are computed
//!   from the imported rows by the functions every apprenticeship uses, so the coverage per duty
//!   is the original's.

mod archive;
mod form;
mod manifest;
mod plan;

use actix_multipart::Multipart;
use actix_web::{HttpResponse, post, web};
use chrono::Duration;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use self::archive::{Refused, Verified};
pub use self::form::ImportPortfolioForm;
use self::form::Parties;
use crate::api::apprenticeships::is_active_member;
use crate::api::apprenticeships::plan_errors;
use crate::api::apprenticeships::response::{ApprenticeshipResponse, PartyNames};
use crate::api::attachments::check::check as check_file;
use crate::api::attachments::store_unavailable;
use crate::api::attachments::upload::{Pace, disk_full};
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::auth::password::hash_blocking;
use crate::auth::tokens;
use crate::db::apprenticeships::{self, Apprenticeship, NewApprenticeship};
use crate::db::portfolio_import::{self, Recorders};
use crate::db::{audit, catalogue, ksb_statuses, organisations, otj, outbox, reviews, users};
use crate::domain::identity::{Email, OrganisationKind, Role};
use crate::domain::policy;
use crate::domain::review as review_rules;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;

/// Import a portfolio export as a new apprenticeship at the caller's training provider
/// (moving provider; staff of a training provider only). The apprentice's active enrolment on
/// the same standard here, if any, ends as `transferred`.
#[utoipa::path(
    tag = "apprenticeships",
    security(("bearer" = [])),
    request_body(content = ImportPortfolioForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = ApprenticeshipResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 408, description = "the body arrived too slowly", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "a malformed archive, an unknown format or standard version, a missing entry or a hash that does not match, named; nothing written", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many uploads of this user in progress", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 507, description = "no room left to store files", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apprenticeships/import")]
pub async fn import_portfolio(
    state: web::Data<AppState>,
    auth: Authenticated,
    form: Multipart,
) -> AppResult<HttpResponse> {
    // Refused before a byte of the upload is read.
    policy::import_portfolio(&auth.actor, None)?;
    let provider_id = auth
        .actor
        .organisation_id
        .ok_or_else(|| AppError::Forbidden("You belong to no training provider.".into()))?;
    let _admitted = state.uploads.admit(auth.actor.user_id)?;
    let (upload, parties) =
        form::receive(form, &state.uploads.spool, Pace::of_upload(&state.settings)).await?;
    let spool = state.uploads.spool.clone();
    let limit = state.settings.attachment_limit as u64;
    let verified = tokio::task::spawn_blocking(move || {
        let read = archive::read(upload.file.path(), &spool, limit);
        drop(upload);
        read
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|refused| match refused {
        Refused::Invalid(errors) => nothing_imported(errors),
        Refused::Io(e) if crate::storage::spool::is_disk_full(&e) => disk_full(),
        Refused::Io(e) => AppError::internal(e),
    })?;

    let mut conn = db_conn(&state).await?;
    let checked = check(&state, &mut conn, &auth, provider_id, &parties, &verified).await?;
    let apprenticeship_id = Uuid::new_v4();
    let apprentice = users::find_by_emails(&mut conn, &[checked.email.as_str().to_string()])
        .await?
        .pop();
    let apprentice_id = apprentice.as_ref().map_or_else(Uuid::new_v4, |u| u.id);
    let plan = plan::plan(
        &verified.manifest,
        &checked.standard,
        apprenticeship_id,
        apprentice_id,
    )
    .map_err(nothing_imported)?;
    // An account made for the apprentice has a password nobody knows until they set theirs.
    let unknowable_hash = match apprentice {
        Some(_) => None,
        None => {
            let (unknowable, _) = tokens::new_refresh_token();
            Some(hash_blocking(unknowable, state.settings.password_hashing).await?)
        }
    };
    drop(conn); // not held while the files are stored

    let Verified { manifest, files } = verified;
    let mut plan = plan;
    // Each file is checked as an upload is: its type from its bytes (never the type the
    // document claims) and no NHS number in its text.
    let mut refused = Vec::new();
    for ((path, file), row) in files.iter().zip(plan.attachments.iter_mut()) {
        match check_file(&state.uploads, file).await {
            Ok(content_type) => row.content_type = content_type.to_string(),
            Err(AppError::UnsupportedMediaType(detail)) => {
                refused.push(FieldError::new(
                    path.clone(),
                    format!("File {path}: {detail}"),
                ));
            }
            Err(AppError::Validation { errors, .. }) => refused.extend(
                errors
                    .into_iter()
                    .map(|e| archive::file_problem(path, &e.message)),
            ),
            Err(other) => return Err(other),
        }
    }
    if !refused.is_empty() {
        return Err(nothing_imported(refused));
    }
    let mut stored: Vec<String> = Vec::with_capacity(files.len());
    for ((_, file), row) in files.into_iter().zip(&plan.attachments) {
        if let Err(e) = state.storage.put_file(&row.storage_key, file.file).await {
            remove_files(&state, &stored).await;
            return Err(if e.is_full() {
                disk_full()
            } else if e.is_unavailable() {
                store_unavailable(e)
            } else {
                AppError::internal(e)
            });
        }
        stored.push(row.storage_key.clone());
    }

    let written = async {
        let mut conn = db_conn(&state).await?;
        conn.transaction(async |conn| {
            write(
                conn,
                &auth,
                Write {
                    id: apprenticeship_id,
                    apprentice_id,
                    apprentice: apprentice.as_ref(),
                    unknowable_hash: unknowable_hash.as_deref(),
                    provider_id,
                    parties: &parties,
                    checked: &checked,
                    manifest: &manifest,
                    plan: &plan,
                },
            )
            .await
        })
        .await
    }
    .await;
    match written {
        Ok(created) => {
            let mut conn = db_conn(&state).await?;
            let names = PartyNames::load(&mut conn, std::slice::from_ref(&created)).await?;
            Ok(HttpResponse::Created().json(names.response(created)))
        }
        Err(error) => {
            remove_files(&state, &stored).await;
            Err(error)
        }
    }
}

/// The 422 of an archive refused: what is wrong, and that nothing was written.
fn nothing_imported(errors: Vec<FieldError>) -> AppError {
    let count = errors.len();
    let AppError::Validation { detail, errors } = AppError::invalid_fields(errors) else {
        return AppError::BadRequest("The portfolio could not be imported.".into());
    };
    AppError::Validation {
        detail: format!("Nothing was imported: {count} problem(s) with the portfolio. {detail}"),
        errors,
    }
}

async fn remove_files(state: &AppState, keys: &[String]) {
    for key in keys {
        if let Err(error) = state.storage.delete(key).await {
            tracing::error!(%error, %key, "could not remove a file of a failed portfolio import");
        }
    }
}

/// What the checks found: the standard version and the apprentice's address.
struct Checked {
    standard: std::sync::Arc<crate::db::catalogue::cache::CachedStandard>,
    email: Email,
    expected_end_date: chrono::NaiveDate,
}

/// The parties (as enrolment checks them: the employer, its mentor open to this provider, a
/// tutor of this provider), the standard version in the catalogue, the apprentice's address
/// and the plan; every failure named.
async fn check(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    auth: &Authenticated,
    provider_id: Uuid,
    parties: &Parties,
    verified: &Verified,
) -> AppResult<Checked> {
    let manifest = &verified.manifest;
    let mut errors = Vec::new();
    let orgs = organisations::find_many(conn, &[parties.employer_id]).await?;
    if orgs.first().map(|o| o.kind) != Some(OrganisationKind::Employer) {
        errors.push(FieldError::new(
            "employer_id",
            "must be an employer organisation",
        ));
    }
    let people = users::find_many(conn, &[parties.mentor_id, parties.tutor_id]).await?;
    let person = |id: Uuid| people.iter().find(|u| u.id == id);
    let mentor_fits = is_active_member(
        person(parties.mentor_id),
        Role::Employer,
        parties.employer_id,
    );
    if !mentor_fits {
        errors.push(FieldError::new(
            "mentor_id",
            "must be an active employer user of the employer organisation",
        ));
    }
    if !is_active_member(person(parties.tutor_id), Role::Provider, provider_id) {
        errors.push(FieldError::new(
            "tutor_id",
            "must be an active member of staff of your training provider",
        ));
    }
    if mentor_fits {
        let mut standings = users::standings(conn, &[parties.mentor_id]).await?;
        policy::import_portfolio(
            &auth.actor,
            Some(&standings.remove(&parties.mentor_id).unwrap_or_default()),
        )?;
    }
    let email = Email::parse(&manifest.apprenticeship.apprentice.email)
        .map_err(|m| errors.push(FieldError::new("apprenticeship.apprentice.email", m)))
        .ok();
    let wanted = &manifest.standard;
    let standard = match catalogue::find_version(conn, &wanted.reference, &wanted.version).await? {
        Some(found) => {
            state
                .catalogue
                .standard(conn, found.id, found.mapping_updated_at)
                .await?
        }
        None => None,
    };
    if standard.is_none() {
        errors.push(FieldError::new(
            "standard",
            format!(
                "{} version {} ({}) is not in this deployment's catalogue; an administrator \
                 can add the version, then import again",
                wanted.reference, wanted.version, wanted.title
            ),
        ));
    }
    let original = &manifest.apprenticeship;
    let expected_end_date = parties.expected_end_date.unwrap_or_else(|| {
        parties.start_date
            + Duration::days((original.expected_end_date - original.start_date).num_days())
    });
    if expected_end_date <= parties.start_date {
        errors.push(FieldError::new(
            "expected_end_date",
            "must be after start_date",
        ));
    }
    errors.extend(plan_errors(
        original.planned_otj_hours,
        original.rpl_reduction_hours,
        standard.as_ref().and_then(|s| s.standard.minimum_otj_hours),
    ));
    match (standard, email, errors.is_empty()) {
        (Some(standard), Some(email), true) => Ok(Checked {
            standard,
            email,
            expected_end_date,
        }),
        _ => Err(nothing_imported(errors)),
    }
}

/// Everything the transaction writes.
struct Write<'a> {
    id: Uuid,
    apprentice_id: Uuid,
    apprentice: Option<&'a users::User>,
    unknowable_hash: Option<&'a str>,
    provider_id: Uuid,
    parties: &'a Parties,
    checked: &'a Checked,
    manifest: &'a manifest::Manifest,
    plan: &'a plan::Plan,
}

/// The import's transaction: the apprentice (found or made), the end of their active enrolment
/// on the standard, the new apprenticeship, its history, its kept figures and the audit rows.
async fn write(
    conn: &mut AsyncPgConnection,
    auth: &Authenticated,
    w: Write<'_>,
) -> AppResult<Apprenticeship> {
    let original = &w.manifest.apprenticeship;
    let employer_id = w.parties.employer_id;
    let apprentice_id = match w.apprentice {
        Some(user) => {
            if user.role != Role::Apprentice {
                return Err(nothing_imported(vec![FieldError::new(
                    "apprenticeship.apprentice.email",
                    "belongs to an account here that is not an apprentice's",
                )]));
            }
            if user.organisation_id != Some(employer_id) {
                users::move_to_organisation(conn, user.id, employer_id).await?;
                audit::record(
                    conn,
                    entry(
                        auth,
                        "user.moved",
                        "user",
                        user.id,
                        user.organisation_id
                            .into_iter()
                            .chain([employer_id, w.provider_id])
                            .collect(),
                        serde_json::json!({
                            "from_organisation_id": user.organisation_id,
                            "organisation_id": employer_id,
                            "reason": "portfolio imported: moving provider",
                        }),
                    ),
                )
                .await?;
            }
            user.id
        }
        None => {
            let user = users::insert_with_id(
                conn,
                w.apprentice_id,
                &users::NewUser {
                    email: w.checked.email.as_str(),
                    name: &original.apprentice.name,
                    role: Role::Apprentice,
                    organisation_id: Some(employer_id),
                    created_by_organisation_id: Some(w.provider_id),
                    password_hash: w.unknowable_hash.unwrap_or_default(),
                },
            )
            .await?;
            outbox::enqueue_password_link(conn, user.id, auth.actor.user_id).await?;
            audit::record(
                conn,
                entry(
                    auth,
                    "user.created",
                    "user",
                    user.id,
                    vec![employer_id, w.provider_id],
                    serde_json::json!({
                        "email": user.email, "name": user.name, "role": user.role,
                        "organisation_id": user.organisation_id,
                        "reason": "portfolio imported: moving provider",
                    }),
                ),
            )
            .await?;
            user.id
        }
    };
    let standard = &w.checked.standard.standard;
    // Locks the apprentice's row: a concurrent enrolment or import of them waits.
    let previous =
        match apprenticeships::enrolment_on_standard(conn, apprentice_id, &standard.reference)
            .await?
        {
            Some(id) => apprenticeships::find(conn, id).await?,
            None => None,
        };
    if let Some(old) = previous
        .as_ref()
        .filter(|old| old.provider_id == w.provider_id)
    {
        return Err(AppError::conflict(
            "already_enrolled",
            format!(
                "This apprentice is already enrolled on {} with your provider (apprenticeship \
                 {}); an import is for an apprentice moving to your provider.",
                standard.reference, old.id
            ),
        ));
    }
    let source = plan::source(w.manifest);
    let created = apprenticeships::insert(
        conn,
        &NewApprenticeship {
            id: Some(w.id),
            apprentice_id,
            standard_id: standard.id,
            employer_id,
            provider_id: w.provider_id,
            mentor_id: w.parties.mentor_id,
            tutor_id: w.parties.tutor_id,
            start_date: w.parties.start_date,
            expected_end_date: w.checked.expected_end_date,
            planned_otj_hours: original.planned_otj_hours,
            rpl_reduction_hours: original.rpl_reduction_hours,
            next_review_due_by: Some(review_rules::calendar_deadline(w.parties.start_date)),
            origin: Some(source.clone()),
        },
    )
    .await
    .map_err(refused_row)?;
    let by = Recorders {
        apprentice: apprentice_id,
        importer: auth.actor.user_id,
    };
    let plan = w.plan;
    portfolio_import::evidence(conn, created.id, by, &plan.evidence, &plan.attachments)
        .await
        .map_err(refused_row)?;
    let signoff_ids = portfolio_import::signoffs(conn, created.id, by, &plan.signoffs)
        .await
        .map_err(refused_row)?;
    portfolio_import::otj(conn, created.id, by, &plan.otj)
        .await
        .map_err(refused_row)?;
    portfolio_import::reviews(conn, created.id, by, &plan.reviews)
        .await
        .map_err(refused_row)?;
    // The kept figures, from the rows just written.
    ksb_statuses::initialise(conn, created.id, created.standard_id).await?;
    let minutes = otj::recompute(conn, created.id).await?;
    otj::move_kept(conn, created.id, minutes).await?;
    reviews::refresh(conn, created.id, created.start_date).await?;
    crate::db::signoff_hash::hash_and_store(conn, &signoff_ids).await?;

    let mut concerns = vec![created.employer_id, created.provider_id];
    if let Some(old) = &previous {
        // Under the row lock every portfolio change takes (`gateway::ensure_open`).
        crate::db::apprenticeships::lock(conn, old.id).await?;
        if !apprenticeships::transfer(conn, old.id, created.id).await? {
            return Err(AppError::conflict(
                "already_transferred",
                "The apprentice's enrolment on this standard ended while the import ran; try again.",
            ));
        }
        audit::record(
            conn,
            entry(
                auth,
                "apprenticeship.transferred",
                "apprenticeship",
                old.id,
                vec![old.employer_id, old.provider_id, created.provider_id],
                serde_json::json!({
                    "transferred_to": created.id,
                    "to_provider_id": created.provider_id,
                }),
            ),
        )
        .await?;
        concerns.extend([old.employer_id, old.provider_id]);
    }
    concerns.sort_unstable();
    concerns.dedup();
    audit::record(
        conn,
        entry(
            auth,
            "apprenticeship.imported",
            "apprenticeship",
            created.id,
            concerns,
            serde_json::json!({
                "apprentice_id": apprentice_id,
                "standard": standard.reference,
                "standard_version": standard.version,
                "start_date": created.start_date,
                "expected_end_date": created.expected_end_date,
                "origin": source,
                "transferred_from": previous.as_ref().map(|old| old.id),
                "evidence": plan.evidence.len(),
                "attachments": plan.attachments.len(),
                "signoffs": plan.signoffs.len(),
                "otj_entries": plan.otj.len(),
                "reviews": plan.reviews.len(),
            }),
        ),
    )
    .await?;
    Ok(apprenticeships::find(conn, created.id)
        .await?
        .unwrap_or(created))
}

/// A row the database refuses (a CHECK, a unique key): the archive holds a record this
/// deployment's rules do not allow, named by the rule.
fn refused_row(error: diesel::result::Error) -> AppError {
    use diesel::result::{DatabaseErrorKind, Error};
    match &error {
        Error::DatabaseError(
            DatabaseErrorKind::CheckViolation | DatabaseErrorKind::UniqueViolation,
            info,
        ) => nothing_imported(vec![FieldError::new(
            "portfolio.json",
            format!(
                "holds a record this deployment's rules refuse ({})",
                info.constraint_name().unwrap_or("a constraint")
            ),
        )]),
        _ => AppError::from(error),
    }
}
