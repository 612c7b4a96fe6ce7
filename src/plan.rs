//! A plan: ordered steps, each with its SQL, its reverse and what it touches; and its three
//! presentations (human, SQL script, JSON). Pure: no I/O.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::change::{Change, Reverse};
use crate::classify::{self, Hazard, Locks, Phase};
use crate::diff::Warning;
use crate::model::{Catalog, QualName};
use crate::render;

#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub warnings: Vec<PlanWarning>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PlanWarning {
    pub object: String,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub kind: &'static str,
    pub object: String,
    pub up: Vec<String>,
    /// The SQL that undoes this step (empty when there is nothing to undo), or `None` when the
    /// step cannot be undone; `irreversible` then says why.
    pub down: Option<Vec<String>>,
    pub irreversible: Option<String>,
    pub transactional: bool,
    pub phase: Phase,
    pub hazards: Vec<Hazard>,
    /// Existing tables whose storage the step rewrites (predicted).
    #[serde(serialize_with = "serialize_names")]
    pub rewrites: Vec<QualName>,
    /// The strongest lock taken on each existing relation (predicted; see `rehearse`).
    #[serde(serialize_with = "serialize_locks")]
    pub locks: Locks,
    #[serde(skip)]
    pub change: Change,
}

/// `ACCESS EXCLUSIVE on public.t, SHARE on public.u`, or `none`.
pub fn describe_locks(locks: &Locks) -> String {
    if locks.is_empty() {
        return "none".into();
    }
    locks
        .iter()
        .map(|(relation, mode)| format!("{mode} on {relation}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn serialize_names<S: serde::Serializer>(names: &[QualName], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(names.iter().map(|n| n.to_string()))
}

fn serialize_locks<S: serde::Serializer>(locks: &Locks, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(locks.len()))?;
    for (relation, mode) in locks {
        seq.serialize_element(&serde_json::json!({
            "relation": relation.to_string(),
            "mode": mode.to_string(),
        }))?;
    }
    seq.end()
}

impl Plan {
    /// Builds the plan from changes already in dependency order, between the `current` and the
    /// `desired` model.
    pub fn new(
        ordered: Vec<(Change, Phase)>,
        warnings: Vec<Warning>,
        current: &Catalog,
        desired: &Catalog,
    ) -> Plan {
        let steps = ordered
            .into_iter()
            .map(|(change, phase)| {
                let (down, irreversible) = match change.reverse() {
                    Reverse::Changes(changes) => (
                        Some(changes.iter().flat_map(render::statements).collect()),
                        None,
                    ),
                    Reverse::Irreversible { reason } => (None, Some(reason)),
                };
                Step {
                    phase,
                    hazards: classify::hazards(&change, current, desired),
                    rewrites: classify::rewrites(&change, current),
                    locks: classify::locks(&change, current, desired),
                    kind: change.kind(),
                    object: change.object(),
                    up: render::statements(&change),
                    down,
                    irreversible,
                    transactional: change.transactional(),
                    change,
                }
            })
            .filter(|s| !s.up.is_empty())
            .collect();
        Plan {
            steps,
            warnings: warnings
                .into_iter()
                .map(|w| PlanWarning {
                    object: w.object,
                    message: w.message,
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// `+ 3 tables  ~ 2 columns  - 1 index`
    pub fn summary(&self) -> String {
        const NOUNS: &[(&str, &str)] = &[
            ("schema", "schemas"),
            ("extension", "extensions"),
            ("enum", "enums"),
            ("sequence", "sequences"),
            ("table", "tables"),
            ("column", "columns"),
            ("constraint", "constraints"),
            ("index", "indexes"),
            ("view", "views"),
            ("comment", "comments"),
        ];
        let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for step in &self.steps {
            let sign = match step.change.sign() {
                '+' => 0,
                '~' => 1,
                _ => 2,
            };
            let noun = NOUNS
                .iter()
                .position(|(n, _)| *n == step.change.noun())
                .unwrap_or(NOUNS.len() - 1);
            *counts.entry((sign, noun)).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|((sign, noun), n)| {
                let (one, many) = NOUNS[noun];
                format!(
                    "{} {n} {}",
                    ['+', '~', '-'][sign],
                    if n == 1 { one } else { many }
                )
            })
            .collect::<Vec<_>>()
            .join("  ")
    }

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
            if step.transactional {
                out.push_str("BEGIN;\n");
            }
            for stmt in &step.up {
                out.push_str(stmt);
                out.push_str(";\n");
            }
            if step.transactional {
                out.push_str("COMMIT;\n");
            }
            out.push('\n');
        }
        out
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a plan is always serializable")
    }

    /// The human listing: summary, warnings, every step by phase with its hazards, locks and
    /// SQL (and what the rehearsal observed, when given), and the text diff of each view whose
    /// definition changes.
    pub fn to_human(&self, observations: Option<&[crate::rehearse::Observation]>) -> String {
        let mut out = String::new();
        if self.steps.is_empty() {
            out.push_str("No changes: the database matches the desired state.\n");
        } else {
            let _ = writeln!(
                out,
                "Plan: {} step{}   {}",
                self.steps.len(),
                if self.steps.len() == 1 { "" } else { "s" },
                self.summary()
            );
        }
        if !self.warnings.is_empty() {
            out.push_str("\nWarnings:\n");
            for w in &self.warnings {
                let _ = writeln!(out, "  ! {}: {}", w.object, w.message);
            }
        }
        let total = self.steps.len();
        let mut phase = None;
        for (i, step) in self.steps.iter().enumerate() {
            if phase != Some(step.phase) {
                let _ = writeln!(out, "\n== {} ==", step.phase);
                phase = Some(step.phase);
            }
            let _ = writeln!(
                out,
                "\n[{}/{total}] {} {} {}{}",
                i + 1,
                step.change.sign(),
                step.kind.replace('_', " "),
                step.object,
                if step.transactional {
                    ""
                } else {
                    "  (runs outside a transaction)"
                }
            );
            if !step.hazards.is_empty() {
                let names: Vec<&str> = step.hazards.iter().map(|h| h.name()).collect();
                let _ = writeln!(out, "    !! hazards: {}", names.join(", "));
            }
            if !step.locks.is_empty() {
                let _ = writeln!(out, "    locks: {}", describe_locks(&step.locks));
            }
            if let Some(o) = observations.and_then(|o| o.get(i)) {
                let locks = match &o.locks {
                    Some(l) if *l == step.locks => "as predicted".to_string(),
                    Some(l) => format!("{} (differs from the prediction)", describe_locks(l)),
                    None => "not observed".to_string(),
                };
                let rewrites = if o.rewritten.is_empty() {
                    String::new()
                } else {
                    let names: Vec<String> = o.rewritten.iter().map(|q| q.to_string()).collect();
                    format!("; rewrote {}", names.join(", "))
                };
                let _ = writeln!(out, "    rehearsal: locks {locks}{rewrites}");
            }
            for stmt in &step.up {
                for line in stmt.lines() {
                    let _ = writeln!(out, "    {line}");
                }
                let last = out.pop();
                debug_assert_eq!(last, Some('\n'));
                out.push_str(";\n");
            }
            if let Some(reason) = &step.irreversible {
                let _ = writeln!(out, "    -- irreversible: {reason}");
            }
        }
        let diffs = self.view_diffs();
        if !diffs.is_empty() {
            out.push_str("\nView definitions:\n");
            out.push_str(&diffs);
        }
        out
    }

    /// Unified diffs between the old and new text of every view the plan redefines.
    fn view_diffs(&self) -> String {
        let mut before: BTreeMap<String, &str> = BTreeMap::new();
        let mut after: BTreeMap<String, &str> = BTreeMap::new();
        for step in &self.steps {
            match &step.change {
                Change::ReplaceView { name, from, to } => {
                    before.insert(name.to_string(), &from.definition.text);
                    after.insert(name.to_string(), &to.definition.text);
                }
                Change::DropView { name, view } => {
                    before.insert(name.to_string(), &view.definition.text);
                }
                Change::CreateView { name, view } => {
                    after.insert(name.to_string(), &view.definition.text);
                }
                _ => {}
            }
        }
        let mut out = String::new();
        for (name, old) in &before {
            let Some(new) = after.get(name) else { continue };
            if old == new {
                continue;
            }
            let old = format!("{old}\n");
            let new = format!("{new}\n");
            let diff = similar::TextDiff::from_lines(&old, &new);
            let _ = write!(
                out,
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&format!("{name} (current)"), &format!("{name} (desired)"))
            );
        }
        out
    }
}
