//! How schemaplan's sessions on the target behave while they change it: lock and statement
//! timeouts, retries with backoff, and which failures are worth a retry.

use std::time::Duration;

use postgres::error::SqlState;

#[derive(Clone, Debug)]
pub struct ApplyOptions {
    /// `lock_timeout` for every statement.
    pub lock_timeout: Duration,
    /// How many times a step that timed out waiting for a lock is tried again.
    pub retries: u32,
    /// First wait before a retry; doubled each time.
    pub backoff: Duration,
    pub statement_timeout: Option<Duration>,
    /// One transaction for each run of consecutive transactional steps.
    pub atomic: bool,
}

impl ApplyOptions {
    /// The wait before retry `attempt + 1`: `backoff`, doubled for each earlier retry.
    pub fn backoff_before_retry(&self, attempt: u32) -> Duration {
        self.backoff * 2u32.saturating_pow(attempt)
    }
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            lock_timeout: Duration::from_secs(2),
            retries: 5,
            backoff: Duration::from_millis(200),
            statement_timeout: None,
            atomic: false,
        }
    }
}

/// The session settings every step runs under: `SET LOCAL` inside a step's transaction, `SET`
/// for a step that runs outside one.
pub fn settings(options: &ApplyOptions, local: bool) -> String {
    crate::plan::render::session_settings(options.lock_timeout, options.statement_timeout, local)
        .join("; ")
}

/// A step that waited too long for a lock, or was chosen to end a deadlock, was rolled back
/// whole and may run again.
pub fn retryable(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE)
        || e.code() == Some(&SqlState::T_R_DEADLOCK_DETECTED)
}
