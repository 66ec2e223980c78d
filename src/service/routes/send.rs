//! `POST /v1/send` (the TIFF-F fax, or the report with the TIFF in base64)
//! and `POST /v1/preview` (PNG images of the pages that would be sent, and
//! the TIFF, for the portal's Send Fax dialog).

use super::{base64, json_response, wants_json};
use crate::export::png::page_png;
use crate::job::{run_send, SendOutput, SendReport};
use crate::service::errors::ApiError;
use crate::service::form::{to_send_job, SendForm};
use crate::service::observe::{JobId, PagesTag};
use crate::service::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;

/// Query parameters of `/v1/send`.
#[derive(Debug, serde::Deserialize)]
pub struct SendQuery {
    /// `json`: answer with the report and the TIFF in base64.
    pub report: Option<String>,
}

/// The JSON answer of `/v1/send?report=json`.
#[derive(serde::Serialize)]
struct SendJson<'a> {
    job_id: &'a str,
    report: &'a SendReport,
    /// The job's warnings (the same as `report.warnings`).
    warnings: &'a [String],
    /// The TIFF-F file, base64 (standard alphabet, padded).
    tiff: String,
}

pub async fn send(
    State(state): State<AppState>,
    Extension(job_id): Extension<JobId>,
    Query(query): Query<SendQuery>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let json = wants_json(query.report.as_deref(), &headers)?;
    let out = render(&state, multipart, expects_continue(&headers), false, Ok).await?;
    // everything the job reports as a soft problem (also in report.warnings)
    let warnings = out.report.warnings.clone();
    let pages = PagesTag(out.report.pages as u64);
    let mut response = if json {
        json_response(&SendJson {
            job_id: &job_id.0,
            report: &out.report,
            warnings: &warnings,
            tiff: base64(&out.tiff),
        })?
    } else {
        let mut r = (
            [
                (header::CONTENT_TYPE, "image/tiff"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"fax.tif\"",
                ),
            ],
            out.tiff,
        )
            .into_response();
        for w in &warnings {
            if let Ok(v) = HeaderValue::from_str(w) {
                r.headers_mut().append("x-faxrender-warning", v);
            }
        }
        r
    };
    let h = response.headers_mut();
    h.insert("x-fax-pages", HeaderValue::from(out.report.pages));
    if let Ok(v) = HeaderValue::from_str(&job_id.0) {
        h.insert("x-job-id", v);
    }
    response.extensions_mut().insert(pages);
    Ok(response)
}

/// One page of a preview.
#[derive(serde::Serialize)]
struct PreviewPage {
    page: u32,
    /// The PNG's size (aspect corrected: standard pages are stretched).
    width: u32,
    height: u32,
    /// 1-bit PNG, base64.
    png: String,
}

#[derive(serde::Serialize)]
struct PreviewJson<'a> {
    job_id: &'a str,
    report: &'a SendReport,
    warnings: &'a [String],
    pages: Vec<PreviewPage>,
    /// The TIFF-F file exactly as `/v1/send` would return it, base64.
    tiff: String,
}

pub async fn preview(
    State(state): State<AppState>,
    Extension(job_id): Extension<JobId>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    // The PNGs are made on the blocking pool with the job: 100 superfine
    // pages would otherwise hold an I/O thread for a second.
    let (out, pages) = render(&state, multipart, expects_continue(&headers), true, |out| {
        let pages = preview_pages(&out)?;
        Ok((out, pages))
    })
    .await?;
    let warnings = out.report.warnings.clone();
    let mut response = json_response(&PreviewJson {
        job_id: &job_id.0,
        report: &out.report,
        warnings: &warnings,
        pages,
        tiff: base64(&out.tiff),
    })?;
    response
        .extensions_mut()
        .insert(PagesTag(out.report.pages as u64));
    Ok(response)
}

/// The page images of a preview (aspect-corrected 1-bit PNGs).
fn preview_pages(out: &SendOutput) -> Result<Vec<PreviewPage>, ApiError> {
    let geom = out.report.options.geometry();
    let (x_dpi, y_dpi) = (geom.x_dpi() as f64, geom.y_dpi() as f64);
    out.pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let png = page_png(page, x_dpi, y_dpi)?;
            let (width, height) = png_size(&png);
            Ok(PreviewPage {
                page: i as u32 + 1,
                width,
                height,
                png: base64(&png),
            })
        })
        .collect()
}

/// Admits the job (429 before the body is read when the queue is full),
/// parses the form and runs the job, then `finish` on its output, on the
/// queue. Returns `finish`'s result.
async fn render<T: Send + 'static>(
    state: &AppState,
    multipart: Result<Multipart, MultipartRejection>,
    expects_continue: bool,
    keep_pages: bool,
    finish: impl FnOnce(SendOutput) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let ticket = match state.queue.admit() {
        Ok(ticket) => ticket,
        Err(refused) => {
            if !expects_continue {
                // A client that sends its body unasked must be able to
                // finish writing it, or it sees a broken pipe instead of the
                // 429 (the body cap bounds what this reads).
                if let Ok(mut form) = multipart {
                    drain(&mut form).await;
                }
            }
            return Err(refused);
        }
    };
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(format!(
            "expected a multipart/form-data body: {}",
            e.body_text()
        ))
    })?;
    let limits = state.config.limits;
    let form = match SendForm::parse(&mut multipart, &limits).await {
        Ok(form) => form,
        Err(e) => {
            if !expects_continue {
                // As for a 429: let the client finish its upload and read
                // the error.
                drain(&mut multipart).await;
            }
            return Err(e);
        }
    };
    tracing::debug!(to = ?form.to, caller_id = ?form.caller_id, "send form");
    let job = to_send_job(form, limits, keep_pages)?;
    tracing::info!(
        documents = job.documents.len(),
        resolution = %job.options.resolution,
        paper = %job.options.paper,
        compression = %job.options.compression,
        "send job"
    );
    let out = state
        .queue
        .run(ticket, move || finish(run_send(&job)?))
        .await?;
    Ok(out)
}

/// Reads and drops what is left of a form (bounded by the body cap).
async fn drain(form: &mut Multipart) {
    while let Ok(Some(mut field)) = form.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}

/// Whether the client waits for `100 Continue` before sending its body: a
/// refusal then costs it no upload at all.
fn expects_continue(headers: &HeaderMap) -> bool {
    headers
        .get(header::EXPECT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
}

/// Width and height from a PNG's IHDR (written by us, so well formed).
fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |at: usize| {
        png.get(at..at + 4)
            .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    (be(16), be(20))
}
