//! What each step does to a running database: the phase it belongs to, the locks it takes on
//! existing relations, and its hazards. Pure: computed from the change and the current model.
//! Rehearsal (`rehearse`) observes the same locks on a shadow copy; tests hold the two equal.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::naming::identity_sequence_name;
use crate::model::*;
use crate::plan::change::{Change, CommentTarget, Renamed, Renumber, Restored};

/// When a step runs, relative to deploying the new application version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// A materialized view is dropped and created again: its query runs again (and its indexes
    /// are built) while the new one is created, and between the drop and the create readers
    /// find no materialized view.
    MatviewRebuild,
}

impl Hazard {
    pub const ALL: [Hazard; 10] = [
        Hazard::DeletesData,
        Hazard::TableRewrite,
        Hazard::LongAccessExclusiveLock,
        Hazard::IndexBuild,
        Hazard::IndexDropped,
        Hazard::ValidationScan,
        Hazard::EnumRebuild,
        Hazard::TypeChange,
        Hazard::AuthzChange,
        Hazard::MatviewRebuild,
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
            Hazard::MatviewRebuild => "MatviewRebuild",
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
        | Change::CreateSequence { name, .. }
        | Change::CreateMaterializedView { name, .. } => Some(name),
        _ => None,
    };
    let known = |c: &Catalog, q: &QualName| {
        c.tables.contains_key(q)
            || c.views.contains_key(q)
            || c.sequences.contains_key(q)
            || c.materialized_views.contains_key(q)
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
        | Change::CreateSequence { .. } => {}
        // A hook's SQL is the user's: its locks are whatever it takes, observed by the
        // rehearsal and not predicted.
        Change::RunHook { .. } | Change::UndoHook { .. } => {}
        // A SQL function's body is parsed when it is created, which takes ACCESS SHARE on the
        // relations it reads; other languages' bodies are not looked into.
        Change::CreateFunction { id, def } | Change::ReplaceFunction { id, to: def, .. } => {
            if def.language == "sql" {
                for (q, written) in body_relations(id, def, current, desired) {
                    lock(&q, if written { RowExclusive } else { AccessShare });
                }
            }
        }
        Change::DropFunction { .. } => {}
        Change::CreateTrigger { table, .. }
        | Change::ReplaceTrigger { table, .. }
        | Change::SetTriggerEnabled { table, .. } => lock(table, ShareRowExclusive),
        Change::DropTrigger { table, .. } => lock(table, AccessExclusive),
        Change::DropTable { name, table, .. } => {
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
        Change::DropColumn { table, column, .. } => {
            lock(table, AccessExclusive);
            if let Some(seq) = identity_sequence_name(table, column) {
                lock(&seq, AccessExclusive);
            }
        }
        Change::AlterColumn {
            table,
            from,
            to,
            renumber,
            ..
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
            // Renumbering sets a sequence that exists before the step (an identity's is created
            // by the step itself).
            if let Some(Renumber::Sequence(seq)) = renumber {
                lock(seq, RowExclusive);
            }
        }
        Change::AddConstraint {
            table, constraint, ..
        } => match &constraint.kind {
            ConstraintKind::ForeignKey(fk) => {
                lock(table, ShareRowExclusive);
                lock(&fk.ref_table, ShareRowExclusive);
            }
            // Keys and exclusion constraints build their index under ACCESS EXCLUSIVE (and a
            // SHARE lock for the build itself), checks take ACCESS EXCLUSIVE too.
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
        Change::CreateIndex {
            table,
            concurrently,
            ..
        } => lock(
            table,
            if *concurrently {
                ShareUpdateExclusive
            } else {
                Share
            },
        ),
        Change::DropIndex {
            table,
            concurrently,
            ..
        } => lock(
            table,
            if *concurrently {
                ShareUpdateExclusive
            } else {
                AccessExclusive
            },
        ),
        // Renaming an index locks the index alone.
        Change::RenameIndex { .. } => {}
        // The old name exists by definition (neither model has it any more).
        Change::Rename { target, from, .. } => match target {
            Renamed::Table { schema } | Renamed::Sequence { schema } => add_lock(
                &mut locks,
                QualName::new(schema.clone(), from.clone()),
                AccessExclusive,
            ),
            Renamed::Column { table } | Renamed::Constraint { table } => {
                lock(table, AccessExclusive)
            }
            Renamed::Enum { .. } => {}
        },
        Change::AddConstraintUsingIndex { table, .. } => lock(table, AccessExclusive),
        Change::Backfill { table, .. } => lock(table, RowExclusive),
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
        // Creating a materialized view reads what its query names; populating it plans the
        // query, which also reads the relations of the views it goes through (not those of
        // other materialized views, which are read like tables). Its indexes are built on the
        // new relation alone.
        Change::CreateMaterializedView { name, view } => {
            let mut read = reads(desired, name);
            if view.with_data {
                let mut pending = read.clone();
                while let Some(q) = pending.pop() {
                    if desired.views.contains_key(&q) {
                        for r in reads(desired, &q) {
                            if !read.contains(&r) {
                                read.push(r.clone());
                                pending.push(r);
                            }
                        }
                    }
                }
            }
            for q in read {
                lock(&q, AccessShare);
            }
        }
        // Dropping it locks it alone (its indexes go with it).
        Change::DropMaterializedView { name, .. } => lock(name, AccessExclusive),
        Change::SetMaterializedViewOptions { name, .. } => lock(name, ShareUpdateExclusive),
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
            | CommentTarget::MaterializedView(q)
            | CommentTarget::Column(q, _) => lock(q, ShareUpdateExclusive),
            CommentTarget::Constraint(q, _)
            | CommentTarget::Trigger(q, _)
            | CommentTarget::Policy(q, _) => lock(q, AccessShare),
            CommentTarget::Index(_)
            | CommentTarget::Schema(_)
            | CommentTarget::Enum(_)
            | CommentTarget::Function(_) => {}
            CommentTarget::Attribute(q, _) => add_lock(&mut locks, q.clone(), ShareUpdateExclusive),
            CommentTarget::Domain(_)
            | CommentTarget::DomainConstraint(..)
            | CommentTarget::CompositeType(_) => {}
        },
        Change::Restore { into, .. } => match into {
            Restored::Rows { table, .. } | Restored::Values { table, .. } => {
                lock(table, RowExclusive)
            }
            Restored::Positions { sequences } => {
                for s in sequences {
                    lock(s, RowExclusive);
                }
            }
        },
        Change::CreateTable { name, table } => {
            if let Some(p) = &table.partition_of {
                // CREATE TABLE … PARTITION OF takes ACCESS EXCLUSIVE on the parent, and scans
                // its default partition (if any) for rows that belong to the new partition.
                lock(&p.parent, AccessExclusive);
                partition_neighbours(&mut lock, name, p, current, desired);
            }
        }
        Change::AttachPartition { table, partition } => {
            lock(&partition.parent, ShareUpdateExclusive);
            lock(table, AccessExclusive);
            partition_neighbours(&mut lock, table, partition, current, desired);
            // Adopting the table's copy of a foreign key of the parent replaces its triggers
            // on the referenced table.
            for referenced in parent_references(current, desired, &partition.parent) {
                lock(&referenced, AccessExclusive);
            }
        }
        Change::DetachPartition {
            table,
            partition,
            concurrently,
            ..
        } => {
            // The detached table's foreign keys get triggers of their own on the tables they
            // reference.
            for referenced in parent_references(current, desired, &partition.parent) {
                lock(&referenced, ShareRowExclusive);
            }
            if *concurrently {
                // The first transaction takes SHARE UPDATE EXCLUSIVE; the second, once every
                // query that saw the partition has ended, ACCESS EXCLUSIVE on the partition.
                lock(&partition.parent, ShareUpdateExclusive);
                lock(table, AccessExclusive);
            } else {
                lock(&partition.parent, AccessExclusive);
                lock(table, AccessExclusive);
                if let Some(default) = default_partition(current, &partition.parent, table) {
                    lock(&default, AccessExclusive);
                }
            }
        }
        Change::CreateIndexOnly { table, .. } => lock(table, Share),
        Change::AttachIndex {
            table,
            parent_table,
            ..
        } => {
            lock(table, AccessShare);
            lock(parent_table, AccessShare);
        }
        Change::DropPartitionedIndex { table, .. } => lock(table, AccessExclusive),
        // Renaming an index locks the index alone.
        Change::NameInheritedIndex { .. } => {}
        // Domains are types, not relations: changing one locks no relation, except that a new
        // rule is checked against every table with a column of the domain (or of a domain over
        // it) under SHARE, which blocks writes for the length of the scan.
        Change::CreateDomain { .. }
        | Change::DropDomain { .. }
        | Change::SetDomainDefault { .. }
        | Change::SetDomainNotNull {
            not_null: false, ..
        }
        | Change::DropDomainConstraint { .. }
        | Change::CreateCompositeType { .. } => {}
        Change::AddDomainConstraint {
            constraint: DomainConstraint {
                validated: false, ..
            },
            ..
        } => {}
        Change::SetDomainNotNull { name, .. }
        | Change::AddDomainConstraint { domain: name, .. }
        | Change::ValidateDomainConstraint { domain: name, .. } => {
            for table in domain_tables(current)
                .into_iter()
                .chain(domain_tables(desired))
                .filter(|(d, _)| d == name)
                .map(|(_, t)| t)
            {
                lock(&table, Share);
            }
        }
        Change::RebuildDomain { domains, .. } => {
            for c in domains.iter().flat_map(|d| &d.columns) {
                lock(&c.table, AccessExclusive);
            }
        }
        // A composite type is a relation of its own (its attributes are its columns): altering
        // or dropping it locks it, and nothing that uses it.
        Change::DropCompositeType { name, .. } => {
            add_lock(&mut locks, name.clone(), AccessExclusive)
        }
        Change::AddAttribute { type_name, .. }
        | Change::DropAttribute { type_name, .. }
        | Change::AlterAttributeType { type_name, .. } => {
            add_lock(&mut locks, type_name.clone(), AccessExclusive)
        }
        // Policies and row security are table definitions: ACCESS EXCLUSIVE on the table, and
        // what a new expression reads is opened (ACCESS SHARE) while it is parsed.
        Change::CreatePolicy { table, name, .. } | Change::AlterPolicy { table, name, .. } => {
            let altered_roles_only = matches!(change, Change::AlterPolicy { from, to, .. }
                if from.using == to.using && from.with_check == to.with_check);
            if !altered_roles_only {
                for q in policy_reads(desired, table, name) {
                    lock(&q, AccessShare);
                }
            }
            lock(table, AccessExclusive);
        }
        Change::DropPolicy { table, .. } | Change::SetRowSecurity { table, .. } => {
            lock(table, AccessExclusive)
        }
        // GRANT and REVOKE change catalog rows only; ALTER DEFAULT PRIVILEGES touches no
        // relation.
        Change::SetGrants { .. } | Change::SetDefaultPrivileges { .. } => {}
        Change::SetOwner { object, .. } => match object {
            SecuredObject::Schema(_) => {}
            SecuredObject::Table(q) | SecuredObject::Column(q, _) => {
                // The table's sequences (serial and identity) change owner with it.
                lock(q, AccessExclusive);
                for (seq, s) in &current.sequences {
                    if s.owned_by.as_ref().is_some_and(|o| o.table == *q) {
                        lock(seq, AccessExclusive);
                    }
                }
                if let Some(t) = current.tables.get(q) {
                    for c in &t.columns {
                        if let Some(seq) = identity_sequence_name(q, c) {
                            lock(&seq, AccessExclusive);
                        }
                    }
                }
            }
            SecuredObject::View(q) | SecuredObject::Sequence(q) => lock(q, AccessExclusive),
            SecuredObject::Function(_) => {}
        },
    }
    // PostgreSQL applies what it does to a partitioned table to each of its partitions, under
    // the same lock; these changes concern the named table alone.
    let only_comment = matches!(change, Change::AlterColumn { from, to, .. }
        if Column { comment: to.comment.clone(), ..from.clone() } == *to);
    let alone = only_comment
        || matches!(
            change,
            Change::CreateTable { .. }
                | Change::AttachPartition { .. }
                | Change::DetachPartition { .. }
                | Change::CreateIndexOnly { .. }
                | Change::AttachIndex { .. }
                | Change::SetComment { .. }
                | Change::CreateView { .. }
                | Change::ReplaceView { .. }
                | Change::SetSequenceOwner { .. }
                | Change::Rename {
                    target: Renamed::Table { .. },
                    ..
                }
        );
    if !alone {
        // Validating a foreign key into a partitioned table reads its partitions.
        let validated_into = match change {
            Change::ValidateConstraint { constraint, .. } => match &constraint.kind {
                ConstraintKind::ForeignKey(fk) => Some(&fk.ref_table),
                _ => None,
            },
            _ => None,
        };
        for (table, mode) in locks.clone() {
            let mode = if validated_into == Some(&table) {
                LockMode::AccessShare
            } else {
                mode
            };
            // A new partition is created after its parent's indexes (it gets its part of them
            // then): an index build meets only the partitions there already are; a dropped
            // table only those it has.
            let partitions = if matches!(
                change,
                Change::CreateIndex { .. } | Change::DropTable { .. }
            ) {
                all_partitions(current, current, &table)
            } else {
                all_partitions(current, desired, &table)
            };
            for partition in partitions {
                if created != Some(&partition) {
                    add_lock(&mut locks, partition, mode);
                }
            }
        }
    }
    // The CHECK that proves a hash partition's bounds before it is attached names its parent by
    // `regclass`: validating it looks the parent up.
    if let Change::ValidateConstraint { table, name, .. } = change {
        let hash_parent = desired
            .tables
            .get(table)
            .and_then(|t| t.partition_of.as_ref())
            .filter(|p| p.bounds.starts_with("FOR VALUES WITH"));
        if let Some(p) = hash_parent {
            if *name == crate::model::naming::bounds_check_name(table) && exists(&p.parent) {
                add_lock(&mut locks, p.parent.clone(), LockMode::AccessShare);
            }
        }
    }
    // Dropping a partition detaches it first: its parent is locked, and the default partition
    // whose constraint changes.
    if let Change::DropTable { name, table, .. } = change {
        if let Some(p) = &table.partition_of {
            if exists(&p.parent) {
                add_lock(&mut locks, p.parent.clone(), LockMode::AccessExclusive);
            }
            if let Some(default) = default_partition(current, &p.parent, name) {
                add_lock(&mut locks, default, LockMode::AccessExclusive);
            }
        }
    }
    locks
}

/// Partitions of `table` at every level, of the current model and those the plan creates.
pub(crate) fn all_partitions(
    current: &Catalog,
    desired: &Catalog,
    table: &QualName,
) -> Vec<QualName> {
    let mut out: Vec<QualName> = Vec::new();
    let mut queue = vec![table.clone()];
    while let Some(parent) = queue.pop() {
        for model in [current, desired] {
            for (q, _) in Table::partitions_of(model, &parent) {
                if !out.contains(q) && q != table {
                    out.push(q.clone());
                    queue.push(q.clone());
                }
            }
        }
    }
    out.sort();
    out
}

/// The tables a partitioned table's foreign keys reference (in the current model, else the
/// desired one).
fn parent_references(current: &Catalog, desired: &Catalog, parent: &QualName) -> Vec<QualName> {
    let table = current
        .tables
        .get(parent)
        .or_else(|| desired.tables.get(parent));
    let mut out: Vec<QualName> = table
        .into_iter()
        .flat_map(|t| t.constraints.values())
        .filter_map(|c| match &c.kind {
            ConstraintKind::ForeignKey(fk) if fk.ref_table != *parent => Some(fk.ref_table.clone()),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The default partition of `parent` in the current model, other than `except`.
fn default_partition(current: &Catalog, parent: &QualName, except: &QualName) -> Option<QualName> {
    Table::partitions_of(current, parent)
        .find(|(q, t)| *q != except && t.partition_of.as_ref().is_some_and(|p| p.is_default()))
        .map(|(q, _)| q.clone())
}

/// Locks that a partition joining `partition.parent` takes besides its parent: the default
/// partition, scanned for rows that now belong to the new one.
fn partition_neighbours(
    lock: &mut impl FnMut(&QualName, LockMode),
    table: &QualName,
    partition: &PartitionOf,
    current: &Catalog,
    _desired: &Catalog,
) {
    if partition.is_default() {
        return;
    }
    if let Some(default) = default_partition(current, &partition.parent, table) {
        lock(&default, LockMode::AccessExclusive);
    }
}

/// The relations a function's body names, bare names resolved in its schema, then `public`,
/// and whether it writes to them.
fn body_relations(
    id: &FunctionId,
    f: &Function,
    current: &Catalog,
    desired: &Catalog,
) -> Vec<(QualName, bool)> {
    let is_relation = |q: &QualName| {
        [current, desired]
            .iter()
            .any(|c| c.tables.contains_key(q) || c.views.contains_key(q))
    };
    let mut out = Vec::new();
    for m in crate::sqltext::body::mentions(&f.body)
        .into_iter()
        .filter(|m| !m.in_literal)
    {
        let written = m.written();
        if let Some(q) = m
            .candidates(&id.name.schema)
            .into_iter()
            .find(|q| is_relation(q))
        {
            out.push((q, written));
        }
    }
    // A relation both read and written is locked in the stronger mode.
    out.sort();
    out.dedup_by(|b, a| {
        a.0 == b.0 && {
            a.1 |= b.1;
            true
        }
    });
    out
}

/// (domain, table) for every table with a column of the domain, or of a domain built over it
/// (arrays aside: PostgreSQL refuses to check those in place).
fn domain_tables(catalog: &Catalog) -> Vec<(QualName, QualName)> {
    let mut out = Vec::new();
    for domain in catalog.domains.keys() {
        for d in catalog.domain_and_subdomains(domain) {
            for (table, _, array) in catalog.columns_of_type(&d) {
                if !array {
                    out.push((domain.clone(), table));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The other relations a desired policy's expressions read (from the shadow's `pg_depend`).
fn policy_reads(desired: &Catalog, table: &QualName, policy: &str) -> Vec<QualName> {
    let mut out: Vec<QualName> = desired
        .recorded_deps_of(&ObjKey::Policy(table.clone(), policy.to_string()))
        .filter_map(|k| match k {
            ObjKey::Relation(q) | ObjKey::Column(q, _) if q != table => Some(q.clone()),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
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

fn identity_sequences(catalog: &Catalog) -> impl Iterator<Item = QualName> + '_ {
    catalog.tables.iter().flat_map(|(t, table)| {
        table
            .columns
            .iter()
            .filter_map(move |c| identity_sequence_name(t, c))
    })
}

/// Whether a column type change keeps the stored bytes, so PostgreSQL neither rewrites nor
/// scans the table: a longer varchar, unconstrained varchar or text from varchar, a numeric
/// with more digits at the same scale, more fractional precision for time types.
pub fn binary_compatible(from: &str, to: &str) -> bool {
    // Element conversions of arrays (even a longer varchar) go through a rewrite.
    if crate::sqltext::types::is_array(from) || crate::sqltext::types::is_array(to) {
        return from == to;
    }
    let (fb, tb) = (
        crate::sqltext::types::base_of_printed(from),
        crate::sqltext::types::base_of_printed(to),
    );
    let modifiers = |t: &str| -> Vec<i64> {
        t.split_once('(')
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(inner, _)| {
                inner
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (fm, tm) = (modifiers(from), modifiers(to));
    let string = |b: &str| b == "character varying" || b == "text";
    match (fb.as_str(), tb.as_str()) {
        (a, b) if string(a) && string(b) => {
            // Unconstrained on the way out, or at least as long.
            b == "text" || tm.is_empty() || (!fm.is_empty() && tm[0] >= fm[0])
        }
        ("numeric", "numeric") => match (fm.as_slice(), tm.as_slice()) {
            (_, []) => true,
            ([p1, s1], [p2, s2]) => s1 == s2 && p2 >= p1,
            ([p1], [p2]) => p2 >= p1,
            _ => false,
        },
        (a, b)
            if a == b
                && matches!(
                    a,
                    "timestamp without time zone"
                        | "timestamp with time zone"
                        | "time without time zone"
                        | "interval"
                        | "bit varying"
                ) =>
        {
            tm.is_empty() || (!fm.is_empty() && tm[0] >= fm[0])
        }
        ("cidr", "inet") => true,
        (a, b) => a == b && fm == tm,
    }
}

/// Tables that existed before the plan and whose storage `change` rewrites.
pub fn rewrites(change: &Change, current: &Catalog) -> Vec<QualName> {
    let existing = |q: &QualName| current.tables.contains_key(q);
    let mut out: Vec<QualName> = match change {
        Change::AddColumn { table, column } if existing(table) => {
            let volatile = column.default.as_ref().is_some_and(|d| d.volatile);
            if column.identity.is_some() || column.generated.is_some() || volatile {
                vec![table.clone()]
            } else {
                Vec::new()
            }
        }
        Change::AlterColumn {
            table, from, to, ..
        } if existing(table) => {
            if from.data_type != to.data_type && !binary_compatible(&from.data_type, &to.data_type)
            {
                vec![table.clone()]
            } else {
                Vec::new()
            }
        }
        Change::SetPersistence {
            table,
            sequence: false,
            ..
        } if existing(table) => vec![table.clone()],
        Change::RebuildEnum { columns, .. } => columns
            .iter()
            .map(|c| c.table.clone())
            .filter(|t| existing(t))
            .collect(),
        // Casting a column to a domain with constraints rewrites its table (PostgreSQL checks
        // every value as it copies it).
        Change::RebuildDomain { domains, .. } => domains
            .iter()
            .flat_map(|d| &d.columns)
            .map(|c| c.table.clone())
            .filter(|t| existing(t))
            .collect(),
        _ => Vec::new(),
    };
    out.sort();
    out.dedup();
    out
}

/// The hazards of a change on a database in use.
pub fn hazards(change: &Change, current: &Catalog, desired: &Catalog) -> Vec<Hazard> {
    let mut out = Vec::new();
    let existing = |q: &QualName| current.tables.contains_key(q);
    match change {
        // A generated column's values come back from its expression.
        Change::DropColumn { column, .. } if column.generated.is_some() => {}
        Change::DropTable { .. } | Change::DropColumn { .. } | Change::DropSequence { .. } => {
            out.push(Hazard::DeletesData)
        }
        Change::AlterColumn {
            table, from, to, ..
        } => {
            if from.data_type != to.data_type || from.collation != to.collation {
                out.push(Hazard::TypeChange);
            }
            if !from.not_null && to.not_null && existing(table) {
                out.push(Hazard::ValidationScan);
            }
        }
        Change::RebuildEnum { .. } => out.push(Hazard::EnumRebuild),
        Change::CreateIndex { .. } => out.push(Hazard::IndexBuild),
        Change::AddConstraint {
            table, constraint, ..
        } => {
            if constraint.kind.has_index() {
                out.push(Hazard::IndexBuild);
            }
            // An exclusion constraint checks every existing row against the others while its
            // index is built, under ACCESS EXCLUSIVE: it has no NOT VALID form and no
            // concurrent build to fall back on.
            let checks_rows = matches!(
                constraint.kind,
                ConstraintKind::Check { .. }
                    | ConstraintKind::ForeignKey(_)
                    | ConstraintKind::Exclude(_)
            );
            if checks_rows && constraint.validated && existing(table) {
                out.push(Hazard::ValidationScan);
            }
        }
        Change::ValidateConstraint { .. } => out.push(Hazard::ValidationScan),
        Change::DropIndex { .. } => out.push(Hazard::IndexDropped),
        // Dropped to be created again (a new definition, or something it reads changes).
        Change::DropMaterializedView { name, .. }
            if desired.materialized_views.contains_key(name) =>
        {
            out.push(Hazard::MatviewRebuild)
        }
        Change::CreateMaterializedView { name, view } => {
            if current.materialized_views.contains_key(name) {
                out.push(Hazard::MatviewRebuild);
            }
            if !view.indexes.is_empty() {
                out.push(Hazard::IndexBuild);
            }
        }
        Change::DropConstraint { constraint, .. } if constraint.kind.has_index() => {
            out.push(Hazard::IndexDropped)
        }
        // Without a CHECK that proves the bounds (the online technique's), attaching scans
        // the table under ACCESS EXCLUSIVE.
        Change::AttachPartition { partition, .. } if partition.constraint.is_none() => {
            out.push(Hazard::ValidationScan)
        }
        Change::RebuildDomain { .. } => out.push(Hazard::TypeChange),
        // Every value of the domain, in every table that has a column of it, is checked.
        Change::AddDomainConstraint {
            domain, constraint, ..
        } if constraint.validated && current.domains.contains_key(domain) => {
            out.push(Hazard::ValidationScan)
        }
        Change::ValidateDomainConstraint { .. }
        | Change::SetDomainNotNull { not_null: true, .. } => out.push(Hazard::ValidationScan),
        Change::DropAttribute { stored: true, .. } => out.push(Hazard::DeletesData),
        Change::AlterAttributeType { .. } => out.push(Hazard::TypeChange),
        // Who may see or change which rows changes.
        Change::CreatePolicy { .. }
        | Change::DropPolicy { .. }
        | Change::AlterPolicy { .. }
        | Change::SetRowSecurity { .. }
        | Change::SetGrants { .. }
        | Change::SetOwner { .. }
        | Change::SetDefaultPrivileges { .. } => out.push(Hazard::AuthzChange),
        _ => {}
    }
    // A partition joining a parent that has a default partition: the default partition is
    // scanned under ACCESS EXCLUSIVE for rows that now belong to the new one.
    if let Change::CreateTable {
        name,
        table: Table {
            partition_of: Some(p),
            ..
        },
    }
    | Change::AttachPartition {
        table: name,
        partition: p,
    } = change
    {
        if !p.is_default() && default_partition(current, &p.parent, name).is_some() {
            out.push(Hazard::ValidationScan);
        }
    }
    if !rewrites(change, current).is_empty() {
        out.push(Hazard::TableRewrite);
    }
    // A rewrite or a scan done while holding ACCESS EXCLUSIVE blocks everyone for its length.
    let long_work = out
        .iter()
        .any(|h| matches!(h, Hazard::TableRewrite | Hazard::ValidationScan));
    let exclusive = locks(change, current, desired)
        .values()
        .any(|m| *m == LockMode::AccessExclusive);
    if long_work && exclusive {
        out.push(Hazard::LongAccessExclusiveLock);
    }
    out.sort();
    out.dedup();
    out
}

/// The phase a change belongs to on its own (the plan may move it later, after a step it
/// must follow).
pub fn phase(change: &Change, current: &Catalog) -> Phase {
    let existing = |q: &QualName| current.tables.contains_key(q);
    match change {
        Change::DropSchema { .. }
        | Change::DropExtension { .. }
        | Change::DropEnum { .. }
        | Change::RebuildEnum { .. }
        | Change::DropSequence { .. }
        | Change::DropTable { .. }
        | Change::DropColumn { .. }
        | Change::DropConstraint { .. }
        | Change::DropIndex { .. }
        | Change::DropView { .. }
        | Change::DropFunction { .. }
        | Change::DropTrigger { .. }
        | Change::DropMaterializedView { .. }
        | Change::RenameIndex { .. }
        // A rename breaks every query that still uses the old name.
        | Change::Rename { .. }
        | Change::ValidateConstraint { .. }
        | Change::DropDomain { .. }
        | Change::RebuildDomain { .. }
        | Change::DropDomainConstraint { .. }
        | Change::ValidateDomainConstraint { .. }
        | Change::SetDomainNotNull { not_null: true, .. }
        | Change::DropCompositeType { .. }
        | Change::DropAttribute { .. }
        | Change::AlterAttributeType { .. } => Phase::Contract,
        // A new rule for an existing domain tightens what the old application may write.
        Change::AddDomainConstraint { domain, .. } if current.domains.contains_key(domain) => {
            Phase::Contract
        }
        Change::SetDomainDefault { name, to: None, .. } if current.domains.contains_key(name) => {
            Phase::Contract
        }
        Change::Backfill { .. } | Change::RunHook { .. } => Phase::Backfill,
        // Rows leave the parent; or the table's rows must now keep within its bounds.
        Change::DetachPartition { .. } | Change::AttachPartition { .. } => Phase::Contract,
        // Taking access away (a revoke, a dropped policy, row security switched on, another
        // owner) can break the running application: contract. Giving it is expand.
        Change::DropPolicy { .. } | Change::SetOwner { .. } => Phase::Contract,
        Change::SetRowSecurity { from, to, .. }
            if (to.enabled && !from.enabled) || (to.forced && !from.forced) =>
        {
            Phase::Contract
        }
        Change::SetGrants { from, to, .. } | Change::SetDefaultPrivileges { from, to, .. }
            if crate::plan::change::removes_privileges(from, to) =>
        {
            Phase::Contract
        }
        Change::AddConstraintUsingIndex { table, .. } if existing(table) => Phase::Contract,
        // New rules for existing rows tighten what the old application may write.
        Change::AddConstraint { table, .. } if existing(table) => Phase::Contract,
        Change::AlterColumn {
            table, from, to, ..
        } if existing(table) => {
            let tightens = (!from.not_null && to.not_null)
                || (from.default.is_some() && to.default.is_none())
                || (from.data_type != to.data_type
                    && !binary_compatible(&from.data_type, &to.data_type)
                    && !widens(&from.data_type, &to.data_type));
            if tightens {
                Phase::Contract
            } else {
                Phase::Expand
            }
        }
        _ => Phase::Expand,
    }
}

/// Type changes that accept every old value (they may still rewrite the table).
fn widens(from: &str, to: &str) -> bool {
    let (a, b) = (
        crate::sqltext::types::base_of_printed(from),
        crate::sqltext::types::base_of_printed(to),
    );
    matches!(
        (a.as_str(), b.as_str()),
        ("smallint", "integer" | "bigint" | "numeric")
            | ("integer", "bigint" | "numeric")
            | ("bigint", "numeric")
            | ("real", "double precision")
            | ("character", "text" | "character varying")
            | ("timestamp without time zone", "timestamp with time zone")
    )
}
