//! Extractors that turn malformed input into precise problems: malformed JSON → 400, a wrong
//! field → 422 naming it, a control character in any string or query parameter → 422 naming it,
//! wrong content type → 415, too large → 413.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::domain::text;
use crate::error::AppError;

/// A JSON body, read with the configured size limit and deserialised with the failing field's
/// path (`ksbs[3]`, `user.email`) kept for the problem's `errors`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| {
                m.type_() == mime::APPLICATION
                    && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
            });
        let bytes = Bytes::from_request(req, payload);
        Box::pin(async move {
            if !content_type_ok {
                return Err(AppError::UnsupportedMediaType(
                    "Send the body as JSON with `Content-Type: application/json`.".into(),
                ));
            }
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    AppError::PayloadTooLarge(
                        "The JSON body is larger than the server accepts.".into(),
                    )
                } else {
                    AppError::BadRequest(format!("The request body could not be read: {e}"))
                }
            })?;
            parse_json(&bytes).map(Json)
        })
    }
}

/// Deserialises JSON: a syntax error is 400, a type or missing-field error is 422 on that field,
/// and so is a string holding a control character (`domain::text`), escaped or not.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Only an escape (`\u0000`) can put a control character into a valid JSON string; the
    // whole-body walk runs only then.
    if bytes.windows(2).any(|pair| pair == b"\\u")
        && let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes)
        && let Some((field, found)) = control_in(&value, String::new())
    {
        return Err(AppError::invalid(field, text::control_message(found)));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => Ok(value),
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            // An unescaped control character inside a string is a syntax error to serde_json,
            // but to the person it is a field with a character it may not hold.
            if inner.to_string().starts_with("control character") {
                let field = if path == "." {
                    "body".to_string()
                } else {
                    path
                };
                return Err(AppError::invalid(
                    field,
                    "must not contain control characters; only tab and line breaks are allowed",
                ));
            }
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let message = inner.to_string();
                    let message = message
                        .split(" at line ")
                        .next()
                        .unwrap_or(&message)
                        .to_string();
                    // A missing field is reported at its parent; name the field itself.
                    let field = match (path.as_str(), missing_field(&message)) {
                        (".", Some(name)) => name.to_string(),
                        (parent, Some(name)) => format!("{parent}.{name}"),
                        (".", None) => "body".to_string(),
                        (p, None) => p.to_string(),
                    };
                    Err(AppError::invalid(field, message))
                }
                _ => Err(AppError::BadRequest(format!(
                    "The request body is not valid JSON: {inner}."
                ))),
            }
        }
    }
}

/// The path (`ksbs[2]`, `user.name`, as serde_path_to_error writes it) of the first string, key
/// or value, holding a forbidden control character.
fn control_in(value: &serde_json::Value, path: String) -> Option<(String, char)> {
    use serde_json::Value;
    let name = |path: &str| {
        if path.is_empty() {
            "body".to_string()
        } else {
            path.to_string()
        }
    };
    match value {
        Value::String(s) => text::forbidden_control(s).map(|c| (name(&path), c)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| control_in(item, format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let field = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match text::forbidden_control(key) {
                Some(c) => Some((field, c)),
                None => control_in(item, field),
            }
        }),
        _ => None,
    }
}

fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

/// Query-string parameters; a bad value is 422 naming the parameter.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if let Some((key, found)) = form_urlencoded_parse(req.query_string()).find_map(|(k, v)| {
            text::forbidden_control(&k)
                .or(text::forbidden_control(&v))
                .map(|c| (k, c))
        }) {
            let key = if text::forbidden_control(&key).is_some() {
                "query".to_string()
            } else {
                key.into_owned()
            };
            return std::future::ready(Err(AppError::invalid(key, text::control_message(found))));
        }
        let parsed = serde_urlencoded::Deserializer::new(form_urlencoded_parse(req.query_string()));
        let result = serde_path_to_error::deserialize(parsed)
            .map(Query)
            .map_err(|e| {
                let field = e.path().to_string();
                let field = if field == "." {
                    "query".to_string()
                } else {
                    field
                };
                AppError::invalid(field, e.into_inner().to_string())
            });
        std::future::ready(result)
    }
}

fn form_urlencoded_parse(query: &str) -> url::form_urlencoded::Parse<'_> {
    url::form_urlencoded::parse(query.as_bytes())
}
