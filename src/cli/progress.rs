//! The terminal while a command runs: progress of steps and batches, timings, and the question
//! before anything is changed.

use std::io::{BufRead, IsTerminal, Write};

use schemaplan::pg::apply::Progress;

/// Prints progress: one line per finished or retried step, and for a hook's batches a
/// progress bar redrawn in place on a terminal, or a plain line every few seconds elsewhere
/// (CI logs).
pub struct Printer {
    terminal: bool,
    /// When the last batch line was printed, and whether a bar is drawn on the current line.
    last_batch: Option<std::time::Instant>,
    bar_open: bool,
}

impl Printer {
    pub fn new() -> Self {
        use std::io::IsTerminal;
        Printer {
            terminal: std::io::stdout().is_terminal(),
            last_batch: None,
            bar_open: false,
        }
    }

    fn end_bar(&mut self) {
        if self.bar_open {
            println!();
            self.bar_open = false;
        }
    }

    pub fn print(&mut self, p: Progress<'_>) {
        match p {
            Progress::Done {
                index,
                total,
                step,
                elapsed,
                attempts,
            } => {
                self.end_bar();
                self.last_batch = None;
                println!(
                    "  [{}/{total}] {} {} ... ok ({} ms{})",
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
            Progress::InPlace { index, total, step } => {
                self.end_bar();
                self.last_batch = None;
                println!(
                    "  [{}/{total}] {} {} ... in place already (done by the apply that stopped; verified)",
                    index + 1,
                    step.kind.replace('_', " "),
                    step.object,
                )
            }
            Progress::Retrying {
                index,
                step,
                attempt,
                wait,
            } => {
                self.end_bar();
                println!(
                    "  [{}] {} {} did not get its locks (lock timeout or deadlock); retry {attempt} in {} ms",
                    index + 1,
                    step.kind.replace('_', " "),
                    step.object,
                    wait.as_millis()
                )
            }
            Progress::Batch { index, step, tally } => {
                let now = std::time::Instant::now();
                let every = if self.terminal {
                    std::time::Duration::from_millis(100)
                } else {
                    std::time::Duration::from_secs(5)
                };
                let finished = tally.rows >= tally.total;
                if !finished && self.last_batch.is_some_and(|t| now - t < every) {
                    return;
                }
                self.last_batch = Some(now);
                let line = batch_line(index, &step.object, tally, self.terminal);
                if self.terminal {
                    use std::io::Write;
                    print!("\r\x1b[2K{line}");
                    let _ = std::io::stdout().flush();
                    self.bar_open = true;
                } else {
                    println!("{line}");
                }
            }
        }
    }
}

impl Default for Printer {
    fn default() -> Self {
        Self::new()
    }
}

/// `  [3] hook x [######......] 45,000/100,000 rows  12,345 rows/s  ETA 4 s`
fn batch_line(index: usize, object: &str, t: schemaplan::pg::hookrun::Tally, bar: bool) -> String {
    let secs = t.elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        t.rows_this_run as f64 / secs
    } else {
        0.0
    };
    let left = (t.total - t.rows).max(0);
    let eta = if rate > 0.0 {
        format!("ETA {}", human_secs(left as f64 / rate))
    } else {
        "ETA ?".into()
    };
    let drawn = if bar {
        let width = 24usize;
        let filled = if t.total > 0 {
            ((t.rows as f64 / t.total as f64) * width as f64).round() as usize
        } else {
            width
        }
        .min(width);
        format!(" [{}{}]", "#".repeat(filled), ".".repeat(width - filled))
    } else {
        String::new()
    };
    format!(
        "  [{}] {object}{drawn} {}/{} rows  {} rows/s  {eta}",
        index + 1,
        thousands(t.rows),
        thousands(t.total),
        thousands(rate.round() as i64)
    )
}

fn human_secs(s: f64) -> String {
    if s >= 90.0 {
        format!("{}m{:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    } else {
        format!("{:.0}s", s.ceil())
    }
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
