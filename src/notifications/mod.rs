//! Who is told about what. Each function here is called by a handler in the transaction of the
//! change it reports, next to the audit row, and writes the outbox rows (`db::outbox`) for the
//! people who hold the next step; the person who made the change is never told about it. The
//! delivery worker (`worker`) sends them; the scheduled jobs (`schedule`) write review
//! reminders and daily digests.

pub mod render;
pub mod schedule;
pub mod worker;

use chrono::NaiveDate;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use serde_json::json;
use uuid::Uuid;

use crate::db::apprenticeships::Apprenticeship;
use crate::db::evidence::Evidence;
use crate::db::outbox::{self, NewMessage};
use crate::domain::evidence::EvidenceStatus;
use crate::domain::notifications::Kind;
use crate::domain::review::ReviewParty;

/// The people of one apprenticeship who may be told about it.
#[derive(Debug, Clone, Copy)]
pub struct People {
    pub apprenticeship_id: Uuid,
    pub apprentice_id: Uuid,
    pub mentor_id: Uuid,
    pub tutor_id: Uuid,
}

impl From<&Apprenticeship> for People {
    fn from(a: &Apprenticeship) -> Self {
        Self {
            apprenticeship_id: a.id,
            apprentice_id: a.apprentice_id,
            mentor_id: a.mentor_id,
            tutor_id: a.tutor_id,
        }
    }
}

impl People {
    /// The person who signs a review for each party.
    fn signer(&self, party: ReviewParty) -> Uuid {
        match party {
            ReviewParty::Apprentice => self.apprentice_id,
            ReviewParty::Employer => self.mentor_id,
            ReviewParty::Provider => self.tutor_id,
        }
    }
}

/// Messages about an apprenticeship to `recipients` (each once), leaving out `actor`.
fn messages(
    actor: Uuid,
    people: People,
    recipients: &[Uuid],
    kind: Kind,
    path: String,
    mut payload: serde_json::Value,
) -> Vec<NewMessage> {
    if let Some(fields) = payload.as_object_mut() {
        fields.insert("apprenticeship_id".into(), json!(people.apprenticeship_id));
        fields.insert("apprentice_id".into(), json!(people.apprentice_id));
        fields.insert("path".into(), json!(path));
    }
    let mut seen: Vec<Uuid> = Vec::new();
    let mut out = Vec::new();
    for id in recipients {
        if *id == actor || seen.contains(id) {
            continue;
        }
        seen.push(*id);
        out.push(NewMessage {
            recipient_id: *id,
            kind,
            payload: payload.clone(),
        });
    }
    out
}

async fn tell(
    conn: &AsyncPgConnection,
    actor: Uuid,
    apprenticeship: &Apprenticeship,
    recipients: &[Uuid],
    kind: Kind,
    path: String,
    payload: serde_json::Value,
) -> QueryResult<()> {
    let people = People::from(apprenticeship);
    outbox::enqueue(
        conn,
        &messages(actor, people, recipients, kind, path, payload),
    )
    .await
}

/// Evidence moved to `to`: submitted → the tutor; sent back or accepted → the apprentice.
pub async fn evidence_moved(
    conn: &AsyncPgConnection,
    actor: Uuid,
    apprenticeship: &Apprenticeship,
    evidence: &Evidence,
    to: EvidenceStatus,
) -> QueryResult<()> {
    let (recipient, kind, path) = match to {
        EvidenceStatus::Submitted => (
            apprenticeship.tutor_id,
            Kind::EvidenceSubmitted,
            format!("/evidence/{}/review", evidence.id),
        ),
        EvidenceStatus::ChangesRequested => (
            apprenticeship.apprentice_id,
            Kind::ChangesRequested,
            format!("/evidence/{}", evidence.id),
        ),
        EvidenceStatus::Accepted => (
            apprenticeship.apprentice_id,
            Kind::EvidenceAccepted,
            format!("/evidence/{}", evidence.id),
        ),
        _ => return Ok(()),
    };
    let payload = json!({ "evidence_id": evidence.id, "title": evidence.title });
    tell(
        conn,
        actor,
        apprenticeship,
        &[recipient],
        kind,
        path,
        payload,
    )
    .await
}

/// KSBs became `evidenced`: the mentor may sign them off.
pub async fn ksbs_evidenced(
    conn: &AsyncPgConnection,
    actor: Uuid,
    apprenticeship: &Apprenticeship,
    codes: &[String],
) -> QueryResult<()> {
    let path = match codes {
        [] => return Ok(()),
        [code] => format!("/apprenticeships/{}/ksbs/{code}", apprenticeship.id),
        _ => "/signoff-queue".to_string(),
    };
    let payload = json!({ "codes": codes });
    let mentor = [apprenticeship.mentor_id];
    tell(
        conn,
        actor,
        apprenticeship,
        &mentor,
        Kind::KsbEvidenced,
        path,
        payload,
    )
    .await
}

/// A review was recorded or reopened: each party in `unsigned` is asked to sign it.
pub async fn review_to_sign(
    conn: &AsyncPgConnection,
    actor: Uuid,
    apprenticeship: &Apprenticeship,
    review_id: Uuid,
    held_on: NaiveDate,
    unsigned: &[ReviewParty],
) -> QueryResult<()> {
    let people = People::from(apprenticeship);
    let recipients: Vec<Uuid> = unsigned.iter().map(|party| people.signer(*party)).collect();
    let path = format!("/apprenticeships/{}/reviews", apprenticeship.id);
    let payload = json!({ "review_id": review_id, "held_on": held_on });
    tell(
        conn,
        actor,
        apprenticeship,
        &recipients,
        Kind::ReviewToSign,
        path,
        payload,
    )
    .await
}

/// An off-the-job training entry was reviewed: a rejected one goes back to the apprentice.
pub async fn otj_reviewed(
    conn: &AsyncPgConnection,
    actor: Uuid,
    apprenticeship: &Apprenticeship,
    entry: &crate::db::otj::OtjEntry,
) -> QueryResult<()> {
    if entry.status != crate::domain::otj::OtjStatus::Rejected {
        return Ok(());
    }
    let path = format!("/apprenticeships/{}/otj", apprenticeship.id);
    let payload = json!({
        "entry_id": entry.id,
        "occurred_on": entry.occurred_on,
        "reason": entry.rejection_reason,
    });
    let apprentice = [apprenticeship.apprentice_id];
    tell(
        conn,
        actor,
        apprenticeship,
        &apprentice,
        Kind::OtjRejected,
        path,
        payload,
    )
    .await
}

/// A review deadline reached a reminder threshold: the apprentice, mentor and tutor are told.
pub fn review_reminder(people: People, kind: Kind, due_by: NaiveDate) -> Vec<NewMessage> {
    let everyone: Vec<Uuid> = ReviewParty::ALL.iter().map(|p| people.signer(*p)).collect();
    let path = format!("/apprenticeships/{}/reviews", people.apprenticeship_id);
    let payload = json!({ "due_by": due_by });
    messages(Uuid::nil(), people, &everyone, kind, path, payload)
}
