//! `--format sql`: the plan as a script for psql, as `apply` runs it.

use std::fmt::Write as _;
use std::time::Duration;

use crate::plan::render::session_settings;
use crate::plan::steps::{Plan, Step, describe_locks};

impl Plan {
    /// The plan's steps as SQL, as `apply` runs them: each transactional step in a transaction
    /// of its own (so its locks are held briefly), the others on their own. The snapshots of
    /// the data-driven suite are this text.
    pub fn to_sql(&self) -> String {
        self.script_steps(false)
    }

    /// The script `--format sql` prints, for psql: it stops at the first error, sets the
    /// session's `lock_timeout` (and `statement_timeout`) to the values `apply` would use, and
    /// names each step's hazards, locks and reverse in comments, so the safety the plan
    /// promised goes with the text.
    pub fn to_script(&self, lock_timeout: Duration, statement_timeout: Option<Duration>) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "-- schemaplan plan {}: {} step{}   {}",
            self.id,
            self.steps.len(),
            if self.steps.len() == 1 { "" } else { "s" },
            self.summary()
        );
        if self.steps.is_empty() {
            out.push_str("-- No changes: the database matches the desired state.\n");
            return out;
        }
        out.push_str(
            "-- A script for psql. Unlike `schemaplan apply`, psql does not retry a step that \
             times out\n-- waiting for a lock, records no history and checks no drift: rerun \
             the plan after a failure.\n",
        );
        let hazardous: Vec<String> = (self.steps.iter().enumerate())
            .filter(|(_, s)| !s.hazards.is_empty())
            .map(|(i, s)| {
                let names: Vec<&str> = s.hazards.iter().map(|h| h.name()).collect();
                format!(
                    "--   [{}] {} {}: {}",
                    i + 1,
                    s.kind,
                    s.object,
                    names.join(", ")
                )
            })
            .collect();
        if !hazardous.is_empty() {
            out.push_str("-- Hazards:\n");
            for line in hazardous {
                out.push_str(&line);
                out.push('\n');
            }
        }
        for w in &self.warnings {
            let _ = writeln!(out, "-- Warning: {}: {}", w.object, one_line(&w.message));
        }
        out.push_str("\\set ON_ERROR_STOP on\n");
        for setting in session_settings(lock_timeout, statement_timeout, false) {
            let _ = writeln!(out, "{setting};");
        }
        if statement_timeout.is_none() {
            out.push_str(
                "-- statement_timeout: the session's own, as for `apply` (`--statement-timeout` \
                 sets one)\n",
            );
        }
        out.push('\n');
        out.push_str(&self.script_steps(true));
        out
    }

    /// The steps by phase; `annotated` adds each step's hazards, locks and reverse.
    fn script_steps(&self, annotated: bool) -> String {
        let mut out = String::new();
        let total = self.steps.len();
        let mut phase = None;
        for (i, step) in self.steps.iter().enumerate() {
            if phase != Some(step.phase) {
                let _ = writeln!(out, "-- {} phase\n", step.phase);
                phase = Some(step.phase);
            }
            let _ = writeln!(
                out,
                "-- [{}/{total}] {} {}{}",
                i + 1,
                step.kind,
                step.object,
                if step.transactional {
                    ""
                } else {
                    " (outside a transaction)"
                }
            );
            if annotated {
                annotate(&mut out, step);
            }
            let glued_to_previous = i > 0 && self.steps[i - 1].commit_with_next;
            if step.transactional && !glued_to_previous {
                out.push_str("BEGIN;\n");
            }
            for stmt in &step.up {
                out.push_str(stmt);
                out.push_str(";\n");
            }
            if step.transactional && !step.commit_with_next {
                out.push_str("COMMIT;\n");
            }
            out.push('\n');
        }
        out
    }
}

/// `--   hazards: …`, `--   locks: …`, and what undoes the step, as comments.
fn annotate(out: &mut String, step: &Step) {
    if !step.hazards.is_empty() {
        let names: Vec<&str> = step.hazards.iter().map(|h| h.name()).collect();
        let _ = writeln!(out, "--   hazards: {}", names.join(", "));
    }
    let _ = writeln!(out, "--   locks: {}", describe_locks(&step.locks));
    match (&step.down, &step.irreversible) {
        (Some(down), _) if !down.is_empty() => {
            out.push_str("--   reverse:\n");
            for stmt in down {
                for line in stmt.lines() {
                    let _ = writeln!(out, "--     {line}");
                }
            }
        }
        (Some(_), _) => out.push_str("--   reverse: nothing to undo\n"),
        (None, Some(reason)) => {
            let _ = writeln!(out, "--   irreversible: {}", one_line(reason));
        }
        (None, None) => out.push_str("--   irreversible\n"),
    }
    if step.hook.as_ref().is_some_and(|h| h.batch.is_some()) {
        out.push_str(
            "--   a batched data hook: only `schemaplan apply` runs it (it fills in :lo and :hi \
             for each batch);\n--   psql stops here with an error\n",
        );
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
