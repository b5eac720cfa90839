//! `src/db/schema.rs` is written by hand (there is no `diesel print-schema` here), so it is
//! checked against what the migrations build: every table, column, type and nullability of a
//! freshly migrated database must be exactly what the schema file declares, and nothing more.

use std::collections::BTreeMap;

use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;

use crate::helpers::database::TestDatabase;

/// `table -> column -> (type, nullable)`, with PostgreSQL's type names (`udt_name`).
type Columns = BTreeMap<String, BTreeMap<String, (String, bool)>>;

/// The PostgreSQL type a diesel type name stands for: `Nullable<Int4>` is a nullable `int4`,
/// `Array<Nullable<Uuid>>` a `_uuid` (PostgreSQL array elements are always nullable).
fn postgres_type(diesel: &str) -> (String, bool) {
    let (inner, nullable) = match diesel.strip_prefix("Nullable<") {
        Some(rest) => (rest.trim_end_matches('>'), true),
        None => (diesel, false),
    };
    let name = match inner.strip_prefix("Array<") {
        Some(element) => format!(
            "_{}",
            element
                .trim_start_matches("Nullable<")
                .trim_end_matches('>')
                .to_lowercase()
        ),
        None if inner == "PgLsn" => "pg_lsn".to_string(),
        None => inner.to_lowercase(),
    };
    (name, nullable)
}

/// The tables and columns of `src/db/schema.rs`.
fn declared() -> Columns {
    let source = include_str!("../../src/db/schema.rs");
    let mut tables = Columns::new();
    for block in source.split("diesel::table! {").skip(1) {
        let body = block.split("\n}").next().unwrap_or_default();
        let mut lines = body.lines().map(str::trim).filter(|l| !l.is_empty());
        let header = lines.next().unwrap_or_default();
        let table = header
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        let columns = tables.entry(table).or_default();
        for line in lines {
            if let Some((column, diesel)) = line.trim_end_matches(',').split_once(" -> ") {
                columns.insert(column.trim().to_string(), postgres_type(diesel.trim()));
            }
        }
    }
    tables
}

#[derive(diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    udt_name: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

#[tokio::test]
async fn the_schema_file_declares_exactly_what_the_migrations_build() {
    let db = TestDatabase::new().await;
    let mut conn = db.connect().await;
    let rows: Vec<Column> = diesel::sql_query(
        "SELECT c.table_name::text, c.column_name::text, c.udt_name::text, c.is_nullable::text \
         FROM information_schema.columns c \
         JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
           AND c.table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .await
    .expect("information_schema");
    let mut migrated = Columns::new();
    for row in rows {
        migrated
            .entry(row.table_name)
            .or_default()
            .insert(row.column_name, (row.udt_name, row.is_nullable == "YES"));
    }
    let declared = declared();
    assert!(
        declared.len() > 10,
        "the schema file was read: {declared:?}"
    );
    let tables = |c: &Columns| c.keys().cloned().collect::<Vec<_>>();
    assert_eq!(tables(&declared), tables(&migrated), "tables");
    for (table, columns) in &migrated {
        assert_eq!(&declared[table], columns, "columns of {table}");
    }
}

#[test]
fn diesel_type_names_become_postgres_type_names() {
    assert_eq!(postgres_type("Int4"), ("int4".into(), false));
    assert_eq!(
        postgres_type("Nullable<Timestamptz>"),
        ("timestamptz".into(), true)
    );
    assert_eq!(
        postgres_type("Array<Nullable<Uuid>>"),
        ("_uuid".into(), false)
    );
}
