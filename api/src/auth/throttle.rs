//! Sign-in throttling: after a few failures for one account or from one address,
//! each further attempt must wait, twice as long each time, up to a quarter of an hour.
//!
//! Kept in memory: it protects one instance; several instances each apply it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::ApiError;

const FREE_FAILURES_PER_ACCOUNT: u32 = 5;
const FREE_FAILURES_PER_ADDRESS: u32 = 20;
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// Failures older than this are forgotten.
const MEMORY: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Counts failed attempts per key (an account or an address).
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Failures>>,
}

/// What an attempt is about.
#[derive(Debug, Clone)]
pub struct Attempt {
    account: String,
    address: String,
}

impl Attempt {
    /// An attempt on `account` (an e-mail or client id) from `address`.
    pub fn new(account: &str, address: &str) -> Attempt {
        Attempt { account: format!("account:{account}"), address: format!("address:{address}") }
    }
}

fn wait_after(failures: Failures, free: u32) -> Option<Duration> {
    let over = failures.count.checked_sub(free)?;
    let wait = Duration::from_secs(1u64 << over.min(10)).min(MAX_WAIT);
    let elapsed = failures.last.elapsed();
    (elapsed < wait).then(|| wait - elapsed)
}

impl Throttle {
    /// Refuses the attempt with a 429 while either key must still wait.
    pub fn check(&self, attempt: &Attempt) -> Result<(), ApiError> {
        let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, f| f.last.elapsed() < MEMORY);
        let wait = [(&attempt.account, FREE_FAILURES_PER_ACCOUNT), (&attempt.address, FREE_FAILURES_PER_ADDRESS)]
            .into_iter()
            .filter_map(|(key, free)| map.get(key).and_then(|f| wait_after(*f, free)))
            .max();
        match wait {
            Some(wait) => Err(ApiError::TooManyRequests { retry_after: wait.as_secs().max(1) }),
            None => Ok(()),
        }
    }

    /// Counts a failure against both keys.
    pub fn failed(&self, attempt: &Attempt) {
        let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for key in [&attempt.account, &attempt.address] {
            let entry = map.entry(key.clone()).or_insert(Failures { count: 0, last: Instant::now() });
            entry.count += 1;
            entry.last = Instant::now();
        }
    }

    /// Forgets the account's failures after a success (the address keeps its count).
    pub fn succeeded(&self, attempt: &Attempt) {
        let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.remove(&attempt.account);
    }
}
