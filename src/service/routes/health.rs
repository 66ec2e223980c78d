//! Operations routes: `/healthz` (the process answers), `/readyz` (it can
//! take jobs: not shutting down, engines present), `/metrics` (Prometheus
//! text) and `/openapi.json`.

use crate::service::openapi;
use crate::service::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::atomic::Ordering;

pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    let shutting_down = state.shutting_down.load(Ordering::Relaxed);
    // INTEGRATE: report PDFium (loaded or not, the worker pool) and the
    // LibreOffice pool once those engines land; "not_built" until then.
    let body = serde_json::json!({
        "ready": !shutting_down,
        "shutting_down": shutting_down,
        "pdfium": "not_built",
        "libreoffice": "not_built",
        "concurrency": state.config.concurrency,
        "queue_depth": state.config.queue_depth,
    });
    let status = if shutting_down {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (status, Json(body)).into_response()
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

pub async fn openapi() -> Json<serde_json::Value> {
    Json(openapi::document())
}
