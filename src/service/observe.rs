//! Per-request observation, one middleware around every route: the job id
//! (a valid `X-Request-Id` from the client, else a new one; echoed in the
//! response), the early 413 on a declared body over the cap, one structured
//! log line per request (sizes, pages, timing, outcome; never document text
//! or fax numbers) and the metrics of job routes.

use super::errors::{ApiError, ErrorKindTag};
use super::metrics::JobRecord;
use super::AppState;
use axum::body::{Body, HttpBody};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tracing::Instrument;

pub const REQUEST_ID: &str = "x-request-id";

/// The id of a request (and of its job), for logs and the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobId(pub String);

/// The pages a job produced or read, set by job handlers on the response.
#[derive(Debug, Clone, Copy)]
pub struct PagesTag(pub u64);

/// The middleware.
pub async fn observe(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| valid_request_id(v))
        .map(str::to_string)
        .unwrap_or_else(new_job_id);
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().clone();
    let bytes_in: u64 = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .unwrap_or(0);
    req.extensions_mut().insert(JobId(id.clone()));
    let span = tracing::info_span!("request", job_id = %id, method = %method, route = %route);

    let mut response = if bytes_in > state.config.max_body_bytes as u64 {
        // Refused from the header alone: no need to read 100 MB to say no.
        ApiError::body_too_large(state.config.max_body_bytes).into_response()
    } else {
        next.run(req).instrument(span.clone()).await
    };

    let status = response.status();
    let outcome = if status.is_success() {
        "ok"
    } else {
        response
            .extensions()
            .get::<ErrorKindTag>()
            .map(|k| k.0)
            .unwrap_or("http_error")
    };
    let pages = response.extensions().get::<PagesTag>().map_or(0, |p| p.0);
    let bytes_out = response.body().size_hint().exact().unwrap_or(0);
    let elapsed = started.elapsed();
    if let Some(job_route) = route.strip_prefix("/v1/") {
        state.metrics.record(&JobRecord {
            route: job_route,
            outcome,
            pages,
            bytes_in,
            bytes_out: if status.is_success() { bytes_out } else { 0 },
            seconds: elapsed.as_secs_f64(),
        });
    }
    span.in_scope(|| {
        tracing::info!(
            status = status.as_u16(),
            outcome,
            pages,
            bytes_in,
            bytes_out,
            elapsed_ms = elapsed.as_secs_f64() * 1000.0,
            "request done"
        )
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, v);
    }
    response
}

/// A client's id is kept when it is short and plain (it goes into logs and
/// a header): letters, digits, `-`, `_`, `.`, `:`, at most 128 characters.
pub fn valid_request_id(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 128
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// A new id: milliseconds since the epoch and a process-wide counter, in
/// hex; unique within a process and sortable by time.
pub fn new_job_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{ms:x}-{:04x}-{n:x}", std::process::id() & 0xffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_are_kept_only_when_plain() {
        assert!(valid_request_id("abc-123_X.y:z"));
        assert!(!valid_request_id(""));
        assert!(!valid_request_id("a b"));
        assert!(!valid_request_id("a\"b"));
        assert!(!valid_request_id(&"a".repeat(129)));
        let (a, b) = (new_job_id(), new_job_id());
        assert_ne!(a, b);
        assert!(valid_request_id(&a));
    }
}
