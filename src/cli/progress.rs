//! The terminal while a command runs: what the apply says of each step (standard output), its
//! progress (standard error, through `feedback`), timings, and the question before anything is
//! changed.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Instant;

use schemaplan::pg::apply::Progress;
use schemaplan::pg::hookrun::Tally;
use schemaplan::pg::watch::Measure;

use super::feedback::{Feedback, duration};

/// Prints what the apply does: one line per finished or retried step on standard output, and
/// meanwhile, on standard error, which step runs and how far it is (a hook's or a backfill's
/// rows, an index build's blocks or tuples).
pub struct Printer {
    feedback: Feedback,
    /// When the step that runs began.
    started: Instant,
    /// The last count of a hook's rows, and its step: said again when the step is done.
    rows: Option<(usize, Tally)>,
}

impl Printer {
    pub fn new(feedback: Feedback) -> Self {
        Printer {
            feedback,
            started: Instant::now(),
            rows: None,
        }
    }

    pub fn print(&mut self, p: Progress<'_>) {
        let line = match p {
            Progress::Starting { index, total, step } => {
                self.started = Instant::now();
                self.feedback.begin(&format!(
                    "apply [{}/{total}] {} {}",
                    index + 1,
                    step.kind.replace('_', " "),
                    step.object
                ));
                return;
            }
            Progress::Batch { index, tally, .. } => {
                self.rows = Some((index, tally));
                if tally.total > 0 {
                    let (done, total) = (tally.rows.max(0) as u64, tally.total as u64);
                    self.feedback
                        .advance(done, total, "rows", &batch_rate(&tally));
                }
                return;
            }
            Progress::Measured { measure, .. } => {
                let (done, total, unit, at) = measured(&measure, self.started.elapsed());
                self.feedback.advance(done, total, unit, &at);
                return;
            }
            Progress::Done {
                index,
                total,
                step,
                elapsed,
                attempts,
            } => {
                let rows = match self.rows.take() {
                    Some((i, t)) if i == index => {
                        format!(", {}/{} rows", thousands(t.rows), thousands(t.total))
                    }
                    _ => String::new(),
                };
                format!(
                    "  [{}/{total}] {} {} ... ok ({} ms{}{rows})",
                    index + 1,
                    step.kind.replace('_', " "),
                    step.object,
                    elapsed.as_millis(),
                    if attempts > 1 {
                        format!(", {attempts} attempts")
                    } else {
                        String::new()
                    }
                )
            }
            Progress::InPlace { index, total, step } => format!(
                "  [{}/{total}] {} {} ... in place already (done by the apply that stopped; verified)",
                index + 1,
                step.kind.replace('_', " "),
                step.object,
            ),
            Progress::Retrying {
                index,
                step,
                attempt,
                wait,
            } => format!(
                "  [{}] {} {} did not get its locks (lock timeout or deadlock); retry {attempt} in {} ms",
                index + 1,
                step.kind.replace('_', " "),
                step.object,
                wait.as_millis()
            ),
        };
        self.feedback.say(|| println!("{line}"));
    }
}

/// `12,345 rows/s, ETA 4s` for a hook's batches.
fn batch_rate(t: &Tally) -> String {
    let secs = t.elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        t.rows_this_run as f64 / secs
    } else {
        0.0
    };
    let left = (t.total - t.rows).max(0) as f64;
    let eta = if rate > 0.0 {
        format!(
            "ETA {}",
            duration(std::time::Duration::from_secs_f64(left / rate))
        )
    } else {
        "ETA ?".into()
    };
    format!("{} rows/s, {eta}", thousands(rate.round() as i64))
}

/// What a second session saw of a long statement, as a count for the bar: a backfill's pages
/// (with its rows, their rate, and the time left at the pace so far), an index build's blocks,
/// tuples or the sessions it waits for (with PostgreSQL's phase).
fn measured(m: &Measure, elapsed: std::time::Duration) -> (u64, u64, &'static str, String) {
    let Some(rows) = m.rows else {
        return (m.done, m.total, m.unit, m.phase.clone());
    };
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { rows as f64 / secs } else { 0.0 };
    let eta = if m.done > 0 && m.total > m.done {
        let left = secs * (m.total - m.done) as f64 / m.done as f64;
        format!(
            ", ETA {}",
            duration(std::time::Duration::from_secs_f64(left))
        )
    } else {
        String::new()
    };
    let at = format!(
        "{} rows, {} rows/s{eta}",
        thousands(rows as i64),
        thousands(rate.round() as i64)
    );
    (m.done, m.total, m.unit, at)
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// One line per phase, on standard error (stdout carries the plan).
pub fn print_timings(laps: &[(&str, std::time::Duration)]) {
    for (phase, took) in laps {
        eprintln!("timing: {phase}: {:.2} s", took.as_secs_f64());
    }
}

/// `--yes`, or the answer to a question on a terminal; `verb` names what is refused.
pub fn confirmed_with(yes: bool, verb: &str, question: &str) -> bool {
    if yes {
        return true;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("error: refusing to {verb} without --yes: stdin is not a terminal");
        return false;
    }
    print!("\n{question} [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        true
    } else {
        eprintln!("Aborted: nothing was changed.");
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_backfill_says_its_rows_their_rate_and_the_time_left() {
        let m = Measure {
            phase: "filling".into(),
            done: 1000,
            total: 4000,
            unit: "pages",
            rows: Some(400_000),
        };
        assert_eq!(
            measured(&m, Duration::from_secs(5)),
            (
                1000,
                4000,
                "pages",
                "400,000 rows, 80,000 rows/s, ETA 15s".to_string()
            )
        );
        let build = Measure {
            phase: "building index: scanning table".into(),
            done: 10,
            total: 20,
            unit: "blocks",
            rows: None,
        };
        assert_eq!(
            measured(&build, Duration::from_secs(5)).3,
            "building index: scanning table"
        );
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
