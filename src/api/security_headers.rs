//! Browser hardening headers on every response: a Content-Security-Policy (a stricter one for the
//! app than for the API documentation page, whose Swagger UI needs inline script and style), no
//! MIME sniffing, no framing, no referrer, and HSTS where TLS is terminated in front.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    CONTENT_SECURITY_POLICY, HeaderMap, HeaderName, HeaderValue, REFERRER_POLICY,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use actix_web::middleware::Next;
use actix_web::web;

/// The app and the API: only its own origin, no plugins, no `<base>` rewriting, never framed,
/// forms post only to itself. Scripts and styles come from the built bundle, never inline.
/// Images may also be data URIs: the NHS design system's stylesheet draws its form icons as
/// inline SVG images, and an image cannot run script.
pub const APP_POLICY: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
                              base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The API documentation (Swagger UI): its page starts itself with inline script and style and
/// draws icons from data URIs; everything else as strict as the app.
pub const DOCS_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
                               style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                               object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
                               form-action 'self'";

/// Whether to send `Strict-Transport-Security` (a deployment setting: only where the app is
/// reached over HTTPS, or browsers would refuse a plain-HTTP `make run`).
#[derive(Debug, Clone, Copy)]
pub struct Hsts(pub bool);

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let docs = req.path().starts_with("/api/docs");
    let hsts = req
        .app_data::<web::Data<Hsts>>()
        .is_some_and(|setting| setting.0);
    let mut response = next.call(req).await?;
    apply(response.headers_mut(), docs, hsts);
    Ok(response)
}

/// Puts the headers on a response: also used by the database deadline, whose 503 bypasses this
/// middleware (it leaves as an error carrying a finished response).
pub fn apply(headers: &mut HeaderMap, docs: bool, hsts: bool) {
    let policy = if docs { DOCS_POLICY } else { APP_POLICY };
    let fixed: [(HeaderName, &'static str); 4] = [
        (CONTENT_SECURITY_POLICY, policy),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (X_FRAME_OPTIONS, "DENY"),
        (REFERRER_POLICY, "no-referrer"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if hsts {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
}
