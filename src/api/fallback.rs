//! What answers when no route matched: 405 with `Allow` when the path exists under another
//! method, else 404. The known paths come from the OpenAPI document, which the route table builds.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use crate::error::AppError;

/// Path templates (`/api/v1/standards/{reference}`) split into segments, with their methods.
pub struct RouteIndex(Vec<(Vec<String>, Vec<String>)>);

impl RouteIndex {
    pub fn from_document(document: &utoipa::openapi::OpenApi) -> Self {
        let routes = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_string).collect();
                let mut methods = Vec::new();
                for (method, present) in [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ] {
                    if present {
                        methods.push(method.to_string());
                    }
                }
                (segments, methods)
            })
            .collect();
        Self(routes)
    }

    /// The methods allowed on `path`, if any template matches it.
    pub fn allowed(&self, path: &str) -> Option<&[String]> {
        let wanted: Vec<&str> = path.split('/').collect();
        self.0
            .iter()
            .find(|(segments, _)| {
                segments.len() == wanted.len()
                    && segments
                        .iter()
                        .zip(&wanted)
                        .all(|(s, w)| s == w || (s.starts_with('{') && !w.is_empty()))
            })
            .map(|(_, methods)| methods.as_slice())
    }
}

pub async fn fallback(req: HttpRequest, index: web::Data<RouteIndex>) -> HttpResponse {
    let path = req.path().trim_end_matches('/');
    match index.allowed(path) {
        Some(methods) if !methods.iter().any(|m| m == req.method().as_str()) => {
            let mut response = AppError::MethodNotAllowed(format!(
                "{} is not allowed on {}; use {}.",
                req.method(),
                req.path(),
                methods.join(" or ")
            ))
            .error_response();
            if let Ok(value) = header::HeaderValue::from_str(&methods.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        _ => {
            let detail = if req.path().starts_with("/api") {
                "There is no API endpoint at this address."
            } else {
                "There is nothing at this address."
            };
            AppError::NotFound(detail.into()).error_response()
        }
    }
}
