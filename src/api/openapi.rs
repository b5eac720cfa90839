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
            `X-Request-Id`.\n\nDuty-to-KSB links marked `provisional` were inferred, not copied \
            from the published duty table; they are replaced when the official record is imported.",
    ),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "standards", description = "The apprenticeship standards catalogue"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

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
    let settings = crate::config::Settings {
        bind: ([127, 0, 0, 1], 0).into(),
        data_dir: "data".into(),
        static_dir: "frontend/dist".into(),
        json_limit: 1024 * 1024,
        db_pool_size: 1,
        workers: None,
    };
    let (_, document) = super::app(None, settings);
    Ok(document.to_pretty_json()?)
}
