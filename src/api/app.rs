//! The actix application: the route table (`api::routes`) mounted with its limits, error
//! mapping, middleware, the API docs and the frontend.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, web};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope};

use super::{
    deadline, fallback, health, middleware, openapi, read_your_writes, security_headers, spa,
    v1_routes,
};
use crate::config::Settings;
use crate::error::AppError;
use crate::state::AppState;

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
        .wrap(actix_web::middleware::from_fn(
            read_your_writes::record_writes,
        ))
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
        .wrap(actix_web::middleware::from_fn(middleware::count_in_flight))
        .wrap(actix_web::middleware::from_fn(middleware::request_id));
    (app, document)
}
