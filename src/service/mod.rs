//! The HTTP service (`faxrender serve`): send, preview, receive and inspect
//! over HTTP, for the fax server and the portal.
//!
//! - `routes`: one table of routes (the router and the OpenAPI document are
//!   checked against it); handlers only call `job` and `tiff::inspect`.
//! - `form`: the send form and its one conversion to a `SendJob`.
//! - `queue`: bounded concurrency and depth (429 beyond), per-job time limit.
//! - `errors`: every failure as `{ error, message, retryable }` with a status.
//! - `observe`: job id (`X-Request-Id`), JSON logs, metrics per request.
//! - `server`: binding, graceful shutdown, and a handle for tests.
//!
//! Rendering runs on tokio's blocking pool (rayon inside a job); the async
//! side only moves bytes.

pub mod config;
pub mod errors;
pub mod form;
pub mod metrics;
pub mod observe;
pub mod openapi;
pub mod queue;
pub mod routes;
pub mod server;

pub use config::Config;
pub use server::{init_json_logs, serve, RunningServer};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub queue: Arc<queue::JobQueue>,
    pub metrics: Arc<metrics::Metrics>,
    /// Set when shutdown starts: `/readyz` turns 503 so a balancer stops
    /// sending work while in-flight jobs finish.
    pub shutting_down: Arc<AtomicBool>,
}

impl AppState {
    pub fn new(config: Config) -> Self {
        let metrics = Arc::new(metrics::Metrics::default());
        let queue = Arc::new(queue::JobQueue::new(
            config.concurrency,
            config.queue_depth,
            config.job_timeout,
            metrics.clone(),
        ));
        AppState {
            config: Arc::new(config),
            queue,
            metrics,
            shutting_down: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// The router: every route of [`routes::table`], the body cap, and the
/// observing middleware.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for route in routes::table() {
        router = router.route(route.path, route.handler);
    }
    router
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            observe::observe,
        ))
        .with_state(state)
}
