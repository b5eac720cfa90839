//! The rules of the portfolio as pure functions over plain data: no HTTP, no SQL.

pub mod attachment_type;
pub mod breaks;
pub mod calendar;
pub mod coverage;
pub mod document_text;
pub mod enrolment;
pub mod evidence;
pub mod evidenced_at;
pub mod gateway;
pub mod identity;
pub mod inbox;
pub mod labels;
pub mod nhs_number;
pub mod notifications;
pub mod otj;
pub mod plan;
pub mod policy;
pub mod review;
pub mod scope;
pub mod signoff;
pub mod standard;
pub mod standard_formats;
pub mod status_delta;
pub mod text;
