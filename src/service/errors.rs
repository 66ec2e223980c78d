//! Errors as HTTP responses: every failure is a JSON body
//! `{ "error": kind, "message": ..., "retryable": bool }` with a status a fax
//! server can act on (4xx: do not retry the same request; 429/503/504: try
//! again later; 500: a bug).
//!
//! Job errors map by [`ErrorKind`]: a limit is 413, a bad or unsupported
//! document 415, an invalid field 422. The service adds its own kinds for
//! what happens around a job (a malformed request, a full queue, a time-out).

use crate::{Error, ErrorKind};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable machine name ("bad_input", "queue_full"...).
    pub kind: &'static str,
    pub message: String,
    pub retryable: bool,
    /// Seconds for a `Retry-After` header (429, 503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
            // The statuses a client may retry as they are.
            retryable: matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
                    | StatusCode::INTERNAL_SERVER_ERROR
            ),
            retry_after: None,
        }
    }

    /// 400: the request itself is malformed (not a multipart form, a field
    /// that is not UTF-8...).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 422: a field has a value we do not accept.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::InvalidOption.name(),
            format!("{field}: {}", message.into()),
        )
    }

    /// 413: the request body is over the configured cap.
    pub fn body_too_large(max_bytes: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::LimitExceeded.name(),
            format!("the request body is over the limit of {max_bytes} bytes"),
        )
    }

    /// 429 with `Retry-After`: the queue is full.
    pub fn queue_full(retry_after_secs: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after_secs),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "queue_full",
                "the service is busy: every worker is taken and the queue is full",
            )
        }
    }

    /// 503: the job waited in the queue for its whole time limit.
    pub fn queue_timeout(retry_after_secs: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after_secs),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "the job waited in the queue for its whole time limit without starting",
            )
        }
    }

    /// 504: the job ran over its time limit.
    pub fn job_timeout(limit_secs: f64) -> Self {
        Self::new(
            StatusCode::GATEWAY_TIMEOUT,
            "timeout",
            format!("the job ran over its time limit of {limit_secs} s"),
        )
    }

    /// 500: a bug (a panic in a job, a serialization failure).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::Internal.name(),
            message,
        )
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({
            "error": self.kind,
            "message": self.message,
            "retryable": self.retryable,
        })
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let status = match e.kind {
            ErrorKind::LimitExceeded => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::BadInput | ErrorKind::Unsupported => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::InvalidOption => StatusCode::UNPROCESSABLE_ENTITY,
            // I/O inside a job is transient (a temporary file, a worker).
            ErrorKind::Io => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            kind: e.kind.name(),
            message: e.to_string(),
            // The library knows best whether the same job can succeed later.
            retryable: e.is_retryable(),
            retry_after: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        // Lets the logging layer record the kind without parsing the body.
        response.extensions_mut().insert(ErrorKindTag(self.kind));
        response
    }
}

/// The error kind of a response, for logs and metrics.
#[derive(Debug, Clone, Copy)]
pub struct ErrorKindTag(pub &'static str);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_errors_map_to_statuses_and_keep_retryability() {
        let e = ApiError::from(Error::limit("too many pages").with_context("a.pdf"));
        assert_eq!(e.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(e.kind, "limit_exceeded");
        assert_eq!(e.message, "a.pdf: too many pages");
        assert!(!e.retryable);
        let e = ApiError::from(Error::bad_input("truncated"));
        assert_eq!(e.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let e = ApiError::from(Error::invalid_option("unknown resolution 'x'"));
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!e.retryable);
        let e = ApiError::from(Error::internal("bug"));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(e.retryable);
    }

    #[test]
    fn queue_full_says_when_to_come_back() {
        let r = ApiError::queue_full(2).into_response();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "2");
        let body = ApiError::queue_full(2).body();
        assert_eq!(body["retryable"], true);
        assert_eq!(body["error"], "queue_full");
    }
}
