//! The routes, in one table that builds the router and that the OpenAPI
//! document is checked against (so the two cannot drift apart).

pub mod health;
pub mod inspect;
pub mod page;
pub mod receive;
pub mod send;

use super::errors::ApiError;
use super::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use base64::Engine;

/// One route: method, path and handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub handler: MethodRouter<AppState>,
}

/// Every route the service has.
pub fn table() -> Vec<Route> {
    let route = |method: Method, path, handler| Route {
        method,
        path,
        handler,
    };
    vec![
        route(Method::GET, "/", get(page::page)),
        route(Method::POST, "/v1/send", post(send::send)),
        route(Method::POST, "/v1/preview", post(send::preview)),
        route(Method::POST, "/v1/receive", post(receive::receive)),
        route(Method::POST, "/v1/inspect", post(inspect::inspect)),
        route(Method::GET, "/healthz", get(health::healthz)),
        route(Method::GET, "/readyz", get(health::readyz)),
        route(Method::GET, "/metrics", get(health::metrics)),
        route(Method::GET, "/openapi.json", get(health::openapi)),
    ]
}

/// Whether the client asked for JSON (`?report=json` or an `Accept` that
/// names application/json).
pub fn wants_json(report: Option<&str>, headers: &HeaderMap) -> Result<bool, ApiError> {
    match report {
        Some("json") => return Ok(true),
        Some("" | "none") | None => {}
        Some(other) => {
            return Err(ApiError::invalid_field(
                "report",
                format!("unknown report format '{other}' (expected json)"),
            ))
        }
    }
    Ok(headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json")))
}

/// Standard base64, for binary parts of JSON responses.
pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A raw request body (a TIFF), or the error for a failed read (413 over
/// the cap, 400 otherwise).
pub fn body_bytes(body: Result<Bytes, BytesRejection>, max: usize) -> Result<Bytes, ApiError> {
    let bytes = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::body_too_large(max),
        _ => ApiError::bad_request(format!("cannot read the request body: {}", e.body_text())),
    })?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the request body is empty: send the TIFF as the body",
        ));
    }
    Ok(bytes)
}

/// A JSON response, or a 500 if it cannot be serialized (a bug).
pub fn json_response(value: &impl serde::Serialize) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_asked_by_query_or_accept() {
        let mut h = HeaderMap::new();
        assert!(!wants_json(None, &h).unwrap());
        assert!(wants_json(Some("json"), &h).unwrap());
        assert!(wants_json(Some("xml"), &h).is_err());
        h.insert(header::ACCEPT, "application/json".parse().unwrap());
        assert!(wants_json(None, &h).unwrap());
    }

    #[test]
    fn paths_are_unique() {
        let mut seen: Vec<(String, &str)> = table()
            .iter()
            .map(|r| (r.method.to_string(), r.path))
            .collect();
        let n = seen.len();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), n);
    }
}
