//! Small helpers the whole crate uses that know nothing of schemas: hashing, timing, and
//! the progress reports of long work.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Measures consecutive phases.
pub struct Clock {
    pub last: Instant,
    pub laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    pub fn new() -> Self {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    pub fn lap(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.laps.push((phase, now - self.last));
        self.last = now;
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

/// Where long work says how far it is: the binary draws it on standard error (a bar on a
/// terminal, a line now and then in a log); the library's own callers and tests ignore it
/// ([`Silent`]). Knows no schema: stages and counts are words and numbers.
pub trait Report {
    /// A stage begins (`reading the target's catalog`); it lasts until the next one.
    fn stage(&mut self, what: &str);
    /// The stage has done `done` of `total` `unit` (`steps`) and is now at `at` (the step
    /// that runs, or nothing).
    fn count(&mut self, done: u64, total: u64, unit: &str, at: &str);
}

/// Reports nothing.
pub struct Silent;

impl Report for Silent {
    fn stage(&mut self, _what: &str) {}
    fn count(&mut self, _done: u64, _total: u64, _unit: &str, _at: &str) {}
}
