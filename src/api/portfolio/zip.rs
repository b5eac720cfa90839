//! `GET /api/v1/apprenticeships/{id}/portfolio.zip`: the whole portfolio, streamed as it is
//! written (never built in memory): `portfolio.json`, `mapping.csv`, the end-point assessment
//! pack `portfolio.pdf`, then every attachment under `attachments/<evidence id>/<file name>`. The
//! pack is set in memory first (it holds the portfolio's text, not its files, so it is bounded);
//! the attachments stream after it. Anyone who can see the apprenticeship may export it
//! (the apprentice always can, also after the programme ends); every export is audited.

use std::io::Write;

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use bytes::Bytes;
use futures_util::StreamExt;
use tokio::sync::mpsc;
use uuid::Uuid;
use zip::write::SimpleFileOptions;

use super::pdf::set_blocking;
use super::{Portfolio, audited, mapping_csv};
use crate::api::authenticated::Authenticated;
use crate::error::AppResult;
use crate::state::AppState;
use crate::storage::Storage;

/// Chunks in flight between the writer and the response: the writer waits when the client
/// reads slowly, so memory stays bounded by this many chunks, whatever the portfolio's size.
const CHUNKS_IN_FLIGHT: usize = 8;
/// Bytes gathered before a chunk is sent.
const CHUNK_BYTES: usize = 64 * 1024;

/// A `Write` that hands full chunks to the response stream, blocking while it is full.
struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// Writes the archive; runs on a blocking thread, reading attachments through `runtime`.
fn write_archive(
    portfolio: &Portfolio,
    json: &[u8],
    csv: &[u8],
    storage: &Storage,
    runtime: &tokio::runtime::Handle,
    out: ChannelWriter,
) -> anyhow::Result<()> {
    let mut zip = zip::ZipWriter::new_stream(out);
    let text = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("portfolio.json", text)?;
    zip.write_all(json)?;
    zip.start_file("mapping.csv", text)?;
    zip.write_all(csv)?;
    let pack = set_blocking(runtime, &portfolio.export)
        .map_err(|e| anyhow::anyhow!("portfolio.pdf: {e}"))?;
    zip.start_file("portfolio.pdf", text)?;
    zip.write_all(&pack)?;
    drop(pack);
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    for (path, key) in &portfolio.files {
        zip.start_file(path.as_str(), stored)?;
        let (_, mut bytes) = runtime.block_on(storage.get_stream(key))?;
        while let Some(chunk) = runtime.block_on(bytes.next()) {
            zip.write_all(&chunk?)?;
        }
    }
    let mut out = zip.finish()?.into_inner();
    out.flush()?;
    Ok(())
}

/// The portfolio as a ZIP archive.
#[utoipa::path(
    tag = "portfolio",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "portfolio.json, mapping.csv, the end-point assessment pack portfolio.pdf and every attachment", content_type = "application/zip"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apprenticeships/{id}/portfolio.zip")]
pub async fn export_zip(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let (apprenticeship, portfolio) = audited::export(&state, &auth, *id, "zip").await?;
    let json = serde_json::to_vec_pretty(&portfolio.export).map_err(anyhow::Error::from)?;
    let csv = mapping_csv(&portfolio)?;
    // Streaming needs only storage: the connection is back in the pool already.
    let (tx, rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let storage = state.storage.clone();
    let runtime = tokio::runtime::Handle::current();
    let errors = tx.clone();
    tokio::task::spawn_blocking(move || {
        let out = ChannelWriter {
            tx,
            buffer: Vec::with_capacity(CHUNK_BYTES),
        };
        if let Err(error) = write_archive(&portfolio, &json, &csv, &storage, &runtime, out) {
            tracing::error!(error = %format!("{error:#}"), "a portfolio export broke off");
            // The client sees a broken download rather than a truncated archive that looks whole.
            let _ = errors.blocking_send(Err(std::io::Error::other("export failed")));
        }
    });
    let file_name = format!("portfolio-{}.zip", apprenticeship.id);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/zip"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .streaming(tokio_stream_of(rx)))
}

/// The receiving end as a body stream.
fn tokio_stream_of(
    mut rx: mpsc::Receiver<Result<Bytes, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}
