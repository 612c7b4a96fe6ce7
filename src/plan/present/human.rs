//! The human listing of a plan, for a terminal or a log.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::plan::change::Change;
use crate::plan::steps::{Observation, Plan, describe_locks};

impl Plan {
    /// The human listing: summary, warnings, every step by phase with its hazards, locks and
    /// SQL (and what the rehearsal observed, when given), and the text diff of each view whose
    /// definition changes.
    pub fn to_human(&self, observations: Option<&[Observation]>) -> String {
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
                step.sign,
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
