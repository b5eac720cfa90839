//! A raw SQL statement that stays prepared on its connection. `diesel::sql_query` marks its text
//! unsafe to cache, so PostgreSQL parses and plans it afresh on every call; for a long statement
//! run on every page (the open items behind the inbox and the caseload) that planning costs about
//! as much as running it. [`PreparedSql`] keeps the text as written, with `$n` placeholders,
//! and pushes the n-th bind wherever `$n` stands, so diesel's statement cache keys it by its
//! text and prepares it once per connection (unless the pool turns the cache off).

use chrono::NaiveDate;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Date, Nullable, Text, Untyped, Uuid as SqlUuid};
use uuid::Uuid;

/// One value bound to a placeholder, with its SQL type.
#[derive(Debug, Clone, Copy)]
pub enum Bind<'a> {
    NullableUuid(Option<Uuid>),
    Uuids(&'a [Uuid]),
    Date(NaiveDate),
    Text(&'a str),
    BigInt(i64),
}

impl<'a> Bind<'a> {
    fn push<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> diesel::QueryResult<()> {
        match self {
            Bind::NullableUuid(value) => out.push_bind_param::<Nullable<SqlUuid>, _>(value),
            Bind::Uuids(values) => out.push_bind_param::<Array<SqlUuid>, _>(values),
            Bind::Date(value) => out.push_bind_param::<Date, _>(value),
            Bind::Text(value) => out.push_bind_param::<Text, _>(value),
            Bind::BigInt(value) => out.push_bind_param::<BigInt, _>(value),
        }
    }
}

/// A statement of fixed text whose `$1`, `$2`… stand for `binds[0]`, `binds[1]`…; a placeholder
/// may appear more than once (each occurrence is sent as its own parameter, as diesel's own
/// builder does). The text must hold no other `$` (no dollar quoting).
#[derive(Debug, Clone)]
pub struct PreparedSql<'a> {
    sql: String,
    binds: Vec<Bind<'a>>,
}

impl<'a> PreparedSql<'a> {
    pub fn new(sql: String, binds: Vec<Bind<'a>>) -> Self {
        Self { sql, binds }
    }

    /// The text before the first placeholder, then each placeholder's bind with the text that
    /// follows it, in the order PostgreSQL receives them: each `$n` of the text becomes the next
    /// parameter and takes `binds[n - 1]`.
    fn pieces(&self) -> diesel::QueryResult<(&str, Vec<(&Bind<'a>, &str)>)> {
        let mut parts = self.sql.split('$');
        let head = parts.next().unwrap_or_default();
        let tail = parts
            .map(|part| {
                let digits = part.bytes().take_while(u8::is_ascii_digit).count();
                let (number, text) = part.split_at(digits);
                number
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|index| self.binds.get(index))
                    .map(|bind| (bind, text))
                    .ok_or_else(|| {
                        diesel::result::Error::QueryBuilderError(
                            format!("placeholder ${number} has no bind").into(),
                        )
                    })
            })
            .collect::<diesel::QueryResult<_>>()?;
        Ok((head, tail))
    }
}

impl QueryFragment<Pg> for PreparedSql<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> diesel::QueryResult<()> {
        let (head, tail) = self.pieces()?;
        out.push_sql(head);
        for (bind, text) in tail {
            bind.push(&mut out)?;
            out.push_sql(text);
        }
        Ok(())
    }
}

impl QueryId for PreparedSql<'_> {
    type QueryId = ();
    // No static id: the statement cache keys the statement by its SQL text and bind types.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for PreparedSql<'_> {
    type SqlType = Untyped;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_placeholder_takes_its_bind_each_time() {
        let ids = [Uuid::nil()];
        let query = PreparedSql::new(
            "SELECT $1, $2 WHERE $2 > $1".into(),
            vec![Bind::Uuids(&ids), Bind::BigInt(7)],
        );
        let (head, tail) = query.pieces().expect("all placeholders bound");
        assert_eq!(head, "SELECT ");
        let tail: Vec<_> = tail
            .iter()
            .map(|(bind, text)| (matches!(bind, Bind::Uuids(_)), *text))
            .collect();
        assert_eq!(
            tail,
            [(true, ", "), (false, " WHERE "), (false, " > "), (true, "")]
        );
    }

    #[test]
    fn a_placeholder_without_a_bind_is_an_error_not_a_panic() {
        for sql in ["SELECT $3", "SELECT $0", "SELECT $x"] {
            let query = PreparedSql::new(sql.into(), vec![Bind::BigInt(1)]);
            assert!(query.pieces().is_err(), "{sql}");
        }
    }

    #[test]
    fn the_text_reaches_postgres_renumbered_in_order() {
        let query = PreparedSql::new(
            "SELECT $2::date, $1::bigint, $2::date".into(),
            vec![
                Bind::BigInt(1),
                Bind::Date(NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date")),
            ],
        );
        let sql = diesel::debug_query::<Pg, _>(&query).to_string();
        assert!(
            sql.starts_with("SELECT $1::date, $2::bigint, $3::date"),
            "{sql}"
        );
    }
}
