//! Liveness and readiness probes.

use std::collections::HashSet;

use actix_web::{HttpResponse, get, web};
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the process answers.
    pub status: &'static str,
}

/// The process is alive. Never touches the database.
#[utoipa::path(tag = "health", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

#[derive(diesel::QueryableByName)]
struct MigrationRow {
    #[diesel(sql_type = Text)]
    version: String,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ok`: the primary answers and is migrated.
    pub status: &'static str,
    /// Only with DATABASE_READ_URL: the read replica as checked now. Not `ok` never makes the
    /// probe fail: reads then go to the primary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica: Option<crate::db::replica::ReplicaState>,
}

/// The database answers and every migration compiled into this binary has been applied; with a
/// read replica configured, also how the replica is (`ok`, `lagging`, `down`), which does not
/// decide readiness.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, body = Readiness),
        (status = 503, description = "database unreachable or migrations pending", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let unavailable = |why: &str| AppError::Unavailable(format!("Not ready: {why}."));
    // Under the request's database deadline (`api::deadline`) like every other endpoint, so a
    // stalled database makes the probe answer 503 in time instead of hanging.
    let mut conn = crate::api::connection::db_conn(&state)
        .await
        .map_err(|_| unavailable("the database cannot be reached"))?;
    let applied: HashSet<String> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
            .load::<MigrationRow>(&mut conn)
            .await
            .map_err(|_| unavailable("the database has not been migrated"))?
            .into_iter()
            .map(|row| row.version)
            .collect();
    let pending = state
        .expected_migrations
        .iter()
        .filter(|v| !applied.contains(*v))
        .count();
    if pending > 0 {
        return Err(unavailable(&format!("{pending} migration(s) pending")));
    }
    drop(conn);
    let replica = match &state.replica {
        Some(replica) => Some(replica.probe().await),
        None => None,
    };
    Ok(HttpResponse::Ok().json(Readiness {
        status: "ok",
        replica,
    }))
}
