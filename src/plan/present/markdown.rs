//! `--format markdown`: a plan for a pull-request comment or a CI job summary. What a reviewer
//! must see first comes first (counts, hazards, warnings); the SQL of each step folds away in
//! `<details>`; a Mermaid diagram shows the order while it stays readable. GitHub refuses a
//! comment over 65,536 characters, so the text is kept under a cap, dropping the SQL first.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::plan::classify::{Hazard, Phase};
use crate::plan::steps::{Plan, Step, describe_locks, noun_rank};

/// The most characters the markdown may have: under GitHub's 65,536 for a comment, with room
/// for a bot's own header.
pub const MARKDOWN_CAP: usize = 60_000;

/// Plans of more steps than this get no diagram: a longer chain is not read, only scrolled.
/// Plans of fewer than `DIAGRAM_MIN_STEPS` need none.
const DIAGRAM_MAX_STEPS: usize = 40;
const DIAGRAM_MIN_STEPS: usize = 3;

const PHASES: [Phase; 3] = [Phase::Expand, Phase::Backfill, Phase::Contract];

impl Plan {
    /// The plan as GitHub-flavoured markdown, `rehearsal` the rehearsal's one-line verdict
    /// when there was one. At most `cap` characters.
    pub fn to_markdown(&self, rehearsal: Option<&str>, cap: usize) -> String {
        let full = self.markdown(rehearsal, Detail::Sql);
        if full.len() <= cap {
            return full;
        }
        let listed = self.markdown(rehearsal, Detail::StepList);
        if listed.len() <= cap {
            return listed;
        }
        self.markdown(rehearsal, Detail::Summary)
    }

    fn markdown(&self, rehearsal: Option<&str>, detail: Detail) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "### schemaplan plan `{}`\n", short_id(&self.id));
        if self.steps.is_empty() {
            out.push_str("No changes: the database matches the desired state.\n");
            self.warnings_md(&mut out);
            return out;
        }
        let _ = writeln!(
            out,
            "**{} step{}**: {}\n",
            self.steps.len(),
            if self.steps.len() == 1 { "" } else { "s" },
            escape_text(&self.summary())
        );
        if let Some(r) = rehearsal {
            let _ = writeln!(out, "**Rehearsal** — {}\n", escape_text(r));
        }
        self.counts_md(&mut out);
        self.hazards_md(&mut out);
        self.warnings_md(&mut out);
        match detail {
            Detail::Sql | Detail::StepList => {
                if detail == Detail::Sql
                    && (DIAGRAM_MIN_STEPS..=DIAGRAM_MAX_STEPS).contains(&self.steps.len())
                {
                    self.diagram_md(&mut out);
                }
                self.steps_md(&mut out, detail == Detail::Sql);
                if detail == Detail::StepList {
                    out.push_str(LEFT_OUT_SQL);
                }
            }
            Detail::Summary => out.push_str(LEFT_OUT_STEPS),
        }
        out
    }

    /// A table of counts: one row per kind of change, one column per phase.
    fn counts_md(&self, out: &mut String) {
        let phases: Vec<Phase> = PHASES
            .into_iter()
            .filter(|p| self.steps.iter().any(|s| s.phase == *p))
            .collect();
        let mut rows: BTreeMap<(usize, usize, &str), BTreeMap<Phase, usize>> = BTreeMap::new();
        for step in &self.steps {
            let sign = match step.sign {
                '+' => 0,
                '~' => 1,
                _ => 2,
            };
            *rows
                .entry((sign, noun_rank(&step.noun), step.noun.as_str()))
                .or_default()
                .entry(step.phase)
                .or_default() += 1;
        }
        out.push_str("| change |");
        for p in &phases {
            let _ = write!(out, " {p} |");
        }
        out.push_str("\n|---|");
        out.push_str(&"---:|".repeat(phases.len()));
        out.push('\n');
        for ((sign, _, noun), by_phase) in &rows {
            let _ = write!(out, "| {} {} |", ["+", "~", "-"][*sign], escape_text(noun));
            for p in &phases {
                match by_phase.get(p) {
                    Some(n) => {
                        let _ = write!(out, " {n} |");
                    }
                    None => out.push_str("  |"),
                }
            }
            out.push('\n');
        }
        out.push('\n');
    }

    /// Every step with a hazard, gated ones first.
    fn hazards_md(&self, out: &mut String) {
        let mut listed: Vec<(bool, usize, &Step)> = (self.steps.iter().enumerate())
            .filter(|(_, s)| !s.hazards.is_empty())
            .map(|(i, s)| (!s.hazards.iter().any(|h| h.gated()), i, s))
            .collect();
        if listed.is_empty() {
            return;
        }
        listed.sort_by_key(|(ungated, i, _)| (*ungated, *i));
        let _ = writeln!(
            out,
            "#### ⚠️ Hazards ({} step{})\n",
            listed.len(),
            if listed.len() == 1 { "" } else { "s" }
        );
        out.push_str("| step | hazards | change |\n|---:|---|---|\n");
        for (_, i, step) in listed {
            let names: Vec<String> = (step.hazards.iter())
                .map(|h| {
                    if h.gated() {
                        format!("**{h}** (gated)")
                    } else {
                        h.to_string()
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                i + 1,
                names.join(", "),
                step_title(step)
            );
        }
        if self
            .steps
            .iter()
            .any(|s| s.hazards.iter().any(|h| h.gated()))
        {
            let gated: Vec<&str> = (Hazard::ALL.iter())
                .filter(|h| h.gated())
                .filter(|h| self.steps.iter().any(|s| s.hazards.contains(h)))
                .map(|h| h.name())
                .collect();
            let _ = writeln!(
                out,
                "\n`apply` refuses gated steps unless `--allow-hazards {}` names them.",
                gated.join(",")
            );
        }
        out.push('\n');
    }

    fn warnings_md(&self, out: &mut String) {
        if self.warnings.is_empty() {
            return;
        }
        let _ = writeln!(out, "#### Warnings\n");
        for w in &self.warnings {
            let _ = writeln!(
                out,
                "- `{}`: {}",
                w.object.replace('`', "'"),
                escape_text(&w.message)
            );
        }
        out.push('\n');
    }

    /// The order of the steps, one subgraph per phase.
    fn diagram_md(&self, out: &mut String) {
        out.push_str(
            "<details><summary>Order of the steps</summary>\n\n```mermaid\nflowchart TD\n",
        );
        let mut previous: Option<usize> = None;
        for phase in PHASES {
            let in_phase: Vec<usize> = (0..self.steps.len())
                .filter(|i| self.steps[*i].phase == phase)
                .collect();
            if in_phase.is_empty() {
                continue;
            }
            let _ = writeln!(out, "  subgraph {phase}");
            for i in &in_phase {
                let s = &self.steps[*i];
                let _ = writeln!(
                    out,
                    "    s{}[\"{} {} {}\"]",
                    i + 1,
                    i + 1,
                    s.kind.replace('_', " "),
                    mermaid_label(&s.object)
                );
            }
            out.push_str("  end\n");
            for i in in_phase {
                if let Some(p) = previous {
                    let _ = writeln!(out, "  s{} --> s{}", p + 1, i + 1);
                }
                previous = Some(i);
            }
        }
        out.push_str("```\n\n</details>\n\n");
    }

    /// The steps by phase; with `sql`, each folds out to its SQL, its reverse and its locks.
    fn steps_md(&self, out: &mut String, sql: bool) {
        let total = self.steps.len();
        for phase in PHASES {
            let count = self.steps.iter().filter(|s| s.phase == phase).count();
            if count == 0 {
                continue;
            }
            let _ = writeln!(
                out,
                "#### {phase} ({count} step{})\n",
                if count == 1 { "" } else { "s" }
            );
            for (i, step) in self.steps.iter().enumerate() {
                if step.phase != phase {
                    continue;
                }
                let title = format!("{}/{total} {}", i + 1, step_title(step));
                if !sql {
                    let _ = writeln!(out, "- {title}");
                    continue;
                }
                let _ = writeln!(out, "<details><summary>{title}</summary>\n");
                step_body(out, step);
                out.push_str("</details>\n\n");
            }
            if !sql {
                out.push('\n');
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Everything, the SQL of every step included.
    Sql,
    /// Each step on a line, without its SQL.
    StepList,
    /// Counts, hazards and warnings only.
    Summary,
}

const LEFT_OUT_SQL: &str = "_The SQL is left out to keep this under GitHub's size limit: \
`schemaplan plan --format sql` prints it, and `--out FILE` saves the whole plan._\n";

const LEFT_OUT_STEPS: &str = "_The steps are left out to keep this under GitHub's size \
limit: `schemaplan plan` lists them, `--format sql` prints their SQL, and `--out FILE` saves \
the whole plan._\n";

/// `+ add column public.t.c`, with the object in code and what is unusual about the step.
fn step_title(step: &Step) -> String {
    let mut title = format!(
        "{} {} {}",
        step.sign,
        step.kind.replace('_', " "),
        html_code(&step.object)
    );
    if !step.transactional {
        title.push_str(" <i>(outside a transaction)</i>");
    }
    title
}

fn step_body(out: &mut String, step: &Step) {
    if !step.hazards.is_empty() {
        let names: Vec<&str> = step.hazards.iter().map(|h| h.name()).collect();
        let _ = writeln!(out, "Hazards: **{}**  ", names.join(", "));
    }
    let _ = writeln!(
        out,
        "Locks: {}\n",
        escape_text(&describe_locks(&step.locks))
    );
    fenced(out, &step.up);
    match (&step.down, &step.irreversible) {
        (Some(down), _) if !down.is_empty() => {
            out.push_str("Reverse:\n\n");
            fenced(out, down);
        }
        (Some(_), _) => out.push_str("Reverse: nothing to undo.\n\n"),
        (None, Some(reason)) => {
            let _ = writeln!(out, "Irreversible: {}\n", escape_text(reason));
        }
        (None, None) => out.push_str("Irreversible.\n\n"),
    }
}

/// A fenced SQL block whose fence is longer than any run of backticks in the statements.
fn fenced(out: &mut String, statements: &[String]) {
    let longest = (statements.iter())
        .map(|s| longest_run(s, '`'))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{fence}sql");
    for s in statements {
        out.push_str(s);
        out.push_str(";\n");
    }
    let _ = writeln!(out, "{fence}\n");
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// Text where markdown or HTML would read something into `<`, `>`, `&`, `|`, `*`, `_`, `` ` ``.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' | '*' | '_' | '`' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A name as HTML code (markdown code spans do not work inside `<summary>`).
fn html_code(text: &str) -> String {
    let mut out = String::from("<code>");
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' => out.push_str("&#124;"),
            _ => out.push(c),
        }
    }
    out.push_str("</code>");
    out
}

/// A node label of a Mermaid diagram, inside double quotes.
fn mermaid_label(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}
