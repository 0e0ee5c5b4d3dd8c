//! Prometheus metrics: request latency by route, and gauges in the text format
//! (`health::metrics` serves them with the pool's, the outbox's and the referrals'). Labels are route patterns
//! (`/api/v1/referrals/{id}`), methods and status classes — never a concrete path, id or
//! anything about a participant — so the series are few and say nothing about anyone.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;


/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Request latencies, by (route pattern, method, status class), and what this
/// instance's retention sweep did.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, &'static str), Histogram>>,
    retention: Mutex<BTreeMap<&'static str, u64>>,
}

/// What the retention sweep counts (`harbour_retention_total{done=…}`).
pub const RETENTION_COUNTS: [&str; 4] = ["participants_noticed", "participants_erased", "evidence_files_deleted", "snapshots_dropped"];

impl Metrics {
    /// Counts one request that took `seconds`.
    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        let mut requests = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let histogram = requests.entry((route.to_owned(), method.to_owned(), class)).or_default();
        for (bucket, bound) in histogram.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// Counts `n` more of one of [`RETENTION_COUNTS`].
    pub fn retained(&self, done: &'static str, n: usize) {
        let mut retention = self.retention.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *retention.entry(done).or_default() += u64::try_from(n).unwrap_or(u64::MAX);
    }

    /// The retention counters, every one even at 0 (so a scraper sees the series from the start).
    pub fn render_retention(&self, out: &mut String) {
        let retention = self.retention.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        out.push_str("# HELP harbour_retention_total What this instance's retention sweep did: notices, erasures, evidence files deleted, referral snapshots dropped.\n");
        out.push_str("# TYPE harbour_retention_total counter\n");
        for done in RETENTION_COUNTS {
            let _ = writeln!(out, "harbour_retention_total{{done=\"{done}\"}} {}", retention.get(done).copied().unwrap_or_default());
        }
    }

    pub fn render_requests(&self, out: &mut String) {
        let requests = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        out.push_str("# HELP harbour_http_request_duration_seconds Time to answer a request, by route pattern, method and status class.\n");
        out.push_str("# TYPE harbour_http_request_duration_seconds histogram\n");
        for ((route, method, class), h) in &requests {
            let labels = format!("route=\"{}\",method=\"{method}\",status=\"{class}\"", route.replace('\\', "\\\\").replace('"', "\\\""));
            for (count, bound) in h.buckets.iter().zip(BUCKETS) {
                let _ = writeln!(out, "harbour_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}");
            }
            let _ = writeln!(out, "harbour_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "harbour_http_request_duration_seconds_sum{{{labels}}} {}", h.sum);
            let _ = writeln!(out, "harbour_http_request_duration_seconds_count{{{labels}}} {}", h.count);
        }
    }
}

pub fn gauge(out: &mut String, name: &str, help: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
}
