//! Prometheus metrics, written by hand in the text exposition format (a few
//! counters, two gauges and one histogram do not need a metrics crate).
//! Every name starts with `faxrender_`; label sets are kept in ordered maps
//! so the output is stable.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

/// Upper bounds of the job duration histogram, in seconds.
const DURATION_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Count per bucket (not cumulative), plus one for +Inf.
    buckets: [u64; DURATION_BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        let i = DURATION_BUCKETS
            .iter()
            .position(|&b| seconds <= b)
            .unwrap_or(DURATION_BUCKETS.len());
        self.buckets[i] += 1;
        self.sum += seconds;
        self.count += 1;
    }
}

#[derive(Debug, Default)]
struct Counters {
    /// (route, outcome) -> jobs
    jobs: BTreeMap<(String, String), u64>,
    /// route -> pages produced (send/preview) or read (receive/inspect)
    pages: BTreeMap<String, u64>,
    bytes_in: BTreeMap<String, u64>,
    bytes_out: BTreeMap<String, u64>,
    duration: BTreeMap<String, Histogram>,
}

/// The service's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    counters: Mutex<Counters>,
    queued: AtomicI64,
    in_flight: AtomicI64,
}

/// What one finished request contributes.
#[derive(Debug, Clone, Default)]
pub struct JobRecord<'a> {
    pub route: &'a str,
    /// "ok" or the error kind ("queue_full", "limit_exceeded"...).
    pub outcome: &'a str,
    pub pages: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub seconds: f64,
}

/// Decrements a gauge when dropped.
#[derive(Debug)]
pub struct GaugeGuard(Arc<Metrics>, fn(&Metrics) -> &AtomicI64);

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        (self.1)(&self.0).fetch_sub(1, Ordering::Relaxed);
    }
}

impl Metrics {
    /// Counts one job request.
    pub fn record(&self, r: &JobRecord) {
        let mut c = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        *c.jobs
            .entry((r.route.to_string(), r.outcome.to_string()))
            .or_default() += 1;
        *c.pages.entry(r.route.to_string()).or_default() += r.pages;
        *c.bytes_in.entry(r.route.to_string()).or_default() += r.bytes_in;
        *c.bytes_out.entry(r.route.to_string()).or_default() += r.bytes_out;
        c.duration
            .entry(r.route.to_string())
            .or_default()
            .observe(r.seconds);
    }

    /// Counts a job waiting for a worker while the guard lives.
    pub fn queued_guard(self: &Arc<Self>) -> GaugeGuard {
        self.queued.fetch_add(1, Ordering::Relaxed);
        GaugeGuard(self.clone(), |m| &m.queued)
    }

    /// Counts a job running while the guard lives.
    pub fn in_flight_guard(self: &Arc<Self>) -> GaugeGuard {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        GaugeGuard(self.clone(), |m| &m.in_flight)
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let c = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        header(
            &mut out,
            "jobs_total",
            "counter",
            "Job requests by route and outcome (ok or the error kind).",
        );
        for ((route, outcome), n) in &c.jobs {
            let _ = writeln!(
                out,
                "faxrender_jobs_total{{route=\"{route}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        let by_route = [
            (
                "pages_total",
                "Fax pages produced (send, preview) or read (receive, inspect).",
                &c.pages,
            ),
            (
                "request_bytes_total",
                "Bytes of job request bodies.",
                &c.bytes_in,
            ),
            (
                "response_bytes_total",
                "Bytes of successful job responses.",
                &c.bytes_out,
            ),
        ];
        for (name, help, map) in by_route {
            header(&mut out, name, "counter", help);
            for (route, n) in map {
                let _ = writeln!(out, "faxrender_{name}{{route=\"{route}\"}} {n}");
            }
        }
        header(
            &mut out,
            "job_duration_seconds",
            "histogram",
            "Time from request to response of job routes.",
        );
        for (route, h) in &c.duration {
            let mut cumulative = 0;
            for (i, n) in h.buckets.iter().enumerate() {
                cumulative += n;
                let le = DURATION_BUCKETS
                    .get(i)
                    .map(|b| b.to_string())
                    .unwrap_or_else(|| "+Inf".to_string());
                let _ = writeln!(out, "faxrender_job_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {cumulative}");
            }
            let _ = writeln!(
                out,
                "faxrender_job_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "faxrender_job_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        header(
            &mut out,
            "queue_depth",
            "gauge",
            "Jobs waiting for a worker.",
        );
        let _ = writeln!(
            out,
            "faxrender_queue_depth {}",
            self.queued.load(Ordering::Relaxed)
        );
        header(&mut out, "jobs_in_flight", "gauge", "Jobs rendering now.");
        let _ = writeln!(
            out,
            "faxrender_jobs_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP faxrender_{name} {help}");
    let _ = writeln!(out, "# TYPE faxrender_{name} {kind}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_jobs_pages_and_durations() {
        let m = Arc::new(Metrics::default());
        let ok = JobRecord {
            route: "send",
            outcome: "ok",
            pages: 2,
            bytes_in: 100,
            bytes_out: 50,
            seconds: 0.02,
        };
        m.record(&ok);
        m.record(&ok);
        m.record(&JobRecord {
            outcome: "queue_full",
            pages: 0,
            seconds: 0.0,
            ..ok.clone()
        });
        let g = m.in_flight_guard();
        let text = m.render();
        assert!(text.contains("faxrender_jobs_total{route=\"send\",outcome=\"ok\"} 2\n"));
        assert!(text.contains("faxrender_jobs_total{route=\"send\",outcome=\"queue_full\"} 1\n"));
        assert!(text.contains("faxrender_pages_total{route=\"send\"} 4\n"));
        assert!(
            text.contains("faxrender_job_duration_seconds_bucket{route=\"send\",le=\"0.005\"} 1\n")
        );
        assert!(
            text.contains("faxrender_job_duration_seconds_bucket{route=\"send\",le=\"0.025\"} 3\n")
        );
        assert!(
            text.contains("faxrender_job_duration_seconds_bucket{route=\"send\",le=\"+Inf\"} 3\n")
        );
        assert!(text.contains("faxrender_job_duration_seconds_count{route=\"send\"} 3\n"));
        assert!(text.contains("faxrender_jobs_in_flight 1\n"));
        drop(g);
        assert!(m.render().contains("faxrender_jobs_in_flight 0\n"));
    }
}
