//! The gateway: readiness computed from the portfolio (`get.rs`), the three declarations and
//! their withdrawal (`declare.rs`), English and maths (`english_maths.rs`), and the freeze that
//! every portfolio change checks ([`ensure_open`]). The rules are in `domain::gateway`.

pub mod declare;
pub mod english_maths;
pub mod get;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::catalogue::standard_of;
use crate::api::references::PersonName;
use crate::db::apprenticeships::Apprenticeship;
use crate::db::gateway::{self as db_gateway, DeclarationRow, EnglishMathsRow};
use crate::db::{ksb_statuses, users};
use crate::domain::calendar;
use crate::domain::coverage::KsbStatus;
use crate::domain::gateway::{
    self, DeclarationFact, FunctionalSkillStatus, GatewayCheck, GatewayState, KsbFact,
    ReadinessFacts,
};
use crate::domain::review::{self, ReviewParty};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationResponse {
    pub id: Uuid,
    pub role: ReviewParty,
    pub signer: PersonName,
    pub signed_at: DateTime<Utc>,
    /// The SHA-256 of the readiness result and the portfolio index when it was made.
    pub content_sha256: String,
    /// Made on the portfolio as it is now, and not voided.
    pub current: bool,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnglishMathsResponse {
    pub english: FunctionalSkillStatus,
    pub maths: FunctionalSkillStatus,
    pub note: String,
    pub recorded_by: PersonName,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GatewayResponse {
    pub apprenticeship_id: Uuid,
    /// Every check is met.
    pub ready: bool,
    pub state: GatewayState,
    /// When the third declaration froze the portfolio; `null` when not at gateway.
    pub declared_at: Option<DateTime<Utc>>,
    pub checks: Vec<GatewayCheck>,
    /// Who declares next (`provider`, then `apprentice`, then `employer`); `null` once declared.
    pub next_to_declare: Option<ReviewParty>,
    /// Every declaration, voided ones too, oldest first.
    pub declarations: Vec<DeclarationResponse>,
    /// `null` until provider staff record it (both count as pending).
    pub english_maths: Option<EnglishMathsResponse>,
    /// What a declaration made now would attest.
    pub content_sha256: String,
}

/// The readiness of one apprenticeship, with what it was computed from.
pub struct Readiness {
    pub checks: Vec<GatewayCheck>,
    pub content_sha256: String,
    pub declarations: Vec<DeclarationRow>,
    pub english_maths: Option<EnglishMathsRow>,
    pub declared_at: Option<DateTime<Utc>>,
}

impl Readiness {
    /// The live declarations as the rules see them, with the signers' names from `names`.
    pub fn live(&self, names: &HashMap<Uuid, String>) -> Vec<DeclarationFact> {
        self.declarations
            .iter()
            .filter(|d| d.voided_at.is_none())
            .map(|d| DeclarationFact {
                role: d.role,
                signer_name: names.get(&d.signer_id).cloned().unwrap_or_default(),
                content_sha256: d.content_sha256.clone(),
            })
            .collect()
    }
}

/// Computes readiness from the kept figures: the apprenticeship's KSB statuses, English and
/// maths, the declarations, the portfolio index and the freeze in one pipelined round trip, the catalogue
/// from the cache.
pub async fn readiness(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    apprenticeship: &Apprenticeship,
) -> AppResult<Readiness> {
    let (statuses, english_maths, declarations, index, declared_at) = futures_util::try_join!(
        ksb_statuses::of_apprenticeship(&*conn, apprenticeship.id),
        db_gateway::english_maths(&*conn, apprenticeship.id),
        db_gateway::declarations(&*conn, apprenticeship.id),
        db_gateway::evidence_index(&*conn, apprenticeship.id),
        db_gateway::declared_at(&*conn, apprenticeship.id),
    )?;
    let catalogue = standard_of(state, conn, apprenticeship).await?;
    let mut status_of: HashMap<Uuid, KsbStatus> = HashMap::with_capacity(statuses.len());
    for row in &statuses {
        status_of.insert(row.ksb_id, row.status);
    }
    let mut ksbs: Vec<&_> = catalogue.ksbs.iter().collect();
    ksbs.sort_unstable_by_key(|k| k.position);
    let (english, maths) = match &english_maths {
        Some(row) => (row.english, row.maths),
        None => (
            FunctionalSkillStatus::Pending,
            FunctionalSkillStatus::Pending,
        ),
    };
    let today = calendar::today();
    let facts = ReadinessFacts {
        ksbs: ksbs
            .into_iter()
            .map(|k| KsbFact {
                code: k.code.clone(),
                kind: k.kind,
                // A KSB with no kept row has nothing mapped to it yet.
                status: status_of
                    .get(&k.id)
                    .copied()
                    .unwrap_or(KsbStatus::NotStarted),
            })
            .collect(),
        planned_otj_minutes: apprenticeship.planned_otj_hours.map(|h| i64::from(h) * 60),
        approved_otj_minutes: apprenticeship.otj_approved_minutes,
        review_state: review::review_state(apprenticeship.next_review_due_by, today),
        next_review_due_by: apprenticeship.next_review_due_by,
        unsigned_reviews: apprenticeship.unsigned_reviews,
        english,
        maths,
    };
    let checks = gateway::checks(&facts);
    let content_sha256 = gateway::declaration_sha256(apprenticeship.id, &checks, &index);
    Ok(Readiness {
        checks,
        content_sha256,
        declarations,
        english_maths,
        declared_at,
    })
}

/// The people a readiness names: the declarers and whoever recorded English and maths.
pub fn people(readiness: &Readiness) -> Vec<Uuid> {
    let mut people: Vec<Uuid> = readiness.declarations.iter().map(|d| d.signer_id).collect();
    people.extend(readiness.english_maths.iter().map(|e| e.recorded_by));
    people.sort_unstable();
    people.dedup();
    people
}

/// The response for a computed readiness (one more statement: the people's names).
pub async fn response(
    conn: &mut AsyncPgConnection,
    apprenticeship: &Apprenticeship,
    readiness: Readiness,
) -> AppResult<GatewayResponse> {
    let names = users::names(&*conn, &people(&readiness)).await?;
    let person = |id: Uuid| PersonName {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    let live = readiness.live(&names);
    let state = if readiness.declared_at.is_some() {
        GatewayState::Declared
    } else {
        gateway::state(&readiness.checks, &live, &readiness.content_sha256)
    };
    let next_to_declare = match state {
        GatewayState::Declared => None,
        _ => gateway::DECLARATION_ORDER.iter().copied().find(|role| {
            !gateway::current(&live, &readiness.content_sha256).any(|d| d.role == *role)
        }),
    };
    let declarations = readiness
        .declarations
        .iter()
        .map(|d| {
            Ok(DeclarationResponse {
                id: d.id,
                role: d.role,
                signer: person(d.signer_id),
                signed_at: d.signed_at,
                content_sha256: d.content_sha256.clone(),
                current: d.voided_at.is_none()
                    && (readiness.declared_at.is_some()
                        || d.content_sha256 == readiness.content_sha256),
                voided_at: d.voided_at,
                void_reason: d.void_reason.clone(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let english_maths = readiness
        .english_maths
        .as_ref()
        .map(|row| EnglishMathsResponse {
            english: row.english,
            maths: row.maths,
            note: row.note.clone(),
            recorded_by: person(row.recorded_by),
            recorded_at: row.recorded_at,
        });
    Ok(GatewayResponse {
        apprenticeship_id: apprenticeship.id,
        ready: readiness.checks.iter().all(|c| c.met),
        state,
        declared_at: readiness.declared_at,
        checks: readiness.checks,
        next_to_declare,
        declarations,
        english_maths,
        content_sha256: readiness.content_sha256,
    })
}

/// The 409 of a change to a frozen portfolio.
pub fn frozen(declared_at: DateTime<Utc>) -> AppError {
    AppError::conflict(
        "at_gateway",
        format!(
            "The apprentice is at gateway (declared on {}), so the portfolio is frozen. Staff of \
             the training provider can withdraw the declaration if something must change.",
            declared_at.format("%-d %B %Y")
        ),
    )
}

/// The 409 of a change to the portfolio of an enrolment that ended as `transferred`.
pub fn transferred() -> AppError {
    AppError::conflict(
        "transferred",
        "The apprentice moved to another training provider and this portfolio continues in the \
         apprenticeship it was imported into; this one is kept read-only as history.",
    )
}

/// Locks the apprenticeship's row for the rest of the transaction and refuses (409) once the
/// enrolment ended as `transferred`: what changes outside the frozen portfolio (reviews, breaks)
/// call before writing.
pub async fn ensure_active(conn: &mut AsyncPgConnection, apprenticeship_id: Uuid) -> AppResult<()> {
    match db_gateway::lock_and_read_standing(conn, apprenticeship_id).await? {
        (_, status) if !status.is_open() => Err(transferred()),
        _ => Ok(()),
    }
}

/// Locks the apprenticeship's row for the rest of the transaction and refuses (409) while the
/// portfolio is frozen at gateway, or for good once the enrolment ended as `transferred`. Every
/// change to evidence, OTJ time and sign-offs calls this inside its transaction, before writing.
pub async fn ensure_open(conn: &mut AsyncPgConnection, apprenticeship_id: Uuid) -> AppResult<()> {
    match db_gateway::lock_and_read_standing(conn, apprenticeship_id).await? {
        (_, status) if !status.is_open() => Err(transferred()),
        (Some(declared_at), _) => Err(frozen(declared_at)),
        (None, _) => Ok(()),
    }
}
