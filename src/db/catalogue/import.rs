//! Storing a [`StandardDocument`]: a new version whole, or new duty links for an existing one.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::{Standard, load_content};
use crate::db::schema::{duties, duty_ksbs, ksbs, standards};
use crate::domain::standard::StandardDocument;

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A standard version that was not there before.
    Created,
    /// The version existed with the same KSBs; its duty links and provenance were replaced.
    LinksReplaced,
    /// The version existed exactly as imported.
    Unchanged,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "{reference} v{version} already exists with different KSBs ({details}). KSB texts never change \
         under a published version: import it as a new version."
    )]
    KsbsChanged {
        reference: String,
        version: String,
        details: String,
    },
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Stores a standard version in one transaction: creates it, or replaces the duty links of an
/// existing version whose KSBs are identical. Evidence points at KSB rows, which are kept.
pub async fn import(
    conn: &mut AsyncPgConnection,
    doc: &StandardDocument,
) -> Result<ImportOutcome, ImportError> {
    conn.transaction(async |conn| {
        let existing: Option<Standard> = standards::table
            .filter(standards::reference.eq(&doc.reference))
            .filter(standards::version.eq(&doc.version))
            .select(Standard::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?;
        match existing {
            None => {
                create(conn, doc).await?;
                Ok(ImportOutcome::Created)
            }
            Some(standard) => replace_links(conn, &standard, doc).await,
        }
    })
    .await
}

/// Inserts the standard only when that version is absent. Used for the bundled catalogue at
/// start-up, so a later official mapping is never overwritten by the provisional one.
pub async fn ensure_present(
    conn: &mut AsyncPgConnection,
    doc: &StandardDocument,
) -> Result<ImportOutcome, ImportError> {
    let present: i64 = standards::table
        .filter(standards::reference.eq(&doc.reference))
        .filter(standards::version.eq(&doc.version))
        .count()
        .get_result(conn)
        .await?;
    if present > 0 {
        return Ok(ImportOutcome::Unchanged);
    }
    match import(conn, doc).await {
        // Two processes starting at once: the other one inserted it first.
        Err(ImportError::Database(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Ok(ImportOutcome::Unchanged),
        other => other,
    }
}

async fn create(conn: &mut AsyncPgConnection, doc: &StandardDocument) -> QueryResult<()> {
    let standard_id: Uuid = diesel::insert_into(standards::table)
        .values((
            standards::reference.eq(&doc.reference),
            standards::version.eq(&doc.version),
            standards::title.eq(&doc.title),
            standards::level.eq(doc.level),
            standards::source.eq(&doc.source),
            standards::mapping_status.eq(doc.mapping.status.as_str()),
            standards::mapping_note.eq(&doc.mapping.note),
            standards::mapping_source.eq(&doc.mapping.source),
            standards::minimum_otj_hours.eq(doc.minimum_otj_hours),
        ))
        .returning(standards::id)
        .get_result(conn)
        .await?;
    let rows: Vec<_> = doc
        .ksbs
        .iter()
        .enumerate()
        .map(|(i, k)| {
            (
                ksbs::standard_id.eq(standard_id),
                ksbs::code.eq(&k.code),
                ksbs::kind.eq(k.kind.as_str()),
                ksbs::text.eq(&k.text),
                ksbs::position.eq(position(i)),
            )
        })
        .collect();
    diesel::insert_into(ksbs::table)
        .values(&rows)
        .execute(conn)
        .await?;
    insert_duties_and_links(conn, standard_id, doc).await
}

async fn insert_duties_and_links(
    conn: &mut AsyncPgConnection,
    standard_id: Uuid,
    doc: &StandardDocument,
) -> QueryResult<()> {
    let rows: Vec<_> = doc
        .duties
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                duties::standard_id.eq(standard_id),
                duties::code.eq(&d.code),
                duties::text.eq(&d.text),
                duties::position.eq(position(i)),
            )
        })
        .collect();
    let duty_ids: HashMap<String, Uuid> = diesel::insert_into(duties::table)
        .values(&rows)
        .returning((duties::code, duties::id))
        .get_results::<(String, Uuid)>(conn)
        .await?
        .into_iter()
        .collect();
    let ksb_ids: HashMap<String, Uuid> = ksbs::table
        .filter(ksbs::standard_id.eq(standard_id))
        .select((ksbs::code, ksbs::id))
        .load::<(String, Uuid)>(conn)
        .await?
        .into_iter()
        .collect();
    let links: Vec<_> = doc
        .duties
        .iter()
        .flat_map(|d| d.ksbs.iter().map(move |k| (&d.code, k)))
        .filter_map(|(d, k)| {
            Some((
                duty_ksbs::duty_id.eq(*duty_ids.get(d)?),
                duty_ksbs::ksb_id.eq(*ksb_ids.get(k)?),
            ))
        })
        .collect();
    diesel::insert_into(duty_ksbs::table)
        .values(&links)
        .execute(conn)
        .await?;
    Ok(())
}

async fn replace_links(
    conn: &mut AsyncPgConnection,
    standard: &Standard,
    doc: &StandardDocument,
) -> Result<ImportOutcome, ImportError> {
    let stored = load_content(conn, standard.clone()).await?;
    let expected = doc.ksb_texts();
    let mut differences = Vec::new();
    for ksb in &stored.ksbs {
        match expected.get(ksb.code.as_str()) {
            None => differences.push(format!("{} is missing", ksb.code)),
            Some((kind, text)) if kind.as_str() != ksb.kind || *text != ksb.text => {
                differences.push(format!("{} differs", ksb.code))
            }
            Some(_) => {}
        }
    }
    for code in expected.keys() {
        if !stored.ksbs.iter().any(|k| k.code == *code) {
            differences.push(format!("{code} is new"));
        }
    }
    if !differences.is_empty() {
        differences.sort();
        return Err(ImportError::KsbsChanged {
            reference: doc.reference.clone(),
            version: doc.version.clone(),
            details: differences.join(", "),
        });
    }

    let stored_links: BTreeSet<(String, String)> = stored.links.iter().cloned().collect();
    let stored_duties: Vec<(&str, &str)> = stored
        .duties
        .iter()
        .map(|d| (d.code.as_str(), d.text.as_str()))
        .collect();
    let new_duties: Vec<(&str, &str)> = doc
        .duties
        .iter()
        .map(|d| (d.code.as_str(), d.text.as_str()))
        .collect();
    if stored_links == doc.links()
        && stored_duties == new_duties
        && standard.mapping_status == doc.mapping.status.as_str()
    {
        return Ok(ImportOutcome::Unchanged);
    }

    // Changes to portfolios move duty progress by delta: let those in flight finish, and hold
    // new ones until the new links and the progress recomputed from them are committed.
    diesel::sql_query("LOCK TABLE ksb_statuses IN SHARE MODE")
        .execute(conn)
        .await?;
    // Duties carry no evidence, so they are rebuilt whole; KSB rows (and all evidence) stay.
    diesel::delete(duties::table.filter(duties::standard_id.eq(standard.id)))
        .execute(conn)
        .await?;
    insert_duties_and_links(conn, standard.id, doc).await?;
    // The new links regroup the same KSB statuses into duties.
    crate::db::progress::refresh(
        conn,
        crate::db::progress::ProgressScope::Standard(standard.id),
        false,
    )
    .await?;
    diesel::update(standards::table.find(standard.id))
        .set((
            standards::mapping_status.eq(doc.mapping.status.as_str()),
            standards::mapping_note.eq(&doc.mapping.note),
            standards::mapping_source.eq(&doc.mapping.source),
            standards::mapping_updated_at.eq(diesel::dsl::now),
            // A record without a minimum leaves the one an administrator set.
            standards::minimum_otj_hours.eq(doc.minimum_otj_hours.or(standard.minimum_otj_hours)),
        ))
        .execute(conn)
        .await?;
    Ok(ImportOutcome::LinksReplaced)
}

fn position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}
