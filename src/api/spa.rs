//! Serving the built frontend at `/`: files as they are, and `index.html` for any other non-API
//! path so the browser's router can take it. Without a build, `/` answers a problem saying how to
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
        .prefer_utf8(true)
        .default_handler(web::to(move |req: actix_web::HttpRequest| {
            let index = index.clone();
            async move {
                actix_files::NamedFile::open(index)
                    .map(|file| file.into_response(&req))
                    .map_err(AppError::internal)
            }
        }));
    app.service(files)
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
