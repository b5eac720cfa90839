//! The HTTP layer. This file is THE route table: every endpoint is registered here, and
//! registering it through `utoipa_actix_web` is also what puts it in the OpenAPI document, so the
//! document covers every endpoint by construction. What handlers share lives in files named for
//! it: `connection` (a pooled connection, the primary's or the read replica's),
//! `read_your_writes` (the write position that keeps a user's reads fresh), `catalogue` (an apprenticeship's standard), `access`
//! (loading within scope), `references` (people and organisations inside responses),
//! `authenticated` (the caller), `pagination`, `search` (the lists' `q`), `audit_entry`; `app` mounts the table.

pub mod access;
pub mod apprenticeships;
pub mod attachments;
pub mod audit;
pub mod audit_entry;
pub mod auth;
pub mod authenticated;
pub mod breaks;
pub mod caseload;
pub mod catalogue;
pub mod connection;
pub mod coverage;
pub mod deadline;
pub mod evidence;
pub mod extract;
pub mod gateway;
pub mod health;
pub mod idempotency;
pub mod if_match;
pub mod imports;
pub mod inbox;
pub mod ksb_codes;
pub mod middleware;
pub mod notifications;
pub mod organisations;
pub mod otj;
pub mod outbox;
pub mod pagination;
pub mod passwords;
pub mod patient_data;
pub mod portfolio;
pub mod queues;
pub mod read_your_writes;
pub mod references;
pub mod refresh_cookie;
pub mod reviews;
pub mod search;
pub mod security_headers;
pub mod sign_in_throttle;
pub mod signoffs;
pub mod standards;
pub mod users;

mod app;
mod fallback;
mod openapi;
mod spa;

pub use app::app;
pub use openapi::openapi_json;

/// The `/api/v1` endpoints.
pub(crate) fn v1_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(standards::list::list_standards)
        .service(standards::get::get_standard)
        .service(standards::get::get_standard_version)
        .service(standards::update::update_standard_version)
        .service(auth::login::login)
        .service(auth::refresh::refresh)
        .service(auth::logout::logout)
        .service(auth::me::me)
        .service(passwords::change::change_password)
        .service(passwords::redeem::redeem_password_link)
        .service(auth::sign_in_link::request_sign_in_link)
        .service(auth::sign_in_link::redeem_sign_in_link)
        .service(notifications::get_notifications)
        .service(notifications::put_notifications)
        .service(organisations::create::create_organisation)
        .service(organisations::list::list_organisations)
        .service(users::create::create_user)
        .service(users::list::list_users)
        .service(users::get::get_user)
        .service(users::update::update_user)
        .service(passwords::link::create_password_link)
        .service(imports::import_users)
        .service(imports::import_apprenticeships)
        .service(portfolio::import::import_portfolio)
        .service(apprenticeships::create::create_apprenticeship)
        .service(apprenticeships::list::list_apprenticeships)
        .service(apprenticeships::get::get_apprenticeship)
        .service(apprenticeships::update::update_apprenticeship)
        .service(evidence::create::create_evidence)
        .service(evidence::list::list_evidence)
        .service(evidence::get::get_evidence)
        .service(evidence::update::update_evidence)
        .service(evidence::delete::delete_evidence)
        .service(evidence::submit::submit_evidence)
        .service(evidence::withdraw::withdraw_evidence)
        .service(evidence::review::review_evidence)
        .service(evidence::comments::create_comment)
        .service(evidence::comments::list_comments)
        .service(evidence::revisions::list_revisions)
        .service(attachments::upload::upload_attachment)
        .service(attachments::list::list_attachments)
        .service(attachments::download::download_attachment)
        .service(attachments::remove::remove_attachment)
        .service(signoffs::create::create_signoff)
        .service(signoffs::bulk::bulk_signoff)
        .service(signoffs::list::list_signoffs)
        .service(signoffs::revoke::revoke_signoff)
        .service(coverage::get_coverage)
        .service(otj::create::create_otj)
        .service(otj::list::list_otj)
        .service(otj::summary::otj_summary)
        .service(otj::get::get_otj)
        .service(otj::update::update_otj)
        .service(otj::delete::delete_otj)
        .service(otj::review::review_otj)
        .service(otj::queue::otj_queue)
        .service(reviews::create::create_review)
        .service(reviews::list::list_reviews)
        .service(reviews::get::get_review)
        .service(reviews::update::update_review)
        .service(reviews::sign::sign_review)
        .service(reviews::reopen::reopen_review)
        .service(gateway::get::get_gateway)
        .service(gateway::declare::declare_gateway)
        .service(gateway::declare::withdraw_gateway)
        .service(gateway::english_maths::put_english_maths)
        .service(portfolio::zip::export_zip)
        .service(portfolio::pdf::export_pdf)
        .service(portfolio::schema::get_portfolio_schema)
        .service(breaks::list::list_breaks)
        .service(breaks::start::start_break)
        .service(breaks::end::end_break)
        .service(queues::review::review_queue)
        .service(queues::signoff::signoff_queue)
        .service(caseload::get_caseload)
        .service(inbox::get_inbox)
        .service(audit::list_audit)
        .service(outbox::list_outbox)
        .service(openapi::openapi_document);
}
