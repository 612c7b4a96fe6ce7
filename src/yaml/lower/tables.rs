//! Tables and their columns; each kind of table part (constraints, indexes, triggers,
//! policies, partitioning) is lowered by its own file.

use super::lowerer::{Fields, Lowerer, map_entry};
use crate::model::hints::RenameHint;
use crate::model::source::child_path;
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::Field;

pub(crate) const TABLE_KEYS: &[&str] = &[
    "columns",
    "unlogged",
    "primary_key",
    "unique",
    "checks",
    "foreign_keys",
    "exclude",
    "indexes",
    "options",
    "comment",
    "renamed_from",
    "partition_by",
    "partition_of",
    "bounds",
    "index_names",
    "not_null",
    "triggers",
    "owner",
    "grants",
    "row_level_security",
    "policies",
    "statistics",
    "replica_identity",
    "inherits",
    "not_null_names",
    "not_null_not_valid",
    "not_null_no_inherit",
];
pub(crate) const COLUMN_KEYS: &[&str] = &[
    "type",
    "not_null",
    "default",
    "identity",
    "generated",
    "collation",
    "comment",
    "renamed_from",
    "backfill",
    "using",
    "grants",
    "statistics",
    "storage",
    "compression",
    "options",
];
pub(crate) const GENERATED_KEYS: &[&str] = &["expression", "virtual"];
pub(crate) const IDENTITY_KEYS: &[&str] = &[
    "generated",
    "sequence",
    "start",
    "increment",
    "min",
    "max",
    "cache",
    "cycle",
    "grants",
];
/// `identity: always`, or the `generated` of `identity: { … }`.
pub(crate) const IDENTITY_WORDS: &[&str] = &["always", "by default"];
/// `replica_identity: { index: name }`, or one of the words.
pub(crate) const REPLICA_IDENTITY_KEYS: &[&str] = &["index"];
pub(crate) const REPLICA_IDENTITY_WORDS: &[&str] = &["default", "full", "nothing"];

impl Lowerer<'_> {
    pub(super) fn table(&mut self, name: QualName, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, TABLE_KEYS) else {
            return;
        };
        if !self.define(ObjKey::Relation(name.clone()), path, node) {
            return;
        }
        let mut table = Table::default();
        self.hint(node, path, RenameHint::Table(name.clone()));
        if let Some((n, p)) = f.get("columns") {
            self.table_columns(&name, &mut table, n, &p);
        }
        self.table_constraints(&name, &mut table, &f);
        if let Some((n, p)) = f.get("indexes") {
            let partitioned = f.get("partition_by").is_some();
            self.table_indexes(&name, &mut table, partitioned, n, &p);
        }
        if let Some((n, p)) = f.get("triggers") {
            self.table_triggers(&name, &mut table, n, &p);
        }
        if let Some((n, p)) = f.get("statistics") {
            self.table_statistics(&name, &mut table, n, &p);
        }
        if let Some((n, p)) = f.get("options") {
            table.options = self.options(n, &p);
        }
        if let Some((n, p)) = f.get("unlogged") {
            table.unlogged = self.bool(n, &p).unwrap_or(false);
        }
        if let Some((n, p)) = f.get("comment") {
            table.comment = self.optional_string(n, &p);
        }
        self.partitioning(&name, &mut table, &f, node, path);
        self.inherits(&name, &mut table, &f);
        self.not_null_constraints(&mut table, &f);
        if let Some((n, p)) = f.get("owner") {
            table.owner = self.owner(n, &p);
        }
        if let Some((n, p)) = f.get("grants") {
            table.grants = self.grants(n, &p, Privilege::TABLE, "a table");
        }
        if let Some((n, p)) = f.get("row_level_security") {
            table.row_security = self.row_security(n, &p);
        }
        if let Some((n, p)) = f.get("policies") {
            self.table_policies(&name, &mut table, n, &p);
        }
        if let Some((n, p)) = f.get("replica_identity") {
            table.replica_identity = self.replica_identity(&table, n, &p);
        }
        self.catalog.tables.insert(name, table);
    }

    /// PostgreSQL 18's NOT NULL constraints: `not_null_names` (by column), `not_null_not_valid`
    /// and `not_null_no_inherit` (columns), each of NOT NULL columns of the table (checked for
    /// a table of its own columns only: a partition's or heir's may be a parent's, not read yet).
    fn not_null_constraints(&mut self, table: &mut Table, f: &Fields<'_>) {
        let own_columns_only = table.partition_of.is_none() && table.inherits.is_empty();
        for key in [
            "not_null_names",
            "not_null_not_valid",
            "not_null_no_inherit",
        ] {
            let Some((n, p)) = f.get(key) else {
                continue;
            };
            let columns: Vec<String> = match key {
                "not_null_names" => {
                    table.not_null_names = self.options(n, &p);
                    table.not_null_names.keys().cloned().collect()
                }
                _ => self.names(n, &p).unwrap_or_default(),
            };
            let unknown = (columns.iter())
                .find(|c| own_columns_only && table.column(c).is_none_or(|c| !c.not_null));
            if let Some(column) = unknown {
                let message = format!("{key}: {column} is not a NOT NULL column of this table");
                self.error(n, &p, message);
            }
            match key {
                "not_null_not_valid" => table.not_null_not_valid.extend(columns),
                "not_null_no_inherit" => table.not_null_no_inherit.extend(columns),
                _ => {}
            }
        }
    }

    /// `columns:` in file order, each with its rename hint, backfill and column grants.
    fn table_columns(&mut self, name: &QualName, table: &mut Table, n: &Node, p: &str) {
        for (col_name, spec, cp) in self.named(n, p) {
            if let Some(column) = self.column(col_name, spec, &cp) {
                self.hint(
                    spec,
                    &cp,
                    RenameHint::Column(name.clone(), col_name.to_string()),
                );
                self.column_backfill(name, col_name, &column, spec, &cp);
                self.column_conversion(name, col_name, spec, &cp);
                if let Some((value, gp)) = map_entry(spec, "grants", &cp) {
                    let grants = self.grants(value, &gp, Privilege::COLUMN, "a column");
                    if !grants.is_empty() {
                        table.column_grants.insert(col_name.to_string(), grants);
                    }
                }
                // Grants on the identity's sequence, under `identity:`.
                if let Some((value, gp)) = map_entry(spec, "identity", &cp)
                    .and_then(|(identity, ip)| map_entry(identity, "grants", &ip))
                {
                    let grants = self.grants(value, &gp, Privilege::SEQUENCE, "a sequence");
                    if !grants.is_empty() {
                        table.identity_grants.insert(col_name.to_string(), grants);
                    }
                }
                self.sources
                    .objects
                    .insert(ObjKey::Column(name.clone(), col_name.to_string()), cp);
                table.columns.push(column);
            }
        }
        // Pushed one by one, 13 columns took room for 16 (a column is 300 bytes).
        table.columns.shrink_to_fit();
    }

    fn column(&mut self, name: &str, node: &Node, path: &str) -> Option<Column> {
        if let NodeKind::Scalar { .. } = node.kind {
            // `title: text` is short for `title: { type: text }`.
            let type_path = child_path(path, "type");
            self.record(node, &type_path);
            let data_type = self.checked(node, &type_path, Field::TypeName)?;
            return Some(Column::new(name, data_type));
        }
        let f = self.fields(node, path, COLUMN_KEYS)?;
        let Some((type_node, type_path)) = f.get("type") else {
            self.error(node, path, "missing key `type`");
            return None;
        };
        let mut column = Column::new(name, self.checked(type_node, &type_path, Field::TypeName)?);
        if let Some((n, p)) = f.get("not_null") {
            column.not_null = self.bool(n, &p).unwrap_or(false);
        }
        if let Some((n, p)) = f.get("default") {
            column.default = match n.kind {
                NodeKind::Null => None,
                _ => self.expr(n, &p, Field::Default),
            };
        }
        if let Some((n, p)) = f.get("generated") {
            self.generated(n, &p, &mut column);
        }
        if let Some((n, p)) = f.get("identity") {
            column.identity = self.identity(n, &p).map(Box::new);
        }
        if let Some((n, p)) = f.get("collation") {
            column.collation = self.obj_ref(n, &p);
        }
        if let Some((n, p)) = f.get("comment") {
            column.comment = self.optional_string(n, &p);
        }
        self.column_settings(&f, &mut column.settings);
        Some(column)
    }

    /// `generated: <expression>` (stored), or `{ expression, virtual: true }` (PostgreSQL 18:
    /// computed when read; `virtual: false` is stored).
    fn generated(&mut self, node: &Node, path: &str, column: &mut Column) {
        let NodeKind::Map(_) = node.kind else {
            column.generated = self.expr(node, path, Field::Expression);
            return;
        };
        let Some(f) = self.fields(node, path, GENERATED_KEYS) else {
            return;
        };
        let Some((n, p)) = f.get("expression") else {
            self.error(node, path, "missing key `expression`");
            return;
        };
        column.generated = self.expr(n, &p, Field::Expression);
        if let Some((n, p)) = f.get("virtual") {
            if self.bool(n, &p) == Some(true) {
                column.generated_kind = GeneratedKind::Virtual;
            }
        }
    }

    fn identity(&mut self, node: &Node, path: &str) -> Option<Identity> {
        if let NodeKind::Scalar { .. } = node.kind {
            let kind = self.word(node, path, IDENTITY_WORDS)?;
            return Some(Identity {
                always: kind == "always",
                options: SequenceOptions::default(),
                sequence: None,
            });
        }
        let f = self.fields(node, path, IDENTITY_KEYS)?;
        let mut identity = Identity {
            always: true,
            options: SequenceOptions::default(),
            sequence: None,
        };
        if let Some((n, p)) = f.get("generated") {
            identity.always = self.word(n, &p, IDENTITY_WORDS)? == "always";
        }
        if let Some((n, p)) = f.get("sequence") {
            identity.sequence = self.string(n, &p);
        }
        self.sequence_option_fields(&f, &mut identity.options);
        Some(identity)
    }
}

impl Lowerer<'_> {
    /// A table's `replica_identity`: `default`, `full`, `nothing`, or `{ index: name }` naming
    /// one of the table's unique indexes or key constraints.
    fn replica_identity(&mut self, table: &Table, n: &Node, p: &str) -> ReplicaIdentity {
        if let NodeKind::Map(_) = n.kind {
            let Some(f) = self.fields(n, p, REPLICA_IDENTITY_KEYS) else {
                return ReplicaIdentity::Default;
            };
            let Some((node, path)) = f.get("index") else {
                self.error(n, p, "missing key `index`");
                return ReplicaIdentity::Default;
            };
            let Some(index) = self.string(node, &path) else {
                return ReplicaIdentity::Default;
            };
            let unique_index = table.indexes.get(&index).is_some_and(|i| i.unique);
            let key = table
                .constraints
                .get(&index)
                .is_some_and(|c| c.kind.is_unique_key());
            if !unique_index && !key {
                self.error(
                    node,
                    &path,
                    format!(
                        "`{index}` is not a unique index or key of this table (REPLICA IDENTITY USING INDEX needs one)"
                    ),
                );
                return ReplicaIdentity::Default;
            }
            return ReplicaIdentity::Index(index);
        }
        match self.word(n, p, REPLICA_IDENTITY_WORDS).as_deref() {
            Some("full") => ReplicaIdentity::Full,
            Some("nothing") => ReplicaIdentity::Nothing,
            _ => ReplicaIdentity::Default,
        }
    }
}
