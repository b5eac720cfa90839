//! Serving the built frontend at `/`: files as they are, and `index.html` for any other non-API
//! path without a file extension, so the browser's router can take it. A missing file (an old
//! hashed asset after a redeploy) is a 404, not the app's HTML. Hashed assets are cached for a
//! year; everything else is revalidated. Without a build, `/` answers a problem saying how to
//! build one.

use std::path::Path;

use actix_web::dev::{ServiceFactory, ServiceRequest};
use actix_web::{App, HttpResponse, web};

use crate::error::AppError;

pub fn mount<T>(app: App<T>, static_dir: &Path) -> App<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    let index = static_dir.join("index.html");
    if !index.is_file() {
        return app.default_service(web::to(no_frontend));
    }
    let files = actix_files::Files::new("/", static_dir)
        .index_file("index.html")
        .path_filter(|path, _| path.extension().is_none_or(|ext| ext != "map"))
        .prefer_utf8(true)
        .default_handler(web::to(move |req: actix_web::HttpRequest| {
            let index = index.clone();
            async move {
                if looks_like_a_file(req.path()) {
                    return Err(AppError::NotFound("There is no such file.".into()));
                }
                actix_files::NamedFile::open(index)
                    .map(|file| file.into_response(&req))
                    .map_err(AppError::internal)
            }
        }));
    app.service(files)
}

/// A path whose last segment has an extension names a file, never a page of the app.
/// Source maps are never served, even when a build left some in the folder: they would hand
/// out the app's source to anyone.
fn looks_like_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// Cache headers for the frontend: Vite's hashed `/assets/*` never change; the rest may.
pub async fn cache_headers(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
    let immutable = req.path().starts_with("/assets/");
    let api = req.path().starts_with("/api/");
    let mut response = next.call(req).await?;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else if api {
        // Personal data: never kept by shared caches or the browser's disk cache.
        "no-store"
    } else {
        "no-cache"
    };
    if !response.headers().contains_key(CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    Ok(response)
}

async fn no_frontend(
    req: actix_web::HttpRequest,
    index: web::Data<super::fallback::RouteIndex>,
) -> Result<HttpResponse, AppError> {
    if req.path() != "/" {
        return Ok(super::fallback::fallback(req, index).await);
    }
    Err(AppError::NotFound(
        "The frontend is not built: run `npm --prefix frontend ci && npm --prefix frontend run build` \
         (or use `make run`). The API is at /api/v1 and its documentation at /api/docs."
            .into(),
    ))
}
