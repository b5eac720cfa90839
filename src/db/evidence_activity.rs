//! What happens around a piece of evidence: reviews and comments.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{evidence_comments, evidence_reviews, users};
use crate::domain::evidence::Decision;
use crate::domain::identity::Role;

#[derive(Debug, Clone, Queryable)]
pub struct Review {
    pub id: Uuid,
    pub evidence_id: Uuid,
    pub decision: Decision,
    pub feedback: String,
    pub reviewer_id: Uuid,
    pub reviewer_name: String,
    pub created_at: DateTime<Utc>,
}

pub async fn add_review(
    conn: &mut AsyncPgConnection,
    evidence_id: Uuid,
    reviewer_id: Uuid,
    decision: &str,
    feedback: &str,
) -> QueryResult<Uuid> {
    diesel::insert_into(evidence_reviews::table)
        .values((
            evidence_reviews::evidence_id.eq(evidence_id),
            evidence_reviews::reviewer_id.eq(reviewer_id),
            evidence_reviews::decision.eq(decision),
            evidence_reviews::feedback.eq(feedback),
        ))
        .returning(evidence_reviews::id)
        .get_result(conn)
        .await
}

/// Reviews of several pieces of evidence, oldest first, in one query.
pub async fn reviews(
    conn: &mut AsyncPgConnection,
    evidence_ids: &[Uuid],
) -> QueryResult<Vec<Review>> {
    evidence_reviews::table
        .inner_join(users::table)
        .filter(evidence_reviews::evidence_id.eq_any(evidence_ids))
        .order((evidence_reviews::created_at, evidence_reviews::id))
        .select((
            evidence_reviews::id,
            evidence_reviews::evidence_id,
            evidence_reviews::decision,
            evidence_reviews::feedback,
            evidence_reviews::reviewer_id,
            users::name,
            evidence_reviews::created_at,
        ))
        .load(conn)
        .await
}

#[derive(Debug, Clone, Queryable)]
pub struct Comment {
    pub id: Uuid,
    pub body: String,
    pub author_id: Uuid,
    pub author_name: String,
    pub author_role: Role,
    pub created_at: DateTime<Utc>,
}

pub async fn add_comment(
    conn: &mut AsyncPgConnection,
    evidence_id: Uuid,
    author_id: Uuid,
    body: &str,
) -> QueryResult<Uuid> {
    diesel::insert_into(evidence_comments::table)
        .values((
            evidence_comments::evidence_id.eq(evidence_id),
            evidence_comments::author_id.eq(author_id),
            evidence_comments::body.eq(body),
        ))
        .returning(evidence_comments::id)
        .get_result(conn)
        .await
}

/// The thread, oldest first.
pub async fn comments(
    conn: &mut AsyncPgConnection,
    evidence_id: Uuid,
) -> QueryResult<Vec<Comment>> {
    evidence_comments::table
        .inner_join(users::table)
        .filter(evidence_comments::evidence_id.eq(evidence_id))
        .order((evidence_comments::created_at, evidence_comments::id))
        .select((
            evidence_comments::id,
            evidence_comments::body,
            evidence_comments::author_id,
            users::name,
            users::role,
            evidence_comments::created_at,
        ))
        .load(conn)
        .await
}
