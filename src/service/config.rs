//! Service configuration: what `faxrender serve` takes from flags and
//! `FAXRENDER_*` environment variables, with production defaults.

use crate::limits::Limits;
use std::net::SocketAddr;
use std::time::Duration;

/// Room above the fax's 20 MB input limit for multipart framing and the
/// text fields, so a form carrying a full 20 MB of documents still fits.
pub const BODY_OVERHEAD: u64 = 1024 * 1024;

/// How the service runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// Jobs rendering at once.
    pub concurrency: usize,
    /// Jobs waiting for a worker beyond those; more get 429.
    pub queue_depth: usize,
    /// Time limit of one job, from admission to its result.
    pub job_timeout: Duration,
    /// Per-job limits (pages, bytes...).
    pub limits: Limits,
    /// Request body cap in bytes (413 above).
    pub max_body_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        let limits = Limits::default();
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            concurrency: default_concurrency(),
            queue_depth: 16,
            job_timeout: Duration::from_secs(120),
            limits,
            max_body_bytes: body_cap(&limits),
        }
    }
}

/// One job per core: a job already uses rayon across the cores for its
/// pages, so more would only add latency.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// The body cap for these limits: the fax's byte limit plus framing room.
pub fn body_cap(limits: &Limits) -> usize {
    usize::try_from(limits.max_bytes.saturating_add(BODY_OVERHEAD)).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_cap_is_a_little_above_the_fax_limit() {
        let c = Config::default();
        assert_eq!(c.max_body_bytes, 21 * 1024 * 1024);
        assert!(c.concurrency >= 1);
    }
}
