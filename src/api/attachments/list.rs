//! `GET /api/v1/evidence/{id}/attachments`: the files attached to a piece of evidence.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::AttachmentResponse;
use crate::api::access::visible_evidence;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::db::attachments::{self};
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct AttachmentList {
    pub items: Vec<AttachmentResponse>,
}

/// The attachments of a piece of evidence.
#[utoipa::path(
    tag = "evidence",
    security(("bearer" = [])),
    responses((status = 200, body = AttachmentList))
)]
#[get("/evidence/{id}/attachments")]
pub async fn list_attachments(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<web::Json<AttachmentList>> {
    let mut conn = db_conn(&state).await?;
    let (row, _) = visible_evidence(&mut conn, &auth.actor, *id).await?;
    let items = attachments::list(&mut conn, row.id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(web::Json(AttachmentList { items }))
}
