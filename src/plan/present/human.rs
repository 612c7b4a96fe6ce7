//! The human listing of a plan, for a terminal or a log.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::plan::change::Change;
use crate::plan::present::paint::{Paint, Role};
use crate::plan::steps::{Observation, Plan, Step, describe_locks};

/// How the human listing is written: painted or plain, and with the rehearsal's word on every
/// step (`verbose`) or only on the steps where it differs from the prediction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HumanOptions {
    pub paint: Paint,
    pub verbose: bool,
}

impl Plan {
    /// The human listing: summary, warnings, what the rehearsal observed (when given: one line
    /// for the plan, and a line under each step it saw do otherwise than predicted, or under
    /// every step when `verbose`), every step by phase with its hazards, locks and SQL, and the
    /// text diff of each view whose definition changes. `options.paint` colours it; plain, it
    /// is the same text without the escapes.
    pub fn to_human(&self, observations: Option<&[Observation]>, options: HumanOptions) -> String {
        let paint = options.paint;
        let mut out = String::new();
        if self.steps.is_empty() {
            out.push_str("No changes: the database matches the desired state.\n");
        } else {
            let count = format!(
                "Plan: {} step{}",
                self.steps.len(),
                if self.steps.len() == 1 { "" } else { "s" },
            );
            let summary: Vec<String> = (self.summary().split("  "))
                .map(|part| match part.split_at_checked(1) {
                    Some((sign, rest)) => format!("{}{rest}", paint.sign(sign)),
                    None => part.to_string(),
                })
                .collect();
            let _ = writeln!(
                out,
                "{}   {}",
                paint.paint(Role::Heading, &count),
                summary.join("  ")
            );
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(out, "\n{}", paint.paint(Role::Warning, "Warnings:"));
            for w in &self.warnings {
                let _ = writeln!(
                    out,
                    "  {} {}: {}",
                    paint.paint(Role::Warning, "!"),
                    w.object,
                    w.message
                );
            }
        }
        if let Some(observations) = observations.filter(|_| !options.verbose) {
            if !self.steps.is_empty() {
                let _ = writeln!(out, "\n{}", self.lock_verdict(observations, paint));
            }
        }
        let total = self.steps.len();
        let mut phase = None;
        for (i, step) in self.steps.iter().enumerate() {
            if phase != Some(step.phase) {
                let heading = format!("== {} ==", step.phase);
                let _ = writeln!(out, "\n{}", paint.paint(Role::Heading, &heading));
                phase = Some(step.phase);
            }
            let _ = writeln!(
                out,
                "\n[{}/{total}] {} {} {}{}",
                i + 1,
                paint.sign(&step.sign.to_string()),
                step.kind.replace('_', " "),
                step.object,
                if !step.transactional {
                    "  (runs outside a transaction)"
                } else if step.commit_with_next {
                    "  (commits with the next step)"
                } else {
                    ""
                }
            );
            if !step.hazards.is_empty() {
                let names: Vec<&str> = step.hazards.iter().map(|h| h.name()).collect();
                let line = format!("!! hazards: {}", names.join(", "));
                let _ = writeln!(out, "    {}", paint.paint(Role::Hazard, &line));
            }
            if !step.locks.is_empty() {
                let _ = writeln!(out, "    locks: {}", describe_locks(&step.locks));
            }
            if let Some(o) = observations.and_then(|o| o.get(i)) {
                if let Some(line) = observed(step, o, options) {
                    let _ = writeln!(out, "    {line}");
                }
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
                let line = format!("-- irreversible: {reason}");
                let _ = writeln!(out, "    {}", paint.paint(Role::Warning, &line));
            }
        }
        let diffs = self.view_diffs(paint);
        if !diffs.is_empty() {
            out.push_str("\nView definitions:\n");
            out.push_str(&diffs);
        }
        out
    }

    /// The rehearsal's word on the plan's locks, once: as predicted at every step, or at every
    /// step but those marked below, or at every step it reached before it stopped. A hook's
    /// locks are its SQL's own, neither predicted nor observed: the verdict says so.
    fn lock_verdict(&self, observations: &[Observation], paint: Paint) -> String {
        let differ = (self.steps.iter())
            .zip(observations)
            .filter(|(step, o)| differs(step, o))
            .count();
        let reached = observations.len().min(self.steps.len());
        let hooks = (observations.iter().take(reached))
            .filter(|o| o.locks.is_none())
            .count();
        let but_hooks = match hooks {
            0 => String::new(),
            1 => ", but for the hook's, which are its SQL's own".to_string(),
            n => format!(", but for the {n} hooks', which are their SQL's own"),
        };
        if differ > 0 {
            let line = format!(
                "rehearsal: {differ} step{} did otherwise than predicted (marked below); every \
                 other step's locks as predicted{but_hooks}",
                if differ == 1 { "" } else { "s" }
            );
            paint.paint(Role::Warning, &line)
        } else if reached < self.steps.len() {
            format!(
                "rehearsal: every step's locks as predicted{but_hooks}, of the {reached} of {} it \
                 reached",
                self.steps.len()
            )
        } else {
            let line = format!("rehearsal: every step's locks as predicted{but_hooks}");
            paint.paint(Role::Good, &line)
        }
    }

    /// Unified diffs between the old and new text of every view the plan redefines.
    fn view_diffs(&self, paint: Paint) -> String {
        let mut before: BTreeMap<String, &str> = BTreeMap::new();
        let mut after: BTreeMap<String, &str> = BTreeMap::new();
        for step in &self.steps {
            let Some(change) = &step.change else {
                continue;
            };
            match change {
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
                Change::DropMaterializedView { name, view } => {
                    before.insert(name.to_string(), &view.definition.text);
                }
                Change::CreateMaterializedView { name, view } => {
                    after.insert(name.to_string(), &view.definition.text);
                }
                // No view definition in these.
                Change::CreateSchema { .. }
                | Change::DropSchema { .. }
                | Change::CreateExtension { .. }
                | Change::DropExtension { .. }
                | Change::AlterExtension { .. }
                | Change::CreateEnum { .. }
                | Change::DropEnum { .. }
                | Change::AddEnumValues { .. }
                | Change::RebuildEnum { .. }
                | Change::CreateSequence { .. }
                | Change::DropSequence { .. }
                | Change::AlterSequence { .. }
                | Change::SetSequenceOwner { .. }
                | Change::CreateTable { .. }
                | Change::DropTable { .. }
                | Change::AddColumn { .. }
                | Change::DropColumn { .. }
                | Change::AlterColumn { .. }
                | Change::AddConstraint { .. }
                | Change::DropConstraint { .. }
                | Change::ValidateConstraint { .. }
                | Change::NotNull { .. }
                | Change::AlterConstraint { .. }
                | Change::CreateIndex { .. }
                | Change::DropIndex { .. }
                | Change::Rename { .. }
                | Change::RenameIndex { .. }
                | Change::AddConstraintUsingIndex { .. }
                | Change::Backfill { .. }
                | Change::SetMaterializedViewOptions { .. }
                | Change::SetOptions { .. }
                | Change::SetPersistence { .. }
                | Change::SetComment { .. }
                | Change::CreateFunction { .. }
                | Change::DropFunction { .. }
                | Change::ReplaceFunction { .. }
                | Change::CreateAggregate { .. }
                | Change::DropAggregate { .. }
                | Change::ReplaceAggregate { .. }
                | Change::CreateTrigger { .. }
                | Change::DropTrigger { .. }
                | Change::ReplaceTrigger { .. }
                | Change::SetTriggerEnabled { .. }
                | Change::RunHook { .. }
                | Change::UndoHook { .. }
                | Change::Restore { .. }
                | Change::CreateDomain { .. }
                | Change::DropDomain { .. }
                | Change::RebuildDomain { .. }
                | Change::SetDomainDefault { .. }
                | Change::SetDomainNotNull { .. }
                | Change::AddDomainConstraint { .. }
                | Change::DropDomainConstraint { .. }
                | Change::ValidateDomainConstraint { .. }
                | Change::CreateCompositeType { .. }
                | Change::DropCompositeType { .. }
                | Change::CreateRangeType { .. }
                | Change::DropRangeType { .. }
                | Change::CreateCollation { .. }
                | Change::DropCollation { .. }
                | Change::AddAttribute { .. }
                | Change::DropAttribute { .. }
                | Change::AlterAttributeType { .. }
                | Change::CreatePolicy { .. }
                | Change::DropPolicy { .. }
                | Change::AlterPolicy { .. }
                | Change::SetRowSecurity { .. }
                | Change::SetReplicaIdentity { .. }
                | Change::SetInherit { .. }
                | Change::SetGrants { .. }
                | Change::SetOwner { .. }
                | Change::SetDefaultPrivileges { .. }
                | Change::AttachPartition { .. }
                | Change::DetachPartition { .. }
                | Change::CreateIndexOnly { .. }
                | Change::AttachIndex { .. }
                | Change::NameInheritedIndex { .. }
                | Change::DropPartitionedIndex { .. }
                | Change::CreateStatistics { .. }
                | Change::DropStatistics { .. }
                | Change::AlterStatistics { .. }
                | Change::CreateTsDictionary { .. }
                | Change::DropTsDictionary { .. }
                | Change::AlterTsDictionary { .. }
                | Change::CreateTsConfiguration { .. }
                | Change::DropTsConfiguration { .. }
                | Change::AlterTsConfiguration { .. }
                | Change::CreatePublication { .. }
                | Change::DropPublication { .. }
                | Change::AlterPublication { .. }
                | Change::AlterColumnSettings { .. } => {}
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
            let text = diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("{name} (current)"), &format!("{name} (desired)"))
                .to_string();
            if !paint.is_on() {
                out.push_str(&text);
                continue;
            }
            for line in text.split_inclusive('\n') {
                let (body, end) = match line.strip_suffix('\n') {
                    Some(body) => (body, "\n"),
                    None => (line, ""),
                };
                let role = if body.starts_with("+++") || body.starts_with("---") {
                    Some(Role::Heading)
                } else if body.starts_with('+') {
                    Some(Role::Added)
                } else if body.starts_with('-') {
                    Some(Role::Removed)
                } else if body.starts_with("@@") {
                    Some(Role::Faint)
                } else {
                    None
                };
                match role {
                    Some(role) => out.push_str(&paint.paint(role, body)),
                    None => out.push_str(body),
                }
                out.push_str(end);
            }
        }
        out
    }
}

/// Whether the rehearsal saw `step` do otherwise than predicted: other locks, or a rewrite of
/// a table the plan did not expect to rewrite.
fn differs(step: &Step, o: &Observation) -> bool {
    o.locks_differ(step) == Some(true) || o.rewritten.iter().any(|q| !step.rewrites.contains(q))
}

/// What the rehearsal saw a step do, as a line under it: with `verbose` for every step it
/// observed; otherwise only where it differs from the prediction.
fn observed(step: &Step, o: &Observation, options: HumanOptions) -> Option<String> {
    let differ = differs(step, o);
    if !options.verbose && !differ {
        return None;
    }
    let rewrites = if o.rewritten.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = o.rewritten.iter().map(|q| q.to_string()).collect();
        format!("; rewrote {}", names.join(", "))
    };
    let locks = match &o.locks {
        Some(l) if o.locks_differ(step) == Some(true) => {
            format!("{} (differs from the prediction)", describe_locks(l))
        }
        Some(_) => "as predicted".to_string(),
        None => "not observed".to_string(),
    };
    let line = format!("rehearsal: locks {locks}{rewrites}");
    Some(match differ {
        true => options.paint.paint(Role::Warning, &line),
        false => line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Catalog, Column, Expr, QualName, Table, View};
    use crate::plan::build::{BuildOptions, DesiredState, Facts, build};

    /// A plan with steps in two phases, a hazard, locks and a view diff: `events` loses
    /// `title` and gains `body`, and the view on it changes.
    fn plan() -> Plan {
        let catalog = |columns: &[&str], view: &str| {
            let mut c = Catalog::default();
            let table = Table {
                columns: columns.iter().map(|n| Column::new(*n, "text")).collect(),
                ..Table::default()
            };
            c.tables.insert(QualName::new("public", "events"), table);
            let v = View {
                definition: Expr::new(view),
                columns: Vec::new(),
                options: Default::default(),
                comment: None,
                column_comments: Default::default(),
                owner: None,
                grants: Default::default(),
                triggers: Default::default(),
            };
            c.views.insert(QualName::new("public", "v"), v);
            c
        };
        let current = catalog(&["id", "title"], " SELECT events.id\n   FROM events");
        let desired = catalog(
            &["id", "body"],
            " SELECT events.id,\n    1 AS one\n   FROM events",
        );
        let (none, backfills) = (Default::default(), Default::default());
        build(
            &current,
            DesiredState {
                written: &desired,
                printed: desired.clone(),
                printed_warnings: Vec::new(),
                declared_schemas: desired.schema_names(),
                renames: &none,
                backfills: &backfills,
                conversions: &Default::default(),
                hooks: &[],
                digest: "digest",
            },
            &Facts::default(),
            &BuildOptions {
                schemas: vec!["public".into()],
                no_backup: false,
            },
        )
        .expect("plans")
        .plan
    }

    /// What the rehearsal would see if every prediction held.
    fn as_predicted(plan: &Plan) -> Vec<Observation> {
        (plan.steps.iter())
            .map(|s| Observation {
                locks: Some(s.locks.clone()),
                rewritten: Vec::new(),
            })
            .collect()
    }

    fn options(paint: Paint, verbose: bool) -> HumanOptions {
        HumanOptions { paint, verbose }
    }

    /// The listing as it was written before colour and the one-line verdict (issue 16): what
    /// `--verbose` without colour must still print, byte for byte.
    fn listing_before(plan: &Plan, observations: Option<&[Observation]>) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Plan: {} steps   {}", plan.steps.len(), plan.summary());
        if !plan.warnings.is_empty() {
            out.push_str("\nWarnings:\n");
            for w in &plan.warnings {
                let _ = writeln!(out, "  ! {}: {}", w.object, w.message);
            }
        }
        let total = plan.steps.len();
        let mut phase = None;
        for (i, step) in plan.steps.iter().enumerate() {
            if phase != Some(step.phase) {
                let _ = writeln!(out, "\n== {} ==", step.phase);
                phase = Some(step.phase);
            }
            let _ = writeln!(
                out,
                "\n[{}/{total}] {} {} {}{}",
                i + 1,
                step.sign,
                step.kind.replace('_', " "),
                step.object,
                if !step.transactional {
                    "  (runs outside a transaction)"
                } else {
                    ""
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
                let _ = writeln!(out, "    rehearsal: locks {locks}");
            }
            for stmt in &step.up {
                for line in stmt.lines() {
                    let _ = writeln!(out, "    {line}");
                }
                out.pop();
                out.push_str(";\n");
            }
            if let Some(reason) = &step.irreversible {
                let _ = writeln!(out, "    -- irreversible: {reason}");
            }
        }
        let diffs = plan.view_diffs(Paint::PLAIN);
        if !diffs.is_empty() {
            out.push_str("\nView definitions:\n");
            out.push_str(&diffs);
        }
        out
    }

    /// `text` without its ANSI escape sequences.
    fn unpainted(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn count(text: &str, needle: &str) -> usize {
        text.matches(needle).count()
    }

    #[test]
    fn verbose_and_plain_is_the_listing_as_it_was_byte_for_byte() {
        let plan = plan();
        assert!(
            plan.steps.len() >= 3,
            "{}",
            plan.to_human(None, HumanOptions::default())
        );
        assert!(plan.steps.iter().any(|s| !s.hazards.is_empty()));
        let seen = as_predicted(&plan);
        for observations in [None, Some(seen.as_slice())] {
            assert_eq!(
                plan.to_human(observations, options(Paint::PLAIN, true)),
                listing_before(&plan, observations)
            );
        }
        // Without a rehearsal, brief and verbose are the same listing.
        assert_eq!(
            plan.to_human(None, HumanOptions::default()),
            listing_before(&plan, None)
        );
    }

    #[test]
    fn the_rehearsal_says_once_that_every_step_took_the_locks_predicted() {
        let plan = plan();
        let seen = as_predicted(&plan);
        let brief = plan.to_human(Some(&seen), HumanOptions::default());
        assert_eq!(count(&brief, "rehearsal:"), 1, "{brief}");
        assert!(brief.contains("\nrehearsal: every step's locks as predicted\n"));
        let verbose = plan.to_human(Some(&seen), options(Paint::PLAIN, true));
        assert_eq!(
            count(&verbose, "    rehearsal: locks as predicted\n"),
            plan.steps.len()
        );
        // Apart from the rehearsal's lines, the two listings are the same.
        let others = |text: &str| -> Vec<String> {
            (text.lines())
                .filter(|l| !l.trim_start().starts_with("rehearsal:"))
                .map(String::from)
                .collect()
        };
        let mut brief_lines = others(&brief);
        // The verdict's paragraph left a blank line behind.
        let blank = brief_lines
            .iter()
            .position(|l| l.is_empty())
            .expect("a blank");
        brief_lines.remove(blank);
        assert_eq!(brief_lines, others(&verbose));
    }

    #[test]
    fn a_step_whose_locks_or_storage_differ_is_marked_where_it_stands() {
        let plan = plan();
        let mut seen = as_predicted(&plan);
        let locked = (plan.steps.iter())
            .position(|s| !s.locks.is_empty())
            .expect("a step with locks");
        seen[locked].locks = Some(Default::default());
        let rewritten = (locked + 1) % plan.steps.len();
        seen[rewritten].rewritten = vec![QualName::new("public", "events")];
        let brief = plan.to_human(Some(&seen), HumanOptions::default());
        assert!(
            brief.contains("\nrehearsal: 2 steps did otherwise than predicted (marked below); every other step's locks as predicted\n"),
            "{brief}"
        );
        assert_eq!(count(&brief, "    rehearsal: "), 2, "{brief}");
        assert_eq!(
            count(
                &brief,
                "    rehearsal: locks none (differs from the prediction)\n"
            ),
            1
        );
        // A rewrite the plan did not predict is marked too.
        assert_eq!(
            count(
                &brief,
                "    rehearsal: locks as predicted; rewrote public.events\n"
            ),
            1
        );
        // A rehearsal that stopped early says how far it got.
        let short = plan.to_human(Some(&as_predicted(&plan)[..1]), HumanOptions::default());
        assert!(short.contains(&format!(
            "rehearsal: every step's locks as predicted, of the 1 of {} it reached",
            plan.steps.len()
        )));
    }

    #[test]
    fn the_verdict_says_a_hook_s_locks_were_not_predicted() {
        let plan = plan();
        let mut seen = as_predicted(&plan);
        seen[0].locks = None;
        let brief = plan.to_human(Some(&seen), HumanOptions::default());
        assert!(
            brief.contains(
                "\nrehearsal: every step's locks as predicted, but for the hook's, which are its SQL's own\n"
            ),
            "{brief}"
        );
        assert_eq!(count(&brief, "rehearsal:"), 1, "{brief}");
    }

    #[test]
    fn paint_adds_colour_and_nothing_else() {
        let plan = plan();
        let seen = as_predicted(&plan);
        for verbose in [false, true] {
            let plain = plan.to_human(Some(&seen), options(Paint::PLAIN, verbose));
            let painted = plan.to_human(Some(&seen), options(Paint::ANSI, verbose));
            assert!(!plain.contains('\x1b'));
            assert_ne!(plain, painted);
            assert_eq!(unpainted(&painted), plain);
        }
        let painted = plan.to_human(Some(&seen), options(Paint::ANSI, false));
        let red_bold = Paint::ANSI.paint(Role::Hazard, "!! hazards: DeletesData");
        assert!(painted.contains(&red_bold), "{painted}");
        assert!(painted.contains(&Paint::ANSI.paint(Role::Heading, "== expand ==")));
        assert!(
            painted.contains(&Paint::ANSI.paint(Role::Added, "+    1 AS one")),
            "{painted}"
        );
    }
}
