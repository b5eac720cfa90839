//! PostgreSQL's `COPY … FROM STDIN` text format: a row writer, one table's buffer, and rows
//! collected with a sort key and written out in key order.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use uuid::Uuid;

/// COPY's text format: tab-separated fields, `\N` for NULL, backslash escapes.
#[derive(Debug, Default)]
pub struct Rows {
    pub data: Vec<u8>,
    fields: usize,
}

impl Rows {
    fn field(&mut self) -> &mut Vec<u8> {
        if self.fields > 0 {
            self.data.push(b'\t');
        }
        self.fields += 1;
        &mut self.data
    }

    pub fn text(&mut self, value: &str) -> &mut Self {
        let out = self.field();
        for byte in value.bytes() {
            match byte {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                other => out.push(other),
            }
        }
        self
    }

    pub fn null(&mut self) -> &mut Self {
        self.field().extend_from_slice(b"\\N");
        self
    }

    pub fn opt_text(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    pub fn uuid(&mut self, value: Uuid) -> &mut Self {
        let mut buf = [0u8; 36];
        let s = value.as_hyphenated().encode_lower(&mut buf);
        self.field().extend_from_slice(s.as_bytes());
        self
    }

    pub fn opt_uuid(&mut self, value: Option<Uuid>) -> &mut Self {
        match value {
            Some(v) => self.uuid(v),
            None => self.null(),
        }
    }

    pub fn int(&mut self, value: i64) -> &mut Self {
        let mut s = String::with_capacity(12);
        let _ = write!(s, "{value}");
        self.field().extend_from_slice(s.as_bytes());
        self
    }

    pub fn boolean(&mut self, value: bool) -> &mut Self {
        self.field().push(if value { b't' } else { b'f' });
        self
    }

    pub fn date(&mut self, d: NaiveDate) -> &mut Self {
        let mut s = String::with_capacity(10);
        let _ = write!(s, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        self.field().extend_from_slice(s.as_bytes());
        self
    }

    /// Whole seconds in UTC: the demo never needs more, and the text round-trips exactly.
    pub fn ts(&mut self, t: DateTime<Utc>) -> &mut Self {
        let mut s = String::with_capacity(22);
        let _ = write!(
            s,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}+00",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        self.field().extend_from_slice(s.as_bytes());
        self
    }

    pub fn opt_date(&mut self, d: Option<NaiveDate>) -> &mut Self {
        match d {
            Some(d) => self.date(d),
            None => self.null(),
        }
    }

    /// A `jsonb` value: the compact JSON of `value` (a struct or list of them always serialises).
    pub fn json(&mut self, value: &impl serde::Serialize) -> &mut Self {
        self.text(&serde_json::to_string(value).unwrap_or_default())
    }

    pub fn opt_ts(&mut self, t: Option<DateTime<Utc>>) -> &mut Self {
        match t {
            Some(t) => self.ts(t),
            None => self.null(),
        }
    }

    /// A `text[]` of codes (letters and digits only, so no quoting is needed).
    pub fn codes(&mut self, codes: &[&str]) -> &mut Self {
        let out = self.field();
        out.push(b'{');
        out.extend_from_slice(codes.join(",").as_bytes());
        out.push(b'}');
        self
    }

    pub fn end(&mut self) {
        self.data.push(b'\n');
        self.fields = 0;
    }
}

/// One `COPY table (columns) FROM STDIN` and its data.
#[derive(Debug)]
pub struct Copy {
    pub table: &'static str,
    pub columns: &'static str,
    pub rows: u64,
    pub data: Vec<u8>,
}

/// Rows collected with a sort key, written out in key order.
pub struct Keyed {
    table: &'static str,
    columns: &'static str,
    rows: Vec<(i64, Vec<u8>)>,
}

impl Keyed {
    pub fn new(table: &'static str, columns: &'static str) -> Self {
        Self {
            table,
            columns,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, key: i64, fill: impl FnOnce(&mut Rows)) {
        let mut row = Rows::default();
        fill(&mut row);
        row.end();
        self.rows.push((key, row.data));
    }

    pub fn finish(mut self) -> Copy {
        self.rows.sort_by_key(|(key, _)| *key);
        let size = self.rows.iter().map(|(_, r)| r.len()).sum();
        let mut data = Vec::with_capacity(size);
        for (_, row) in &self.rows {
            data.extend_from_slice(row);
        }
        Copy {
            table: self.table,
            columns: self.columns,
            rows: self.rows.len() as u64,
            data,
        }
    }
}
