//! The HTTP layer. This file is THE route table: every endpoint is registered here, and
//! registering it through `utoipa_actix_web` is also what puts it in the OpenAPI document, so the
//! document covers every endpoint by construction.

pub mod apprenticeships;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod breaks;
pub mod coverage;
pub mod deadline;
pub mod evidence;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod if_match;
pub mod imports;
pub mod inbox;
pub mod middleware;
pub mod organisations;
pub mod otj;
pub mod pagination;
pub mod passwords;
pub mod patient_data;
pub mod queues;
pub mod refresh_cookie;
pub mod reviews;
pub mod security_headers;
pub mod sign_in_throttle;
pub mod signoffs;
pub mod standards;
pub mod users;

mod fallback;
mod openapi;
mod spa;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, web};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope};

use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

pub use openapi::openapi_json;

/// The `/api/v1` endpoints.
fn v1_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(standards::list_standards)
        .service(standards::get_standard)
        .service(standards::update_standard_version)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::me)
        .service(passwords::change_password)
        .service(passwords::redeem_password_link)
        .service(organisations::create_organisation)
        .service(organisations::list_organisations)
        .service(users::create_user)
        .service(users::list_users)
        .service(users::get_user)
        .service(users::update_user)
        .service(passwords::create_password_link)
        .service(imports::import_users)
        .service(imports::import_apprenticeships)
        .service(apprenticeships::create_apprenticeship)
        .service(apprenticeships::list_apprenticeships)
        .service(apprenticeships::get_apprenticeship)
        .service(apprenticeships::edit::update_apprenticeship)
        .service(evidence::create::create_evidence)
        .service(evidence::create::list_evidence)
        .service(evidence::edit::get_evidence)
        .service(evidence::edit::update_evidence)
        .service(evidence::edit::delete_evidence)
        .service(evidence::workflow::submit_evidence)
        .service(evidence::workflow::withdraw_evidence)
        .service(evidence::workflow::review_evidence)
        .service(evidence::comments::create_comment)
        .service(evidence::comments::list_comments)
        .service(evidence::comments::list_revisions)
        .service(attachments::upload_attachment)
        .service(attachments::list_attachments)
        .service(attachments::download_attachment)
        .service(attachments::remove_attachment)
        .service(signoffs::create_signoff)
        .service(signoffs::bulk::bulk_signoff)
        .service(signoffs::list_signoffs)
        .service(signoffs::revoke_signoff)
        .service(coverage::get_coverage)
        .service(otj::create::create_otj)
        .service(otj::list::list_otj)
        .service(otj::summary::otj_summary)
        .service(otj::edit::get_otj)
        .service(otj::edit::update_otj)
        .service(otj::edit::delete_otj)
        .service(otj::review::review_otj)
        .service(otj::queue::otj_queue)
        .service(reviews::create::create_review)
        .service(reviews::create::list_reviews)
        .service(reviews::edit::get_review)
        .service(reviews::edit::update_review)
        .service(reviews::sign::sign_review)
        .service(reviews::sign::reopen_review)
        .service(breaks::list_breaks)
        .service(breaks::start_break)
        .service(breaks::end_break)
        .service(queues::review_queue)
        .service(queues::signoff_queue)
        .service(queues::get_caseload)
        .service(inbox::get_inbox)
        .service(audit::list_audit)
        .service(openapi::openapi_document);
}

/// Builds the whole application (with `state`, or without for the OpenAPI document alone): routes, limits, error
/// mapping, request ids, the API docs and the frontend.
pub fn app(
    state: Option<web::Data<AppState>>,
    settings: Settings,
) -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
    utoipa::openapi::OpenApi,
) {
    let mut app = App::new();
    if let Some(state) = state {
        app = app.app_data(state);
    }
    let (app, document) = app
        .app_data(web::PayloadConfig::new(settings.json_limit))
        .app_data(web::PathConfig::default().error_handler(|_, _| {
            AppError::NotFound("There is nothing at this address.".into()).into()
        }))
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .service(health::healthz)
        .service(health::readyz)
        .service(
            scope("/api/v1")
                .configure(v1_routes)
                .default_service(web::to(fallback::fallback)),
        )
        .split_for_parts();
    let document = openapi::finish(document);
    let app = app
        .app_data(web::Data::new(security_headers::Hsts(settings.hsts)))
        .app_data(web::Data::new(fallback::RouteIndex::from_document(
            &document,
        )))
        .app_data(web::Data::new(openapi::Document(
            serde_json::to_string(&document).unwrap_or_default(),
        )))
        .service(
            utoipa_swagger_ui::SwaggerUi::new("/api/docs/{_:.*}")
                .url("/api/v1/openapi.json", document.clone()),
        )
        .route(
            "/api/docs",
            web::get().to(|| async {
                actix_web::HttpResponse::Found()
                    .insert_header(("Location", "/api/docs/"))
                    .finish()
            }),
        )
        .service(web::scope("/api").default_service(web::to(fallback::fallback)));
    let app = spa::mount(app, &settings.static_dir)
        .wrap(actix_web::middleware::from_fn(deadline::db_deadline))
        .wrap(actix_web::middleware::from_fn(middleware::count_queries))
        .wrap(actix_web::middleware::from_fn(spa::cache_headers))
        // Security: CSP, no MIME sniffing, no framing (clickjacking), no referrer leaking ids.
        .wrap(actix_web::middleware::from_fn(
            security_headers::security_headers,
        ))
        .wrap(actix_web::middleware::from_fn(
            middleware::problem_for_bare_errors,
        ))
        .wrap(actix_web::middleware::from_fn(middleware::request_id));
    (app, document)
}

/// The catalogue of an apprenticeship's standard, from the in-process cache when it is current.
pub async fn standard_of(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    apprenticeship: &crate::db::apprenticeships::Apprenticeship,
) -> Result<std::sync::Arc<crate::db::catalogue::cache::CachedStandard>, AppError> {
    state
        .catalogue
        .standard(
            conn,
            apprenticeship.standard_id,
            apprenticeship.catalogue_stamp,
        )
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("apprenticeship without standard")))
}

/// A pooled connection, or 503 when the database cannot be reached. The wait and the time the
/// connection is held count towards the request's database deadline (`api::deadline`).
pub async fn db_conn(state: &AppState) -> Result<DbConn, AppError> {
    use diesel_async::pooled_connection::deadpool::PoolError;
    match crate::db::deadline::checkout(&state.pool).await {
        Ok(conn) => Ok(conn),
        Err(PoolError::Timeout(_)) => Err(AppError::Unavailable(
            "The database is busy or not answering; please try again shortly.".into(),
        )),
        Err(error) => {
            tracing::error!(%error, "no database connection");
            Err(AppError::Unavailable(
                "The database is not available right now; please try again shortly.".into(),
            ))
        }
    }
}
