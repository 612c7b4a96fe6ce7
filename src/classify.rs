//! What each step does to a running database: the phase it belongs to, the locks it takes on
//! existing relations, and its hazards. Pure: computed from the change and the current model.
//! Rehearsal (`rehearse`) observes the same locks on a shadow copy; tests hold the two equal.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::change::{Change, CommentTarget};
use crate::model::*;

/// When a step runs, relative to deploying the new application version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Additive: safe while the old application version still runs.
    Expand,
    /// Data steps between expand and contract.
    Backfill,
    /// Destructive or tightening: drops, NOT NULL, narrowing type changes.
    Contract,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Expand => "expand",
            Phase::Backfill => "backfill",
            Phase::Contract => "contract",
        })
    }
}

/// PostgreSQL's table-level lock modes, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum LockMode {
    AccessShare,
    RowShare,
    RowExclusive,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
}

impl LockMode {
    /// From `pg_locks.mode` (`AccessExclusiveLock`).
    pub fn from_pg(name: &str) -> Option<LockMode> {
        Some(match name {
            "AccessShareLock" => LockMode::AccessShare,
            "RowShareLock" => LockMode::RowShare,
            "RowExclusiveLock" => LockMode::RowExclusive,
            "ShareUpdateExclusiveLock" => LockMode::ShareUpdateExclusive,
            "ShareLock" => LockMode::Share,
            "ShareRowExclusiveLock" => LockMode::ShareRowExclusive,
            "ExclusiveLock" => LockMode::Exclusive,
            "AccessExclusiveLock" => LockMode::AccessExclusive,
            _ => return None,
        })
    }

    /// Whether the lock stops plain reads (`SELECT`) of the relation.
    pub fn blocks_reads(self) -> bool {
        self == LockMode::AccessExclusive
    }

    /// Whether the lock stops `INSERT`/`UPDATE`/`DELETE` on the relation.
    pub fn blocks_writes(self) -> bool {
        self >= LockMode::Share
    }
}

impl fmt::Display for LockMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LockMode::AccessShare => "ACCESS SHARE",
            LockMode::RowShare => "ROW SHARE",
            LockMode::RowExclusive => "ROW EXCLUSIVE",
            LockMode::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            LockMode::Share => "SHARE",
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::Exclusive => "EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
        })
    }
}

/// The strongest lock a step takes on each existing relation.
pub type Locks = BTreeMap<QualName, LockMode>;

/// Adds a lock, keeping the strongest per relation.
pub fn add_lock(locks: &mut Locks, relation: QualName, mode: LockMode) {
    let entry = locks.entry(relation).or_insert(mode);
    if mode > *entry {
        *entry = mode;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Hazard {
    DeletesData,
    TableRewrite,
    LongAccessExclusiveLock,
    IndexBuild,
    IndexDropped,
    ValidationScan,
    EnumRebuild,
    TypeChange,
    AuthzChange,
}

impl Hazard {
    pub const ALL: [Hazard; 9] = [
        Hazard::DeletesData,
        Hazard::TableRewrite,
        Hazard::LongAccessExclusiveLock,
        Hazard::IndexBuild,
        Hazard::IndexDropped,
        Hazard::ValidationScan,
        Hazard::EnumRebuild,
        Hazard::TypeChange,
        Hazard::AuthzChange,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Hazard::DeletesData => "DeletesData",
            Hazard::TableRewrite => "TableRewrite",
            Hazard::LongAccessExclusiveLock => "LongAccessExclusiveLock",
            Hazard::IndexBuild => "IndexBuild",
            Hazard::IndexDropped => "IndexDropped",
            Hazard::ValidationScan => "ValidationScan",
            Hazard::EnumRebuild => "EnumRebuild",
            Hazard::TypeChange => "TypeChange",
            Hazard::AuthzChange => "AuthzChange",
        }
    }

    pub fn parse(name: &str) -> Option<Hazard> {
        Hazard::ALL
            .into_iter()
            .find(|h| h.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Hazards `apply` refuses unless `--allow-hazards` names them.
    pub fn gated(self) -> bool {
        matches!(self, Hazard::DeletesData | Hazard::TableRewrite)
    }
}

impl fmt::Display for Hazard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The locks `change` takes on relations that exist when it runs, as PostgreSQL 15 takes them:
/// relations of the current or the desired model (one made earlier in the plan counts), except
/// the one the change itself creates.
pub fn locks(change: &Change, current: &Catalog, desired: &Catalog) -> Locks {
    let mut locks = Locks::new();
    let created = match change {
        Change::CreateTable { name, .. }
        | Change::CreateView { name, .. }
        | Change::CreateSequence { name, .. } => Some(name),
        _ => None,
    };
    let known = |c: &Catalog, q: &QualName| {
        c.tables.contains_key(q)
            || c.views.contains_key(q)
            || c.sequences.contains_key(q)
            || identity_sequences(c).any(|s| s == *q)
    };
    let exists = |q: &QualName| created != Some(q) && (known(current, q) || known(desired, q));
    let mut lock = |q: &QualName, mode: LockMode| {
        if exists(q) {
            add_lock(&mut locks, q.clone(), mode);
        }
    };
    use LockMode::*;
    match change {
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::CreateSequence { .. }
        | Change::CreateTable { .. } => {}
        Change::DropTable { name, table } => {
            lock(name, AccessExclusive);
            for con in table.constraints.values() {
                if let ConstraintKind::ForeignKey(fk) = &con.kind {
                    lock(&fk.ref_table, AccessExclusive);
                }
            }
            // Sequences it owns go with it (those the desired state keeps have moved first).
            for (seq, s) in &current.sequences {
                if s.owned_by.as_ref().is_some_and(|o| o.table == *name)
                    && !desired.sequences.contains_key(seq)
                {
                    lock(seq, AccessExclusive);
                }
            }
            for c in &table.columns {
                if let Some(seq) = identity_sequence_name(name, c) {
                    lock(&seq, AccessExclusive);
                }
            }
        }
        Change::AddColumn { table, .. } => lock(table, AccessExclusive),
        Change::DropColumn { table, column } => {
            lock(table, AccessExclusive);
            if let Some(seq) = identity_sequence_name(table, column) {
                lock(&seq, AccessExclusive);
            }
        }
        Change::AlterColumn {
            table, from, to, ..
        } => {
            let only_comment = Column {
                comment: to.comment.clone(),
                ..from.clone()
            } == *to;
            if only_comment {
                lock(table, ShareUpdateExclusive);
            } else {
                lock(table, AccessExclusive);
            }
            if let (Some(a), Some(b)) = (&from.identity, &to.identity) {
                // Any change to an identity, or to its column's type, alters its sequence.
                if a != b || from.data_type != to.data_type {
                    if let Some(seq) = identity_sequence_name(table, from) {
                        lock(&seq, ShareRowExclusive);
                    }
                }
            }
            if let (Some(_), None) = (&from.identity, &to.identity) {
                if let Some(seq) = identity_sequence_name(table, from) {
                    lock(&seq, AccessExclusive);
                }
            }
        }
        Change::AddConstraint {
            table, constraint, ..
        } => match &constraint.kind {
            ConstraintKind::ForeignKey(fk) => {
                lock(table, ShareRowExclusive);
                lock(&fk.ref_table, ShareRowExclusive);
            }
            _ => lock(table, AccessExclusive),
        },
        Change::DropConstraint {
            table, constraint, ..
        } => {
            lock(table, AccessExclusive);
            if let ConstraintKind::ForeignKey(fk) = &constraint.kind {
                lock(&fk.ref_table, AccessExclusive);
            }
        }
        Change::ValidateConstraint {
            table, constraint, ..
        } => {
            lock(table, ShareUpdateExclusive);
            if let ConstraintKind::ForeignKey(fk) = &constraint.kind {
                lock(&fk.ref_table, RowShare);
            }
        }
        Change::AlterConstraint { table, .. } => lock(table, AccessExclusive),
        Change::CreateIndex { table, .. } => lock(table, Share),
        Change::DropIndex { table, .. } => lock(table, AccessExclusive),
        Change::CreateView { name, .. } => {
            for q in reads(desired, name) {
                lock(&q, AccessShare);
            }
        }
        Change::ReplaceView { name, .. } => {
            lock(name, AccessExclusive);
            for q in reads(desired, name) {
                lock(&q, AccessShare);
            }
        }
        Change::DropView { name, .. } => lock(name, AccessExclusive),
        Change::SetOptions {
            table, view: true, ..
        } => lock(table, AccessExclusive),
        Change::SetOptions {
            table, from, to, ..
        } => {
            // Storage parameters that only affect maintenance or new pages are changed under a
            // weaker lock.
            let light = from.keys().chain(to.keys()).all(|k| {
                k == "fillfactor" || k.starts_with("autovacuum_") || k.starts_with("toast.")
            });
            lock(
                table,
                if light {
                    ShareUpdateExclusive
                } else {
                    AccessExclusive
                },
            );
        }
        Change::SetPersistence {
            table,
            sequence: false,
            ..
        } => {
            lock(table, AccessExclusive);
            for (seq, s) in &current.sequences {
                if s.owned_by.as_ref().is_some_and(|o| o.table == *table) {
                    lock(seq, AccessExclusive);
                }
            }
        }
        Change::SetPersistence { table, .. } => lock(table, AccessExclusive),
        Change::RebuildEnum { columns, .. } => {
            for c in columns {
                lock(&c.table, AccessExclusive);
            }
        }
        Change::AlterSequence { name, .. } => lock(name, ShareRowExclusive),
        Change::SetSequenceOwner { name, to, .. } => {
            lock(name, ShareRowExclusive);
            if let Some(owner) = to {
                lock(&owner.table, AccessShare);
            }
        }
        Change::DropSequence { name, .. } => lock(name, AccessExclusive),
        Change::SetComment { target, .. } => match target {
            CommentTarget::Table(q)
            | CommentTarget::View(q)
            | CommentTarget::Sequence(q)
            | CommentTarget::Column(q, _) => lock(q, ShareUpdateExclusive),
            CommentTarget::Constraint(q, _) => lock(q, AccessShare),
            CommentTarget::Index(_) | CommentTarget::Schema(_) | CommentTarget::Enum(_) => {}
        },
    }
    locks
}

/// The relations a desired view reads (from the shadow's `pg_depend`).
fn reads(desired: &Catalog, view: &QualName) -> Vec<QualName> {
    let mut out: Vec<QualName> = desired
        .recorded_deps_of(&ObjKey::Relation(view.clone()))
        .filter_map(|k| match k {
            ObjKey::Relation(q) | ObjKey::Column(q, _) => Some(q.clone()),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn identity_sequence_name(table: &QualName, column: &Column) -> Option<QualName> {
    let identity = column.identity.as_ref()?;
    let name = identity.sequence.clone().unwrap_or_else(|| {
        crate::load::default_object_name(&table.name, Some(&column.name), "seq")
    });
    Some(QualName::new(table.schema.clone(), name))
}

fn identity_sequences(catalog: &Catalog) -> impl Iterator<Item = QualName> + '_ {
    catalog.tables.iter().flat_map(|(t, table)| {
        table
            .columns
            .iter()
            .filter_map(move |c| identity_sequence_name(t, c))
    })
}
