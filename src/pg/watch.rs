//! How far a long statement of the applying session is, read from a second session while it
//! runs: an index build from `pg_stat_progress_create_index` (blocks, tuples, the sessions it
//! waits for, PostgreSQL's phase), a column backfill from the `application_name` its block sets
//! after each batch (`plan::render`'s backfill). Only what is measured is reported; a second
//! session that cannot connect or read leaves the step to run unwatched.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use postgres::Client;

use crate::pg::conn::Target;

/// The first look comes this long after a statement starts (a short one is never watched, and
/// no second session is opened for it); then one every `EVERY`.
const FIRST_LOOK: Duration = Duration::from_millis(500);
const EVERY: Duration = Duration::from_millis(500);

/// How far a long statement is, as a second session sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    /// What it does now: PostgreSQL's phase of an index build (`building index: scanning
    /// table`), or `filling` for a backfill.
    pub phase: String,
    pub done: u64,
    pub total: u64,
    /// What `done` and `total` count (`blocks`, `tuples`, `sessions`, `pages`); empty when the
    /// phase counts nothing.
    pub unit: &'static str,
    /// Rows written so far, for a backfill.
    pub rows: Option<u64>,
}

/// A second session on the target, opened at the first look that needs it and kept for the
/// statements after.
pub struct Watch {
    target: Target,
    client: Option<Client>,
    /// The second session could not be had, or failed: the rest runs unwatched.
    gave_up: bool,
}

impl Watch {
    /// Watches through `target`, the settings the applying session connected with.
    pub fn new(mut target: Target) -> Watch {
        // The look must not hold the apply up for long when the server does not answer.
        target.set_connect_timeout(5);
        Watch {
            target,
            client: None,
            gave_up: false,
        }
    }

    /// Runs `work` on `client` in a thread of its own, and meanwhile, on this thread, hands
    /// `seen` what the session is doing every half second. Returns what `work` returns, as soon
    /// as it returns.
    pub fn during<R: Send>(
        &mut self,
        client: &mut Client,
        work: impl FnOnce(&mut Client) -> R + Send,
        seen: &mut dyn FnMut(Measure),
    ) -> R {
        let pid = match self.gave_up {
            true => None,
            false => client
                .query_one("SELECT pg_catalog.pg_backend_pid()", &[])
                .ok()
                .map(|row| row.get::<_, i32>(0)),
        };
        let Some(pid) = pid else {
            return work(client);
        };
        std::thread::scope(|scope| {
            let (finished, done) = mpsc::channel::<()>();
            let running = scope.spawn(move || {
                let result = work(client);
                let _ = finished.send(());
                result
            });
            let mut next = Instant::now() + FIRST_LOOK;
            // Until `work` says it is done (or its thread ended without saying so).
            let wait = |next: Instant| next.saturating_duration_since(Instant::now());
            while let Err(mpsc::RecvTimeoutError::Timeout) = done.recv_timeout(wait(next)) {
                if let Some(m) = self.look(pid) {
                    seen(m);
                }
                next = Instant::now() + EVERY;
            }
            running
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// What session `pid` is doing, when it is something measured.
    fn look(&mut self, pid: i32) -> Option<Measure> {
        if self.gave_up {
            return None;
        }
        if self.client.is_none() {
            let opened = self.target.connect().ok().and_then(|c| {
                let mut client = c.client;
                client
                    .batch_execute("SET statement_timeout = '2s'; SET lock_timeout = '1s'")
                    .ok()?;
                Some(client)
            });
            self.gave_up = opened.is_none();
            self.client = opened;
        }
        let client = self.client.as_mut()?;
        match client.query_opt(PROGRESS, &[&pid]) {
            Ok(row) => row.and_then(|r| measure(&r)),
            Err(_) => {
                self.client = None;
                self.gave_up = true;
                None
            }
        }
    }
}

/// The session's name and, while it builds an index, the build's progress (PostgreSQL 12 on).
const PROGRESS: &str = "SELECT a.application_name, p.phase, p.blocks_done, p.blocks_total,
        p.tuples_done, p.tuples_total, p.lockers_done, p.lockers_total
   FROM pg_catalog.pg_stat_activity a
   LEFT JOIN pg_catalog.pg_stat_progress_create_index p ON p.pid = a.pid
  WHERE a.pid = $1";

fn measure(row: &postgres::Row) -> Option<Measure> {
    let count = |i: usize| row.get::<_, Option<i64>>(i).unwrap_or(0).max(0) as u64;
    if let Some(phase) = row.get::<_, Option<String>>(1) {
        let (done, total, unit) = if count(3) > 0 {
            (count(2), count(3), "blocks")
        } else if count(5) > 0 {
            (count(4), count(5), "tuples")
        } else if count(7) > 0 {
            (count(6), count(7), "sessions")
        } else {
            (0, 0, "")
        };
        return Some(Measure {
            phase,
            done,
            total,
            unit,
            rows: None,
        });
    }
    backfill(&row.get::<_, Option<String>>(0).unwrap_or_default())
}

/// `schemaplan backfill: 120/4000 pages, 36000 rows` (the rows may be cut off: the name holds
/// 63 bytes).
fn backfill(name: &str) -> Option<Measure> {
    let rest = name.strip_prefix("schemaplan backfill: ")?;
    let (pages, rows) = rest.split_once(" pages")?;
    let (done, total) = pages.split_once('/')?;
    let rows = rows
        .trim_start_matches(", ")
        .strip_suffix(" rows")
        .and_then(|r| r.parse().ok());
    Some(Measure {
        phase: "filling".into(),
        done: done.parse().ok()?,
        total: total.parse().ok()?,
        unit: "pages",
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backfill_says_how_far_it_is_in_its_name() {
        assert_eq!(
            backfill("schemaplan backfill: 120/4000 pages, 36000 rows"),
            Some(Measure {
                phase: "filling".into(),
                done: 120,
                total: 4000,
                unit: "pages",
                rows: Some(36000),
            })
        );
        // Cut off at 63 bytes: the pages still count.
        let cut = backfill("schemaplan backfill: 1234567890/1234567890 pages, 1234567");
        assert_eq!(cut.map(|m| (m.done, m.rows)), Some((1234567890, None)));
        assert_eq!(backfill("schemaplan"), None);
        assert_eq!(backfill("psql"), None);
    }
}
