//! Progress on standard error while a command works: a spinner or a bar redrawn in place on a
//! terminal (indicatif), a plain line every few seconds elsewhere (CI logs), or nothing
//! (`--quiet`). The library reports through `stdx::Report`; this is where it is drawn.

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use schemaplan::pipeline::Report;

use super::terminal::Mode;

/// In a log, a stage says how far it is once it has run this long, and again this often.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// Shared by whoever reports during one command (the pipeline, the apply's printer, the
/// connection); clones report to the same place.
#[derive(Clone)]
pub struct Feedback {
    inner: Arc<Inner>,
}

struct Inner {
    mode: Mode,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The bar on the terminal (live mode), made at the first stage and kept.
    bar: Option<ProgressBar>,
    stage: Option<Stage>,
}

struct Stage {
    what: String,
    started: Instant,
    /// `done`, `total`, unit, and what it is at.
    count: Option<(u64, u64, String, String)>,
    /// When a log line last said how far it is.
    said: Option<Instant>,
}

impl Feedback {
    pub fn new(mode: Mode) -> Feedback {
        let inner = Arc::new(Inner {
            mode,
            state: Mutex::new(State::default()),
        });
        if mode == Mode::Lines {
            let weak = Arc::downgrade(&inner);
            std::thread::spawn(move || lines(weak));
        }
        Feedback { inner }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A stage begins: a spinner with its name on a terminal.
    pub fn begin(&self, what: &str) {
        if self.inner.mode == Mode::Quiet {
            return;
        }
        let mut state = self.state();
        state.stage = Some(Stage {
            what: what.to_string(),
            started: Instant::now(),
            count: None,
            said: None,
        });
        if self.inner.mode == Mode::Live {
            // A bar of its own for each stage: nothing of the last one's count or clock stays.
            if let Some(old) = state.bar.take() {
                old.finish_and_clear();
            }
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_style(spinner_style())
                .with_prefix(what.to_string());
            bar.enable_steady_tick(Duration::from_millis(100));
            state.bar = Some(bar);
        }
    }

    /// The stage has done `done` of `total` `unit`s: a bar on a terminal.
    pub fn advance(&self, done: u64, total: u64, unit: &str, at: &str) {
        if self.inner.mode == Mode::Quiet {
            return;
        }
        let mut state = self.state();
        let Some(stage) = state.stage.as_mut() else {
            return;
        };
        let counted = stage.count.as_ref().is_some_and(|c| c.1 > 0);
        stage.count = Some((done, total, unit.to_string(), at.to_string()));
        if let Some(bar) = &state.bar {
            if total == 0 {
                // Nothing counted (an index build waiting for other sessions): the spinner.
                if counted {
                    bar.set_style(spinner_style());
                    bar.unset_length();
                }
                bar.set_message(at.to_string());
                return;
            }
            if !counted {
                bar.set_style(bar_style());
            }
            bar.set_length(total);
            bar.set_position(done.min(total));
            bar.set_message(if at.is_empty() {
                unit.to_string()
            } else {
                format!("{unit}, {at}")
            });
        }
    }

    /// Prints through `print` with the bar out of the way (it comes back after).
    pub fn say(&self, print: impl FnOnce()) {
        let state = self.state();
        match &state.bar {
            Some(bar) if state.stage.is_some() => bar.suspend(print),
            _ => print(),
        }
    }

    /// Nothing runs any more: the bar goes away (before the command prints its result).
    pub fn clear(&self) {
        let mut state = self.state();
        state.stage = None;
        if let Some(bar) = state.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Report for Feedback {
    fn stage(&mut self, what: &str) {
        self.begin(what);
    }

    fn count(&mut self, done: u64, total: u64, unit: &str, at: &str) {
        self.advance(done, total, unit, at);
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(|p| p.into_inner());
        if let Some(bar) = state.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {prefix} ({elapsed}) {wide_msg}")
        .expect("a valid template")
}

fn bar_style() -> ProgressStyle {
    // Two lines: the stage's name (a step can be long) above its count.
    ProgressStyle::with_template(
        "{spinner} {prefix} ({elapsed})\n  [{bar:20}] {pos}/{len} {wide_msg}",
    )
    .expect("a valid template")
    .progress_chars("=> ")
}

/// In a log: every few seconds, how far a stage that has run for a while is. Ends with the
/// command's feedback.
fn lines(inner: Weak<Inner>) {
    loop {
        std::thread::sleep(Duration::from_millis(250));
        let Some(inner) = inner.upgrade() else {
            return;
        };
        let mut state = inner.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some(stage) = state.stage.as_mut() else {
            continue;
        };
        let now = Instant::now();
        let since = stage.said.unwrap_or(stage.started);
        if now - since < LINE_EVERY {
            continue;
        }
        stage.said = Some(now);
        eprintln!("{}", log_line(stage, now));
    }
}

/// `rehearsal: up: 120/3168 steps, create index public.t_a_idx (25s)`.
fn log_line(stage: &Stage, now: Instant) -> String {
    let elapsed = duration(now - stage.started);
    match &stage.count {
        Some((_, 0, _, at)) if !at.is_empty() => format!("{}: {at} ({elapsed})", stage.what),
        Some((_, 0, _, _)) => format!("{} ({elapsed})", stage.what),
        Some((done, total, unit, at)) if at.is_empty() => {
            format!("{}: {done}/{total} {unit} ({elapsed})", stage.what)
        }
        Some((done, total, unit, at)) => {
            format!("{}: {done}/{total} {unit}, {at} ({elapsed})", stage.what)
        }
        None => format!("{} ({elapsed})", stage.what),
    }
}

/// `4s`, `2m05s`.
pub fn duration(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 90 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_says_the_stage_its_count_and_how_long() {
        let started = Instant::now();
        let mut stage = Stage {
            what: "rehearsal: up".into(),
            started,
            count: None,
            said: None,
        };
        let later = started + Duration::from_secs(125);
        assert_eq!(log_line(&stage, later), "rehearsal: up (2m05s)");
        stage.count = Some((120, 3168, "steps".into(), "create index public.i".into()));
        assert_eq!(
            log_line(&stage, later),
            "rehearsal: up: 120/3168 steps, create index public.i (2m05s)"
        );
    }
}
