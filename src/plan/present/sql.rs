//! `--format sql`: the plan as a script for psql, as `apply` runs it.

use std::fmt::Write as _;

use crate::plan::steps::Plan;

impl Plan {
    /// The plan as an executable script, as `apply` runs it: each transactional step in a
    /// transaction of its own (so its locks are held briefly), the others on their own.
    pub fn to_sql(&self) -> String {
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
