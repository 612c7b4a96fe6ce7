//! Columns of an existing table: added, and altered (type, nullability, default, identity).

use crate::model::Casts;
use crate::model::hints::Backfills;
use crate::model::naming::not_null_default_is_cut;
use crate::model::warning::Warning;
use crate::model::*;
use crate::plan::change::{Change, Renamed, Renumber, Using};
use crate::sqltext::types;

use super::compare::is_extension_of;
use super::state::Differ;

/// The warning on a NOT NULL column added without a default, which a `backfill` answers (see
/// [`without_backfilled`]).
pub const NOT_NULL_WITHOUT_DEFAULT: &str =
    "a NOT NULL column without a default is added: this fails if the table has rows";

/// The diff's warnings but those a `backfill` answers: a column it fills is added nullable,
/// filled, and made NOT NULL after (`online::columns`), so rows do not make it fail.
pub fn without_backfilled(warnings: Vec<Warning>, backfills: &Backfills) -> Vec<Warning> {
    (warnings.into_iter())
        .filter(|w| {
            w.message != NOT_NULL_WITHOUT_DEFAULT
                || !backfills
                    .keys()
                    .any(|(table, column)| w.object == format!("{table}.{column}"))
        })
        .collect()
}

/// Types that any type converts to on assignment, through its text output.
const STRING_TYPES: &[&str] = &["text", "character varying", "character", "name"];

pub(super) fn needs_using(from: &str, to: &str, casts: &Casts) -> bool {
    let (a, b) = (types::base_of_printed(from), types::base_of_printed(to));
    let (a_arr, b_arr) = (types::is_array(from), types::is_array(to));
    if a_arr != b_arr {
        return true;
    }
    if a == b {
        return false;
    }
    if STRING_TYPES.contains(&b.as_str()) && !a_arr {
        return false;
    }
    !casts.assignment.contains(&(a, b))
}

/// Whether two columns differ in their settings at most (those are altered on their own).
fn same_but_settings(a: &Column, b: &Column) -> bool {
    let bare = |c: &Column| Column {
        settings: ColumnSettings::default(),
        ..c.clone()
    };
    bare(a) == bare(b)
}

impl Differ<'_> {
    /// Columns of an existing table (as far as they are its own): added, dropped, altered, or
    /// (a generated column whose expression or input changes) dropped and added again.
    pub(super) fn column_changes(&mut self, name: &QualName, old: &Table, new: &Table) {
        for written in &new.columns {
            let deferred;
            let column = match self.not_valid_not_null(name, old, new, written) {
                Some(nullable) => {
                    deferred = nullable;
                    &deferred
                }
                None => written,
            };
            let Some(prev) = old.column(&column.name) else {
                self.add_column(name, column);
                continue;
            };
            if self
                .recreated_columns
                .contains(&(name.clone(), column.name.clone()))
            {
                let why = if prev.is_virtual() && column.generated.is_none() {
                    // Its values were never stored: there is nothing to keep.
                    "the virtual generated column is dropped and added again as a plain column, empty (PostgreSQL 18 cannot drop the expression of a virtual column)"
                } else if prev.generated.is_some()
                    && column.generated.is_some()
                    && prev.generated_kind != column.generated_kind
                {
                    "the generated column is dropped and added again (PostgreSQL cannot change a generated column between stored and virtual in place)"
                } else {
                    "the generated column is dropped and added again (PostgreSQL 15 cannot change a generation expression, or the columns it reads, in place)"
                };
                self.warn(format!("{name}.{}", column.name), why);
                self.push(Change::DropColumn {
                    table: name.clone(),
                    column: prev.clone(),
                    backup: None,
                    only: false,
                });
                self.push(Change::AddColumn {
                    table: name.clone(),
                    column: column.clone(),
                    not_null_name: self.added_not_null_name(name, column),
                });
                continue;
            }
            if !same_but_settings(prev, column) {
                self.alter_column(name, prev, column);
            }
            self.column_settings(name, prev, column);
        }
        for column in &old.columns {
            if new.column(&column.name).is_none() {
                self.push(Change::DropColumn {
                    table: name.clone(),
                    column: column.clone(),
                    backup: None,
                    only: new.partition_by.is_none() && self.has_heirs(name),
                });
            }
        }
    }

    /// A column new or becoming NOT NULL whose NOT NULL constraint the desired state has
    /// `NOT VALID` or `NO INHERIT` (PostgreSQL 18). `NOT VALID`: the constraint is added so
    /// after the column is (setting NOT NULL would check every row), and the column as it is
    /// before that is returned; `NO INHERIT` alone: made so after NOT NULL is set.
    fn not_valid_not_null(
        &mut self,
        name: &QualName,
        old: &Table,
        new: &Table,
        column: &Column,
    ) -> Option<Column> {
        let state = new.not_null_state(&column.name);
        if !column.not_null || state == NotNullState::PLAIN {
            return None;
        }
        let recreated = (self.recreated_columns).contains(&(name.clone(), column.name.clone()));
        if old.column(&column.name).is_some_and(|p| p.not_null) && !recreated {
            return None;
        }
        let constraint = (new.not_null_names.get(&column.name).cloned())
            .unwrap_or_else(|| self.des.not_null_default(name, &column.name));
        self.push(Change::NotNull {
            table: name.clone(),
            column: column.name.clone(),
            name: constraint,
            from: state.valid.then_some(NotNullState::PLAIN),
            to: Some(state),
        });
        (!state.valid).then(|| Column {
            not_null: false,
            ..column.clone()
        })
    }

    /// NOT NULL constraints (PostgreSQL 18) named otherwise than the desired state names them:
    /// renamed, as neither a renamed column or table nor a detach renames them. Not on a
    /// partition that stays where it is (its NOT NULLs are its parent's, which PostgreSQL
    /// refuses to rename on one partition), nor on a column dropped and added again.
    pub(super) fn not_null_names(&mut self, name: &QualName, old: &Table, new: &Table) {
        if let (Some(a), Some(b)) = (&old.partition_of, &new.partition_of) {
            if a.parent == b.parent {
                for (column, to) in &new.not_null_names {
                    if let Some(from) = old.not_null_names.get(column).filter(|f| *f != to) {
                        self.warn(
                            format!("{name}.{column}"),
                            format!("its NOT NULL constraint is named {from}, not {to}: PostgreSQL cannot rename a constraint a partition has from its parent while it is attached, so the name stays"),
                        );
                    }
                }
                return;
            }
        }
        for (column, to) in &new.not_null_names {
            let Some(from) = old.not_null_names.get(column) else {
                continue;
            };
            if self.drops_column(name, column) {
                continue;
            }
            if from != to && self.named_by_parent(name, old, new, column, to) {
                continue;
            }
            if from != to {
                self.push(Change::Rename {
                    target: Renamed::Constraint {
                        table: name.clone(),
                    },
                    from: from.clone(),
                    to: to.clone(),
                });
            }
            // Validated, or made [NO] INHERIT.
            let (a, b) = (old.not_null_state(column), new.not_null_state(column));
            if a != b {
                self.push(Change::NotNull {
                    table: name.clone(),
                    column: column.clone(),
                    name: to.clone(),
                    from: Some(a),
                    to: Some(b),
                });
            }
        }
    }

    /// Whether the NOT NULL of `column` is one a table that inherits has from a parent it keeps
    /// (PostgreSQL 18): PostgreSQL refuses to rename it on the table, and renaming the parent's
    /// renames it too. When the parent's new name is not `to`, the name stays, with a warning.
    fn named_by_parent(
        &mut self,
        name: &QualName,
        old: &Table,
        new: &Table,
        column: &str,
        to: &str,
    ) -> bool {
        let staying = super::inheritance::staying_parents(old, new);
        if staying.is_empty() || !old.column(column).is_some_and(|c| c.inherited) {
            return false;
        }
        let from_parent = staying.iter().any(|p| {
            (self.des.tables.get(p)).and_then(|t| t.not_null_names.get(column))
                == Some(&to.to_string())
        });
        if !from_parent {
            self.warn(
                format!("{name}.{column}"),
                format!("its NOT NULL constraint is the one its parent gives, which PostgreSQL cannot rename on the table: it stays, not {to}"),
            );
        }
        true
    }

    fn drops_column(&self, table: &QualName, column: &str) -> bool {
        self.out.changes.iter().any(|c| {
            matches!(c, Change::DropColumn { table: t, column: dropped, .. }
                if t == table && dropped.name == column)
        })
    }

    fn add_column(&mut self, table: &QualName, column: &Column) {
        if column.not_null
            && column.default.is_none()
            && column.identity.is_none()
            && column.generated.is_none()
        {
            self.warn(format!("{table}.{}", column.name), NOT_NULL_WITHOUT_DEFAULT);
        }
        self.push(Change::AddColumn {
            table: table.clone(),
            column: column.clone(),
            not_null_name: self.added_not_null_name(table, column),
        });
    }

    /// The name a new NOT NULL column's constraint is given (PostgreSQL 18), when PostgreSQL
    /// would give it another: a name of the desired state's own, or the default cut to 63
    /// bytes (which another table's may equal, and PostgreSQL would then number).
    fn added_not_null_name(&self, table: &QualName, column: &Column) -> Option<String> {
        if !column.not_null {
            return None;
        }
        let desired = self
            .des
            .tables
            .get(table)?
            .not_null_names
            .get(&column.name)?;
        let default = self.des.not_null_default(table, &column.name);
        (*desired != default || not_null_default_is_cut(&table.name, &column.name))
            .then(|| desired.clone())
    }

    fn alter_column(&mut self, table: &QualName, from: &Column, to: &Column) {
        let object = format!("{table}.{}", to.name);
        let retyped = from.data_type != to.data_type;
        let (using, using_reverse) = if retyped {
            (
                self.conversion(&from.data_type, &to.data_type, self.cur),
                self.conversion(&to.data_type, &from.data_type, self.des),
            )
        } else {
            (Using::Implicit, Using::Implicit)
        };
        if using != Using::Implicit {
            self.warn(
                &object,
                format!(
                    "type changes from {} to {} with an explicit conversion: the change fails if a value does not convert",
                    from.data_type, to.data_type
                ),
            );
        }
        let zone = |t: &str| types::base_of_printed(t).starts_with("timestamp");
        if retyped
            && zone(&from.data_type)
            && zone(&to.data_type)
            && from.data_type.contains("with time zone") != to.data_type.contains("with time zone")
        {
            self.warn(
                &object,
                "timestamp values are converted using the TimeZone of the session that applies the plan",
            );
        }
        if !from.not_null && to.not_null {
            self.warn(
                &object,
                "SET NOT NULL fails if a row holds NULL in this column",
            );
        }
        // An enum being rebuilt casts its own columns; only the rest is altered here.
        let mut from = from.clone();
        if (self.rebuilds_enum_of(&from.data_type) || self.rebuilds_domain_of(&from.data_type))
            && from.data_type == to.data_type
        {
            from.default = to.default.clone();
        }
        if same_but_settings(&from, to) {
            return;
        }
        let numbered = |c: &Column| c.identity.is_some() || c.default.is_some();
        if from.identity.is_some() != to.identity.is_some() && numbered(&from) && numbered(to) {
            // Numbering moves between a default and an identity (serial ↔ identity): the old
            // one is released in a step of its own and the new one taken up in a second, so
            // that a sequence of the same name can go or come in between; the new sequence then
            // continues after the values already in the column.
            let middle = Column {
                default: None,
                identity: None,
                ..to.clone()
            };
            let renumber = if to.identity.is_some() {
                Some(Renumber::Identity)
            } else {
                self.default_sequence(self.des, table, to)
                    .map(Renumber::Sequence)
            };
            let renumber_reverse = if from.identity.is_some() {
                Some(Renumber::Identity)
            } else {
                self.default_sequence(self.cur, table, &from)
                    .map(Renumber::Sequence)
            };
            self.push(Change::AlterColumn {
                table: table.clone(),
                from,
                to: middle.clone(),
                using,
                using_reverse,
                renumber: None,
                renumber_reverse,
            });
            self.push(Change::AlterColumn {
                table: table.clone(),
                from: middle,
                to: to.clone(),
                using: Using::Implicit,
                using_reverse: Using::Implicit,
                renumber,
                renumber_reverse: None,
            });
            return;
        }
        // An identity added to a column that holds values continues after them, going up or
        // (an identity dropped) coming back down.
        let gains_identity = |a: &Column, b: &Column| a.identity.is_none() && b.identity.is_some();
        self.push(Change::AlterColumn {
            table: table.clone(),
            renumber: gains_identity(&from, to).then_some(Renumber::Identity),
            renumber_reverse: gains_identity(to, &from).then_some(Renumber::Identity),
            from,
            to: to.clone(),
            using,
            using_reverse,
        });
    }

    /// How values convert from `from` to `to`; `model` is where `from` is defined.
    fn conversion(&self, from: &str, to: &str, model: &Catalog) -> Using {
        let base = from.strip_suffix("[]").unwrap_or(from);
        let from_enum = model
            .enums
            .keys()
            .any(|q| crate::model::quote::qualified(q) == base);
        // Strings convert to and from every type by its text form (PostgreSQL's I/O
        // conversion casts, which pg_cast does not list).
        let (a, b) = (types::base_of_printed(from), types::base_of_printed(to));
        let string = |t: &str| STRING_TYPES.contains(&t);
        let no_cast = !types::is_array(from)
            && !types::is_array(to)
            && !string(&a)
            && !string(&b)
            && self.casts.none_between(&a, &b);
        if from_enum || no_cast {
            // Without a cast, the text form is the only way (it holds for an empty table, and
            // for values whose text the new type reads).
            Using::ThroughText
        } else if needs_using(from, to, self.casts) {
            Using::Cast
        } else {
            Using::Implicit
        }
    }

    /// The sequence a column's default takes values from, in `model`.
    fn default_sequence(
        &self,
        model: &Catalog,
        table: &QualName,
        column: &Column,
    ) -> Option<QualName> {
        let key = ObjKey::Column(table.clone(), column.name.clone());
        model.recorded_deps_of(&key).find_map(|k| match k {
            ObjKey::Relation(q) if model.sequences.contains_key(q) => Some(q.clone()),
            _ => None,
        })
    }

    /// Whether `data_type` is (an array of) an enum that this plan rebuilds.
    fn rebuilds_enum_of(&self, data_type: &str) -> bool {
        let base = data_type.strip_suffix("[]").unwrap_or(data_type);
        self.cur.enums.iter().any(|(q, e)| {
            crate::model::quote::qualified(q) == base
                && self
                    .des
                    .enums
                    .get(q)
                    .is_some_and(|n| !is_extension_of(&e.values, &n.values))
        })
    }

    /// Whether `data_type` is (an array of) a domain that this plan rebuilds.
    fn rebuilds_domain_of(&self, data_type: &str) -> bool {
        let base = data_type.strip_suffix("[]").unwrap_or(data_type);
        self.domain_groups
            .iter()
            .flatten()
            .any(|q| crate::model::quote::qualified(q) == base)
    }
}
