//! `POST /v1/receive`: an inbound fax TIFF (the body) to a PDF, or, with
//! `?report=json`, the receive report with the PDF and optional page images
//! in base64.

use super::{base64, body_bytes, json_response, wants_json};
use crate::job::{run_receive, ReceiveJob, ReceiveReport};
use crate::service::errors::ApiError;
use crate::service::observe::{JobId, PagesTag};
use crate::service::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;

#[derive(Debug, serde::Deserialize)]
pub struct ReceiveQuery {
    /// `json`: the report, the PDF and page images in base64.
    pub report: Option<String>,
    /// With the JSON report: a full-size 1-bit PNG of every page.
    #[serde(default)]
    pub png: bool,
    /// With the JSON report: a gray thumbnail this wide of every page.
    pub thumb_width: Option<u32>,
}

#[derive(serde::Serialize)]
struct ReceivedPageImages {
    pdf_page: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    png: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumbnail: Option<String>,
}

#[derive(serde::Serialize)]
struct ReceiveJson<'a> {
    job_id: &'a str,
    report: &'a ReceiveReport,
    /// The PDF, base64.
    pdf: String,
    pages: Vec<ReceivedPageImages>,
}

pub async fn receive(
    State(state): State<AppState>,
    Extension(job_id): Extension<JobId>,
    Query(query): Query<ReceiveQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let json = wants_json(query.report.as_deref(), &headers)?;
    if !json && (query.png || query.thumb_width.is_some()) {
        return Err(ApiError::invalid_field(
            "png",
            "page images come with the JSON report: add report=json",
        ));
    }
    let ticket = state.queue.admit()?;
    let tiff = body_bytes(body, state.config.max_body_bytes)?;
    let job = ReceiveJob {
        name: "fax.tif".to_string(),
        tiff: tiff.to_vec().into(),
        limits: state.config.limits,
        clock: Default::default(),
        png_pages: json && query.png,
        thumb_width: query.thumb_width.filter(|_| json),
        keep_pages: false,
    };
    let out = state
        .queue
        .run(ticket, move || run_receive(&job).map_err(ApiError::from))
        .await?;
    let pages = PagesTag(out.report.pages as u64);
    let mut response = if json {
        json_response(&ReceiveJson {
            job_id: &job_id.0,
            report: &out.report,
            pdf: base64(&out.pdf),
            pages: out
                .previews
                .iter()
                .map(|p| ReceivedPageImages {
                    pdf_page: p.pdf_page,
                    png: p.png.as_deref().map(base64),
                    thumbnail: p.thumbnail.as_deref().map(base64),
                })
                .collect(),
        })?
    } else {
        (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"fax.pdf\"",
                ),
            ],
            out.pdf,
        )
            .into_response()
    };
    let h = response.headers_mut();
    h.insert("x-fax-pages", HeaderValue::from(out.report.pages));
    h.insert(
        "x-fax-lost-pages",
        HeaderValue::from(out.report.lost_pages.len() as u64),
    );
    response.extensions_mut().insert(pages);
    Ok(response)
}
