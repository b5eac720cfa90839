//! The OpenAPI 3.1 document: its header and shared components here; the paths come from the
//! route table in `api/mod.rs`.

use actix_web::{HttpResponse, get, web};
use utoipa::OpenApi;

use crate::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ksbfolio API",
        description = "Apprenticeship evidence tracker for ST0220 Healthcare Science Associate.\n\n\
            Errors are `application/problem+json` (RFC 9457) with a stable `code` and, for \
            validation failures, `errors: [{field, message}]`. Every response carries \
            `X-Request-Id`.\n\nLists take `limit` (1–200, default 50) and `offset` (default 0) \
            and answer `{items, total, limit, offset}`; filters are further query parameters \
            named after the field they filter.\n\nAnything outside the caller's scope answers \
            404, never 403.\n\nDuty-to-KSB links marked `provisional` were inferred, not copied \
            from the published duty table; they are replaced when the official record is imported.",
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "standards", description = "The apprenticeship standards catalogue"),
        (name = "auth", description = "Sign-in, tokens and sign-out"),
        (name = "organisations", description = "Training providers and employers"),
        (name = "users", description = "People and their roles"),
        (name = "apprenticeships", description = "Apprentices enrolled on a standard"),
        (name = "evidence", description = "Evidence, its review workflow, comments, revisions and attachments"),
        (name = "signoffs", description = "Employer sign-off of KSBs"),
        (name = "coverage", description = "Progress per KSB and per duty"),
        (name = "otj", description = "Off-the-job training: entries, their approval, and time against the plan"),
        (name = "reviews", description = "Progress reviews and their signatures"),
        (name = "breaks", description = "Breaks in learning"),
        (name = "portfolio", description = "The whole portfolio as an archive the apprentice keeps, and its format"),
        (name = "gateway", description = "Readiness for end-point assessment, the declarations, English and maths"),
        (name = "queues", description = "Review and sign-off queues, and the caseload"),
        (name = "notifications", description = "E-mail notifications: your settings, and the outbox for administrators"),
        (name = "audit", description = "The append-only record of every change"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme (JWT access tokens from `/api/v1/auth/login`).
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The serialised document, shared with the handler below.
pub struct Document(pub String);

/// Final touches on the assembled document.
pub fn finish(document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    document
}

/// This OpenAPI document.
#[utoipa::path(tag = "meta", responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
#[get("/openapi.json")]
pub async fn openapi_document(document: web::Data<Document>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document.0.clone())
}

/// The document as pretty JSON, for `ksbfolio openapi` and the frontend's generated types.
pub fn openapi_json() -> anyhow::Result<String> {
    let settings = crate::config::Settings::with_defaults("data".into());
    let (_, document) = super::app(None, settings);
    Ok(document.to_pretty_json()?)
}
