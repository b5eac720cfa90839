//! The audit row of a change made through the API: who (the caller, or a person identified
//! otherwise, such as by a password link), which request, and which organisations it concerns.

use actix_web::{HttpMessage, HttpRequest};
use uuid::Uuid;

use crate::api::authenticated::Authenticated;
use crate::api::middleware::RequestId;
use crate::db::audit::AuditEntry;

/// The id of this request, for the audit row.
pub fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
}

/// An audit entry for a change made by the authenticated caller.
pub fn entry<'a>(
    auth: &'a Authenticated,
    action: &'a str,
    entity_type: &'a str,
    entity_id: impl ToString,
    organisation_ids: Vec<Uuid>,
    summary: serde_json::Value,
) -> AuditEntry<'a> {
    AuditEntry::new(action, entity_type, entity_id)
        .by(Some(auth.actor.user_id), auth.request_id.as_deref())
        .concerning(organisation_ids)
        .summary(summary)
}
