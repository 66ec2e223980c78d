//! Running the service: [`serve`] on a listener until a shutdown signal,
//! finishing in-flight jobs first; [`RunningServer`] runs it on its own
//! thread and runtime (tests, embedding); [`init_json_logs`] sets up the
//! structured logs.

use super::{router, AppState, Config};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// JSON log lines on stderr, one per event, with the request span's fields
/// (job id, route). The level comes from `FAXRENDER_LOG` (an env-filter
/// directive such as `info` or `faxrender=debug`), `info` by default.
/// Fax numbers are logged at debug only, document text never.
pub fn init_json_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FAXRENDER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(true)
        .with_span_list(false)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Serves until `shutdown` resolves, then stops accepting, lets the
/// requests in flight finish (their jobs included) and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let state = AppState::new(config);
    tracing::info!(
        %addr,
        concurrency = state.config.concurrency,
        queue_depth = state.config.queue_depth,
        job_timeout_s = state.config.job_timeout.as_secs_f64(),
        max_body_bytes = state.config.max_body_bytes,
        "listening"
    );
    let flag = state.shutting_down.clone();
    let app = router(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            flag.store(true, Ordering::Relaxed);
            tracing::info!("shutting down: finishing the requests in flight");
        })
        .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (what Docker and systemd send).
pub async fn termination_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// The tokio runtime for the service: a few I/O workers (rendering is on the
/// blocking pool, sized to the job concurrency with room to spare).
pub fn runtime(config: &Config) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(config.concurrency.max(1) + 4)
        .thread_name("faxrender-service")
        .enable_all()
        .build()
}

/// A server running on its own thread: bound at once (port 0 picks a free
/// port, see [`RunningServer::addr`]), stopped gracefully by
/// [`RunningServer::shutdown`] or on drop.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningServer {
    pub fn start(config: Config) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(config.listen)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let rt = runtime(&config)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("faxrender-server".into())
            .spawn(move || {
                rt.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    serve(listener, config, async move {
                        let _ = stopped.await;
                    })
                    .await
                })
            })?;
        Ok(RunningServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, waits for the requests in flight, and returns.
    pub fn shutdown(mut self) -> std::io::Result<()> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the server thread panicked"))),
            None => Ok(()),
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}
