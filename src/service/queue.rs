//! The job queue: at most `concurrency` jobs render at once (each on the
//! blocking pool, with rayon inside), at most `depth` more wait, and the rest
//! are refused at once with 429 and `Retry-After`, before their body is
//! parsed any further. A job's time limit runs from admission: a job still
//! waiting when it expires gets 503, one still running 504. A job that runs
//! over keeps its worker until it really ends (a thread cannot be killed),
//! so the concurrency figure stays honest.

use super::errors::ApiError;
use super::metrics::Metrics;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Bounded admission and concurrency for jobs.
#[derive(Debug)]
pub struct JobQueue {
    /// `concurrency + depth` permits: a job holds one from admission to end.
    admission: Arc<Semaphore>,
    /// `concurrency` permits: a job holds one while it runs.
    workers: Arc<Semaphore>,
    timeout: Duration,
    metrics: Arc<Metrics>,
}

/// A job admitted to the queue (holds its place until dropped).
#[derive(Debug)]
pub struct Ticket {
    place: OwnedSemaphorePermit,
    admitted: Instant,
}

impl JobQueue {
    pub fn new(concurrency: usize, depth: usize, timeout: Duration, metrics: Arc<Metrics>) -> Self {
        let concurrency = concurrency.max(1);
        JobQueue {
            admission: Arc::new(Semaphore::new(concurrency + depth)),
            workers: Arc::new(Semaphore::new(concurrency)),
            timeout,
            metrics,
        }
    }

    /// Takes a place in the queue, or refuses with 429 when it is full.
    pub fn admit(&self) -> Result<Ticket, ApiError> {
        let place = self
            .admission
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::queue_full(self.retry_after_secs()))?;
        Ok(Ticket {
            place,
            admitted: Instant::now(),
        })
    }

    /// Runs `job` on the blocking pool once a worker is free, within the
    /// time limit counted from admission.
    pub async fn run<T, F>(&self, ticket: Ticket, job: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let deadline = tokio::time::Instant::from_std(ticket.admitted + self.timeout);
        let waiting = self.metrics.queued_guard();
        let worker =
            match tokio::time::timeout_at(deadline, self.workers.clone().acquire_owned()).await {
                Ok(Ok(permit)) => permit,
                Ok(Err(_closed)) => return Err(ApiError::internal("the worker pool was closed")),
                Err(_elapsed) => return Err(ApiError::queue_timeout(self.retry_after_secs())),
            };
        drop(waiting);
        let running = self.metrics.in_flight_guard();
        let place = ticket.place;
        let handle = tokio::task::spawn_blocking(move || {
            // Both permits and the gauge live as long as the work itself.
            let _hold = (worker, place, running);
            job()
        });
        match tokio::time::timeout_at(deadline, handle).await {
            Ok(Ok(result)) => result,
            Ok(Err(join_error)) => Err(ApiError::internal(if join_error.is_panic() {
                "the job panicked (a bug)"
            } else {
                "the job was cancelled"
            })),
            Err(_elapsed) => Err(ApiError::job_timeout(self.timeout.as_secs_f64())),
        }
    }

    /// A hint for clients: about one job's worth of waiting, at least 1 s.
    fn retry_after_secs(&self) -> u64 {
        (self.timeout.as_secs() / 10).clamp(1, 30)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn refuses_beyond_concurrency_plus_depth() {
        let metrics = Arc::new(Metrics::default());
        let q = Arc::new(JobQueue::new(1, 1, Duration::from_secs(10), metrics));
        let a = q.admit().unwrap();
        let b = q.admit().unwrap();
        let refused = q.admit().unwrap_err();
        assert_eq!(refused.status, axum::http::StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused.retry_after, Some(1));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let q1 = q.clone();
        let first = tokio::spawn(async move {
            q1.run(a, move || {
                rx.recv().unwrap();
                Ok(1)
            })
            .await
        });
        let q2 = q.clone();
        let second = tokio::spawn(async move { q2.run(b, || Ok(2)).await });
        tx.send(()).unwrap();
        assert_eq!(first.await.unwrap().unwrap(), 1);
        assert_eq!(second.await.unwrap().unwrap(), 2);
        // places are given back when jobs end
        assert!(q.admit().is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_slow_job_times_out_with_504_and_a_waiting_one_with_503() {
        let metrics = Arc::new(Metrics::default());
        let q = Arc::new(JobQueue::new(1, 1, Duration::from_millis(200), metrics));
        let a = q.admit().unwrap();
        let b = q.admit().unwrap();
        let q1 = q.clone();
        let slow = tokio::spawn(async move {
            q1.run(a, || {
                std::thread::sleep(Duration::from_millis(600));
                Ok(())
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let waiting = q.run(b, || Ok(())).await.unwrap_err();
        assert_eq!(waiting.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        let slow = slow.await.unwrap().unwrap_err();
        assert_eq!(slow.status, axum::http::StatusCode::GATEWAY_TIMEOUT);
        assert!(slow.retryable);
    }
}
