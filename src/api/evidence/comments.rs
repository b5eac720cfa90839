//! `POST` and `GET /api/v1/evidence/{id}/comments`: the conversation on a piece of evidence.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::idempotency::IdempotencyKey;
use crate::api::patient_data::refuse_nhs_numbers;
use crate::db::{audit, evidence_activity};
use crate::domain::identity::Role;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentAuthor {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentResponse {
    pub id: Uuid,
    pub body: String,
    pub author: CommentAuthor,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreateCommentRequest {
    /// 1–5,000 characters.
    pub body: String,
}

fn comment_response(c: evidence_activity::Comment) -> CommentResponse {
    CommentResponse {
        id: c.id,
        body: c.body,
        author: CommentAuthor {
            id: c.author_id,
            name: c.author_name,
            role: c.author_role,
        },
        created_at: c.created_at,
    }
}

/// Add a comment. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    params(crate::api::idempotency::IdempotencyHeader),
    request_body = CreateCommentRequest,
    responses(
        (status = 201, body = CommentResponse),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/evidence/{id}/comments")]
pub async fn create_comment(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    idempotency: IdempotencyKey,
    body: Json<CreateCommentRequest>,
) -> AppResult<HttpResponse> {
    let text = body.0.body.trim().to_string();
    match text.chars().count() {
        0 => return Err(AppError::invalid("body", "must not be empty")),
        1..=5000 => {}
        _ => {
            return Err(AppError::invalid(
                "body",
                "must be at most 5,000 characters",
            ));
        }
    }
    refuse_nhs_numbers(&[("body", &text)])?;
    let mut conn = db_conn(&state).await?;
    let (row, apprenticeship) = visible_evidence(&mut conn, &auth.actor, *id).await?;
    let created = conn
        .transaction(async |conn| {
            if let Some(replay) = idempotency.replay(conn, &auth, &body.0).await? {
                return Ok::<_, AppError>(replay);
            }
            let comment_id =
                evidence_activity::add_comment(conn, row.id, auth.actor.user_id, &text).await?;
            audit::record(
                conn,
                crate::api::audit_entry::entry(
                    &auth,
                    "evidence.commented",
                    "evidence",
                    row.id,
                    vec![apprenticeship.employer_id, apprenticeship.provider_id],
                    serde_json::json!({ "comment_id": comment_id }),
                ),
            )
            .await?;
            let comment = evidence_activity::comments(conn, row.id)
                .await?
                .into_iter()
                .find(|c| c.id == comment_id)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("comment just written")))?;
            idempotency
                .store(conn, &auth, StatusCode::CREATED, &comment_response(comment))
                .await
        })
        .await?;
    Ok(created.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<CommentResponse>,
}

/// The comment thread, oldest first.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses((status = 200, body = CommentList))
)]
#[get("/evidence/{id}/comments")]
pub async fn list_comments(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<CommentList>> {
    let mut conn = db_conn(&state).await?;
    let (row, _) = visible_evidence(&mut conn, &auth.actor, *id).await?;
    let items = evidence_activity::comments(&mut conn, row.id)
        .await?
        .into_iter()
        .map(comment_response)
        .collect();
    Ok(web::Json(CommentList { items }))
}
