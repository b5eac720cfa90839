//! The catalogue as the busy endpoints need it — a standard's KSBs by id and by code, its duties
//! with their KSB codes — kept in process memory, so coverage, logging evidence and sign-off do
//! not read the catalogue tables on every request.
//!
//! Nothing here is state another node needs: every entry is checked against the standard's
//! `mapping_updated_at`, which moves with every change to a stored standard (an import that
//! replaces its duty links; KSBs never change under a version) and which arrives with the
//! apprenticeship row at no extra query ([`crate::db::apprenticeships::Apprenticeship`]). A
//! mapping imported by another process is therefore used from the next request on.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::{Standard, find_by_id, load_content};
use crate::domain::coverage::DutyDef;
use crate::domain::standard::KsbKind;

/// One KSB of a cached standard.
#[derive(Debug, Clone)]
pub struct CachedKsb {
    /// Place in the standard's order (0 for the first).
    pub position: usize,
    pub id: Uuid,
    pub code: String,
    pub kind: KsbKind,
}

/// A standard with its KSBs (in standard order) and duties, as stored at `standard.mapping_updated_at`.
#[derive(Debug)]
pub struct CachedStandard {
    pub standard: Standard,
    pub ksbs: Vec<CachedKsb>,
    pub duties: Vec<DutyDef>,
    by_code: HashMap<String, usize>,
    by_id: HashMap<Uuid, usize>,
}

impl CachedStandard {
    /// The KSB with this code (already trimmed and upper-cased), if the standard has it.
    pub fn ksb_by_code(&self, code: &str) -> Option<&CachedKsb> {
        self.by_code.get(code).map(|&i| &self.ksbs[i])
    }

    /// The KSB row with this id.
    pub fn ksb_by_id(&self, id: Uuid) -> Option<&CachedKsb> {
        self.by_id.get(&id).map(|&i| &self.ksbs[i])
    }
}

/// Cached standards by id. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct CatalogueCache {
    entries: Arc<RwLock<HashMap<Uuid, Arc<CachedStandard>>>>,
}

impl CatalogueCache {
    /// The standard as stored at `stamp` (its `mapping_updated_at`, read with the row that
    /// names it): from memory when the cached copy has that stamp, else loaded and kept.
    /// `None` when there is no such standard.
    pub async fn standard(
        &self,
        conn: &mut AsyncPgConnection,
        id: Uuid,
        stamp: DateTime<Utc>,
    ) -> QueryResult<Option<Arc<CachedStandard>>> {
        if let Some(hit) = self
            .cached(id)
            .filter(|c| c.standard.mapping_updated_at == stamp)
        {
            return Ok(Some(hit));
        }
        let Some(standard) = find_by_id(conn, id).await? else {
            return Ok(None);
        };
        let loaded = Arc::new(build(load_content(conn, standard).await?));
        // Keep the newest copy: a slower request may bring back an older one.
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        let keep = entries.get(&id).is_none_or(|old| {
            old.standard.mapping_updated_at <= loaded.standard.mapping_updated_at
        });
        if keep {
            entries.insert(id, loaded.clone());
        }
        Ok(Some(loaded))
    }

    fn cached(&self, id: Uuid) -> Option<Arc<CachedStandard>> {
        self.entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    }
}

fn build(content: super::StandardWithContent) -> CachedStandard {
    let ksbs: Vec<CachedKsb> = content
        .ksbs
        .iter()
        .enumerate()
        .map(|(position, k)| CachedKsb {
            position,
            id: k.id,
            code: k.code.clone(),
            kind: k.kind(),
        })
        .collect();
    let mut duties: Vec<DutyDef> = content
        .duties
        .iter()
        .map(|d| DutyDef {
            code: d.code.clone(),
            text: d.text.clone(),
            ksbs: Vec::new(),
        })
        .collect();
    // Links come in duty then KSB order.
    for (duty, ksb) in content.links {
        if let Some(d) = duties.iter_mut().find(|d| d.code == duty) {
            d.ksbs.push(ksb);
        }
    }
    CachedStandard {
        by_code: ksbs
            .iter()
            .enumerate()
            .map(|(i, k)| (k.code.clone(), i))
            .collect(),
        by_id: ksbs.iter().enumerate().map(|(i, k)| (k.id, i)).collect(),
        ksbs,
        duties,
        standard: content.standard,
    }
}
