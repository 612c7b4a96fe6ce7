//! The session settings a migration runs under: how long a statement may wait for a lock and
//! how long it may run. `apply` sets them on its connection; the SQL script sets them first.

use std::time::Duration;

/// `SET lock_timeout = '2000ms'` (and `statement_timeout` when given); `SET LOCAL` for the
/// inside of one transaction.
pub fn session_settings(
    lock_timeout: Duration,
    statement_timeout: Option<Duration>,
    local: bool,
) -> Vec<String> {
    let scope = if local { "SET LOCAL" } else { "SET" };
    let mut out = vec![format!(
        "{scope} lock_timeout = '{}ms'",
        lock_timeout.as_millis()
    )];
    if let Some(t) = statement_timeout {
        out.push(format!("{scope} statement_timeout = '{}ms'", t.as_millis()));
    }
    out
}
