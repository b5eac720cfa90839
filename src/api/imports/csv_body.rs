//! A `text/csv` request body, read within the JSON size limit and parsed with the `csv` crate
//! into records that keep their line numbers.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::domain::text;
use crate::error::AppError;

/// Lines past this are refused: a cohort is hundreds, not hundreds of thousands.
pub const MAX_LINES: usize = 5_000;

/// The CSV body of a request.
#[derive(Debug)]
pub struct CsvBody(pub Bytes);

impl FromRequest for CsvBody {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_csv = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.type_() == mime::TEXT && m.subtype() == mime::CSV);
        let bytes = Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_csv {
                return Err(AppError::UnsupportedMediaType(
                    "Send the file as CSV with `Content-Type: text/csv`.".into(),
                ));
            }
            bytes.await.map(CsvBody).map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    AppError::PayloadTooLarge("The file is larger than the server accepts.".into())
                } else {
                    AppError::BadRequest(format!("The file could not be read: {e}"))
                }
            })
        })
    }
}

/// One data line: its line number in the file and its fields by column name.
#[derive(Debug, Clone)]
pub struct Line {
    pub number: u64,
    fields: Vec<(String, String)>,
}

impl Line {
    /// The trimmed value of `column` (empty when blank).
    pub fn get(&self, column: &str) -> &str {
        self.fields
            .iter()
            .find(|(name, _)| name == column)
            .map_or("", |(_, value)| value.as_str())
    }
}

/// Parses `body` whose header must hold exactly `columns` (any order); blank lines are skipped.
pub fn lines(body: &[u8], required: &[&str], optional: &[&str]) -> Result<Vec<Line>, AppError> {
    let text =
        std::str::from_utf8(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)).map_err(|_| {
            AppError::invalid("file", "must be UTF-8 text (save the sheet as CSV UTF-8)")
        })?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::invalid("header", format!("could not be read: {e}")))?
        .iter()
        .map(str::to_lowercase)
        .collect();
    let missing: Vec<&str> = required
        .iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .copied()
        .collect();
    let unknown: Vec<&str> = header
        .iter()
        .filter(|h| !required.contains(&h.as_str()) && !optional.contains(&h.as_str()))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        return Err(AppError::invalid(
            "header",
            format!(
                "must be {}{} (missing: {}; unknown: {})",
                required.join(","),
                if optional.is_empty() {
                    String::new()
                } else {
                    format!(" and optionally {}", optional.join(","))
                },
                if missing.is_empty() {
                    "none".into()
                } else {
                    missing.join(", ")
                },
                if unknown.is_empty() {
                    "none".into()
                } else {
                    unknown.join(", ")
                },
            ),
        ));
    }
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            AppError::invalid(format!("line {line}"), format!("is not valid CSV: {e}"))
        })?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let number = record.position().map_or(0, csv::Position::line);
        if let Some((column, found)) = header
            .iter()
            .zip(record.iter())
            .find_map(|(h, v)| text::forbidden_control(v).map(|c| (h, c)))
        {
            return Err(AppError::invalid(
                format!("line {number}: {column}"),
                text::control_message(found),
            ));
        }
        lines.push(Line {
            number,
            fields: header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect(),
        });
        if lines.len() > MAX_LINES {
            return Err(AppError::invalid(
                "file",
                format!("has more than {MAX_LINES} lines; split it"),
            ));
        }
    }
    if lines.is_empty() {
        return Err(AppError::invalid("file", "has a header but no lines"));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_their_numbers_and_skip_blank_ones() {
        let body = b"email,name\na@x.uk,Ann\n,\nb@x.uk , Bob \n";
        let lines = lines(body, &["email", "name"], &[]).expect("parsed");
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].number, lines[0].get("email")), (2, "a@x.uk"));
        assert_eq!((lines[1].number, lines[1].get("name")), (4, "Bob"));
    }

    #[test]
    fn a_wrong_header_names_what_is_missing_and_unknown() {
        let error = lines(b"mail,name\na,b\n", &["email", "name"], &[]).expect_err("refused");
        let AppError::Validation { errors, .. } = error else {
            panic!("validation expected");
        };
        assert_eq!(errors[0].field, "header");
        assert!(
            errors[0].message.contains("missing: email; unknown: mail"),
            "{}",
            errors[0].message
        );
    }
}
