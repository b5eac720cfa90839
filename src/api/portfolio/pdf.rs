//! `GET /api/v1/apprenticeships/{id}/portfolio.pdf`: the end-point assessment pack, an
//! accessible PDF (`pack.rs` says what it holds, `crate::pdf` sets it). Who may export and the
//! audit row are the ZIP's (`audited.rs`): 404 outside scope.

use std::sync::LazyLock;

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::{PortfolioExport, audited, pack};
use crate::api::authenticated::Authenticated;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Setting a pack is CPU work: at most one per core at a time in this process (the ZIP's copy
/// too), so a burst of exports queues instead of taking every core and the memory of each.
static SETTERS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from)));

/// Sets the pack on the calling (blocking) thread once a core is free.
pub fn set_blocking(
    runtime: &tokio::runtime::Handle,
    export: &PortfolioExport,
) -> AppResult<Vec<u8>> {
    let _permit = runtime
        .block_on(SETTERS.acquire())
        .map_err(AppError::internal)?;
    pack::pdf(export)
}

/// The end-point assessment pack as a tagged PDF.
#[utoipa::path(
    tag = "portfolio",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The end-point assessment pack: a tagged, accessible PDF (PDF/UA-1) with a cover, contents, coverage by duty, the mapping of evidence to KSBs, the accepted evidence with the SHA-256 of each file, sign-offs, signed progress reviews and the off-the-job training summary", content_type = "application/pdf"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}/portfolio.pdf")]
pub async fn export_pdf(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let (apprenticeship, portfolio) = audited::export(&state, &auth, *id, "pdf").await?;
    let runtime = tokio::runtime::Handle::current();
    let bytes = tokio::task::spawn_blocking(move || set_blocking(&runtime, &portfolio.export))
        .await
        .map_err(AppError::internal)??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/pdf"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "portfolio-{}.pdf",
                apprenticeship.id
            ))],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}
