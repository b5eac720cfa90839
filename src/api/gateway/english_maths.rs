//! `PUT /api/v1/apprenticeships/{id}/english-maths`: provider staff record English and maths as
//! pending, achieved or exempt (a gateway check).

use actix_web::{put, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{GatewayResponse, ensure_open, readiness, response};
use crate::api::access::visible_apprenticeship;
use crate::api::audit_entry::entry;
use crate::api::authenticated::Authenticated;
use crate::api::connection::db_conn;
use crate::api::extract::Json;
use crate::api::patient_data::refuse_nhs_numbers;
use crate::api::reviews::organisations;
use crate::db::audit;
use crate::db::gateway as db_gateway;
use crate::domain::gateway::FunctionalSkillStatus;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// At most this many characters in the note.
const NOTE_MAX: usize = 2000;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EnglishMathsRequest {
    pub english: FunctionalSkillStatus,
    pub maths: FunctionalSkillStatus,
    /// How it was achieved or why exempt (certificate, prior qualification); up to 2,000
    /// characters, no patient data.
    #[serde(default)]
    pub note: String,
}

/// Record English and maths (replacing the earlier record; audited with old and new values).
/// Staff of the apprenticeship's provider; refused while the portfolio is frozen at gateway.
#[utoipa::path(
    tag = "gateway",
    security(("bearer" = [])),
    request_body = EnglishMathsRequest,
    responses(
        (status = 200, body = GatewayResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "at gateway", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/apprenticeships/{id}/english-maths")]
pub async fn put_english_maths(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
    body: Json<EnglishMathsRequest>,
) -> AppResult<web::Json<GatewayResponse>> {
    let mut conn = db_conn(&state).await?;
    let apprenticeship = visible_apprenticeship(&mut conn, &auth.actor, *id).await?;
    policy::manage_gateway(&auth.actor, &apprenticeship.parties())?;
    let input = body.0;
    let note = input.note.trim().to_string();
    if note.chars().count() > NOTE_MAX {
        return Err(AppError::invalid(
            "note",
            "must be at most 2,000 characters",
        ));
    }
    refuse_nhs_numbers(&[("note", &note)])?;
    let dto = conn
        .transaction(async |conn| {
            ensure_open(conn, apprenticeship.id).await?;
            let before = db_gateway::english_maths(&*conn, apprenticeship.id).await?;
            db_gateway::put_english_maths(
                conn,
                apprenticeship.id,
                input.english,
                input.maths,
                &note,
                auth.actor.user_id,
            )
            .await?;
            audit::record(
                conn,
                entry(
                    &auth,
                    "apprenticeship.english_maths_recorded",
                    "apprenticeship",
                    apprenticeship.id,
                    organisations(&apprenticeship),
                    serde_json::json!({
                        "english": {
                            "old": before.as_ref().map(|b| b.english.as_str()),
                            "new": input.english.as_str(),
                        },
                        "maths": {
                            "old": before.as_ref().map(|b| b.maths.as_str()),
                            "new": input.maths.as_str(),
                        },
                    }),
                ),
            )
            .await?;
            let after = readiness(&state, conn, &apprenticeship).await?;
            response(conn, &apprenticeship, after).await
        })
        .await?;
    Ok(web::Json(dto))
}
