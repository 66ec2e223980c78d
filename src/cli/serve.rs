//! `faxrender serve`: the HTTP service. Every flag also reads a
//! `FAXRENDER_*` environment variable (the flag wins); logs are JSON lines
//! on stderr (`FAXRENDER_LOG` sets the level).

use clap::Args;
use faxrender::limits::Limits;
use faxrender::service::{self, config, Config};
use faxrender::Error;
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "FAXRENDER_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Jobs rendering at once (default: one per core).
    #[arg(long, env = "FAXRENDER_CONCURRENCY")]
    pub concurrency: Option<usize>,
    /// Jobs waiting for a worker beyond those; more are refused with 429.
    #[arg(long, env = "FAXRENDER_QUEUE", default_value_t = 16)]
    pub queue: usize,
    /// Time limit of one job in seconds, queueing included (503/504 after).
    #[arg(long, env = "FAXRENDER_JOB_TIMEOUT", default_value_t = 120.0)]
    pub job_timeout: f64,
    /// Maximum pages of a fax.
    #[arg(long, env = "FAXRENDER_MAX_PAGES", default_value_t = Limits::default().max_pages)]
    pub max_pages: u32,
    /// Maximum bytes of a fax (documents in, TIFF out); the request body cap
    /// is this plus 1 MiB for the form.
    #[arg(long, env = "FAXRENDER_MAX_BYTES", default_value_t = Limits::default().max_bytes)]
    pub max_bytes: u64,
}

impl ServeArgs {
    pub fn config(&self) -> Result<Config, Error> {
        if !(self.job_timeout.is_finite() && self.job_timeout > 0.0 && self.job_timeout <= 86_400.0)
        {
            return Err(Error::invalid_option(
                "--job-timeout must be between 0 and 86400 seconds",
            ));
        }
        let concurrency = self.concurrency.unwrap_or_else(config::default_concurrency);
        if concurrency == 0 {
            return Err(Error::invalid_option("--concurrency must be at least 1"));
        }
        let limits = Limits {
            max_pages: self.max_pages,
            max_bytes: self.max_bytes,
            ..Limits::default()
        };
        Ok(Config {
            listen: self.listen,
            concurrency,
            queue_depth: self.queue,
            job_timeout: Duration::from_secs_f64(self.job_timeout),
            limits,
            max_body_bytes: config::body_cap(&limits),
        })
    }
}

/// Runs the service until SIGINT or SIGTERM, then finishes the jobs in
/// flight and returns.
pub fn run(args: ServeArgs) -> Result<(), Error> {
    let config = args.config()?;
    service::init_json_logs();
    let rt = service::server::runtime(&config)
        .map_err(|e| Error::internal(format!("cannot start the runtime ({e})")))?;
    rt.block_on(async move {
        let listener = tokio_listener(config.listen).await?;
        service::serve(listener, config, service::server::termination_signal())
            .await
            .map_err(|e| Error::io(format!("the server failed ({e})")))
    })
}

async fn tokio_listener(addr: SocketAddr) -> Result<tokio::net::TcpListener, Error> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::invalid_option(format!("cannot listen on {addr} ({e})")))
}
