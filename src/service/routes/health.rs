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
    // Engines: a missing one does not make the service unready (PDF falls
    // back to hayro, .doc to its text), but operators see it here.
    let pdfium = match crate::input::pdf::pdfium_library() {
        Some(path) => serde_json::json!({ "available": true, "library": path }),
        None => serde_json::json!({ "available": false, "fallback": "hayro" }),
    };
    let libreoffice = crate::input::office::LibreOffice::global().state();
    let body = serde_json::json!({
        "ready": !shutting_down,
        "shutting_down": shutting_down,
        "pdfium": pdfium,
        "libreoffice": libreoffice,
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
