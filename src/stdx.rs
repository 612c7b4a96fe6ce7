//! Small helpers the whole crate uses that know nothing of schemas: hashing, timing, and
//! the progress reports of long work.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    // Digit by digit: a plan's fingerprint hashes every object of the schema (170,000 for
    // 10,000 tables), and formatting each byte apart allocated 32 strings a hash.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        hex.push(DIGITS[usize::from(b >> 4)] as char);
        hex.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    hex
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

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_hex_is_the_digest_in_lowercase_hex() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
