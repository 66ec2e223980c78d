//! `POST /v1/inspect`: is this TIFF (the body) a fax that can be sent as it
//! is? The answer is the inspection as JSON; an unreadable file is a normal
//! answer (`sendable: false` with the reason), not an error.

use super::{body_bytes, json_response};
use crate::service::errors::ApiError;
use crate::service::observe::{JobId, PagesTag};
use crate::service::AppState;
use crate::tiff::inspect::{inspect as inspect_tiff, Inspection};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::response::Response;
use axum::Extension;

#[derive(serde::Serialize)]
struct InspectJson<'a> {
    job_id: &'a str,
    inspection: &'a Inspection,
}

pub async fn inspect(
    State(state): State<AppState>,
    Extension(job_id): Extension<JobId>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let ticket = state.queue.admit()?;
    let tiff = body_bytes(body, state.config.max_body_bytes)?;
    let limits = state.config.limits;
    // Inspection decodes every page: CPU work, so it queues like a job.
    let result = state
        .queue
        .run(ticket, move || Ok(inspect_tiff(&tiff, &limits)))
        .await?;
    let mut response = json_response(&InspectJson {
        job_id: &job_id.0,
        inspection: &result,
    })?;
    response
        .extensions_mut()
        .insert(PagesTag(result.pages.len() as u64));
    Ok(response)
}
