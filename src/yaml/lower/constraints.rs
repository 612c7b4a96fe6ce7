//! Table constraints: primary key, unique, check, foreign key and exclusion.

use super::lowerer::{Fields, Lowerer};
use crate::model::hints::RenameHint;
use crate::model::naming::default_primary_key_name;
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::Field;

pub(crate) const PRIMARY_KEY_KEYS: &[&str] = &[
    "name",
    "columns",
    "include",
    "without_overlaps",
    "deferrable",
    "initially_deferred",
    "comment",
    "renamed_from",
    "only",
];
pub(crate) const UNIQUE_KEYS: &[&str] = &[
    "columns",
    "include",
    "nulls_not_distinct",
    "without_overlaps",
    "deferrable",
    "initially_deferred",
    "comment",
    "renamed_from",
    "only",
];
pub(crate) const CHECK_KEYS: &[&str] = &[
    "expression",
    "no_inherit",
    "not_valid",
    "enforced",
    "comment",
    "renamed_from",
];
pub(crate) const FOREIGN_KEY_KEYS: &[&str] = &[
    "columns",
    "references",
    "on_delete",
    "on_delete_columns",
    "on_update",
    "match",
    "period",
    "deferrable",
    "initially_deferred",
    "not_valid",
    "enforced",
    "comment",
    "renamed_from",
];
pub(crate) const EXCLUDE_KEYS: &[&str] = &[
    "using",
    "elements",
    "include",
    "where",
    "deferrable",
    "initially_deferred",
    "comment",
    "renamed_from",
];
pub(crate) const EXCLUDE_ELEMENT_KEYS: &[&str] = &[
    "column",
    "expression",
    "with",
    "order",
    "nulls",
    "opclass",
    "collation",
];
pub(crate) const REFERENCES_KEYS: &[&str] = &["schema", "table", "columns"];
/// A foreign key's `on_delete` and `on_update` (`FkAction::yaml`).
pub(crate) const FK_ACTION_WORDS: &[&str] = &[
    "no action",
    "restrict",
    "cascade",
    "set null",
    "set default",
];
/// A foreign key's `match`.
pub(crate) const MATCH_WORDS: &[&str] = &["full", "simple"];

impl Lowerer<'_> {
    /// A table's `primary_key`, `unique`, `checks`, `foreign_keys` and `exclude`.
    pub(super) fn table_constraints(&mut self, name: &QualName, table: &mut Table, f: &Fields<'_>) {
        let partitioned = f.get("partition_by").is_some();
        if let Some((n, p)) = f.get("primary_key") {
            if let Some((cname, c)) = self.primary_key(name, n, &p) {
                if self.only_on_partitioned(&c, partitioned, n, &p) {
                    self.add_constraint(name, table, cname, c, n, &p);
                }
            }
        }
        if let Some((n, p)) = f.get("unique") {
            for (cname, spec, cp) in self.named(n, &p) {
                if let Some(c) = self.unique(spec, &cp) {
                    if self.only_on_partitioned(&c, partitioned, spec, &cp) {
                        self.add_constraint(name, table, cname.to_string(), c, spec, &cp);
                    }
                }
            }
        }
        if let Some((n, p)) = f.get("checks") {
            for (cname, spec, cp) in self.named(n, &p) {
                if let Some(c) = self.check(spec, &cp) {
                    self.add_constraint(name, table, cname.to_string(), c, spec, &cp);
                }
            }
        }
        if let Some((n, p)) = f.get("foreign_keys") {
            for (cname, spec, cp) in self.named(n, &p) {
                if let Some(c) = self.foreign_key(name, spec, &cp) {
                    self.add_constraint(name, table, cname.to_string(), c, spec, &cp);
                }
            }
        }
        if let Some((n, p)) = f.get("exclude") {
            for (cname, spec, cp) in self.named(n, &p) {
                if let Some(c) = self.exclusion(spec, &cp) {
                    self.add_constraint(name, table, cname.to_string(), c, spec, &cp);
                }
            }
        }
    }

    pub(super) fn add_constraint(
        &mut self,
        table_name: &QualName,
        table: &mut Table,
        name: String,
        constraint: Constraint,
        node: &Node,
        path: &str,
    ) {
        if table.constraints.contains_key(&name) {
            self.error(
                node,
                path,
                format!("constraint `{name}` is defined twice on table {table_name}"),
            );
            return;
        }
        self.sources.objects.insert(
            ObjKey::Constraint(table_name.clone(), name.clone()),
            path.to_string(),
        );
        self.hint(
            node,
            path,
            RenameHint::Constraint(table_name.clone(), name.clone()),
        );
        table.constraints.insert(name, constraint);
    }

    pub(super) fn primary_key(
        &mut self,
        table: &QualName,
        node: &Node,
        path: &str,
    ) -> Option<(String, Constraint)> {
        let default_name = default_primary_key_name(&table.name);
        if let NodeKind::Scalar { .. } | NodeKind::Seq(_) = node.kind {
            let columns = self.names(node, path)?;
            return Some((
                default_name,
                keyed(ConstraintKind::PrimaryKey {
                    columns,
                    include: Vec::new(),
                    without_overlaps: false,
                }),
            ));
        }
        let f = self.fields(node, path, PRIMARY_KEY_KEYS)?;
        let name = match f.get("name") {
            Some((n, p)) => self.string(n, &p)?,
            None => default_name,
        };
        let Some((n, p)) = f.get("columns") else {
            self.error(node, path, "missing key `columns`");
            return None;
        };
        let columns = self.names(n, &p)?;
        let include = match f.get("include") {
            Some((n, p)) => self.names(n, &p)?,
            None => Vec::new(),
        };
        let without_overlaps = self.last_column_field(&f, "without_overlaps", &columns)?;
        let (deferrable, initially_deferred) = self.deferral(&f);
        let only = self.only_field(&f)?;
        let comment = self.comment_field(&f);
        Some((
            name,
            Constraint {
                kind: ConstraintKind::PrimaryKey {
                    columns,
                    include,
                    without_overlaps,
                },
                deferrable,
                initially_deferred,
                validated: true,
                enforced: true,
                only,
                comment,
            },
        ))
    }

    pub(super) fn unique(&mut self, node: &Node, path: &str) -> Option<Constraint> {
        if let NodeKind::Scalar { .. } | NodeKind::Seq(_) = node.kind {
            let columns = self.names(node, path)?;
            return Some(keyed(ConstraintKind::Unique {
                columns,
                include: Vec::new(),
                nulls_not_distinct: false,
                without_overlaps: false,
            }));
        }
        let f = self.fields(node, path, UNIQUE_KEYS)?;
        let Some((n, p)) = f.get("columns") else {
            self.error(node, path, "missing key `columns`");
            return None;
        };
        let columns = self.names(n, &p)?;
        let include = match f.get("include") {
            Some((n, p)) => self.names(n, &p)?,
            None => Vec::new(),
        };
        let nulls_not_distinct = f
            .get("nulls_not_distinct")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        let without_overlaps = self.last_column_field(&f, "without_overlaps", &columns)?;
        let (deferrable, initially_deferred) = self.deferral(&f);
        let only = self.only_field(&f)?;
        let comment = self.comment_field(&f);
        Some(Constraint {
            kind: ConstraintKind::Unique {
                columns,
                include,
                nulls_not_distinct,
                without_overlaps,
            },
            deferrable,
            initially_deferred,
            validated: true,
            enforced: true,
            only,
            comment,
        })
    }

    pub(super) fn check(&mut self, node: &Node, path: &str) -> Option<Constraint> {
        if let NodeKind::Scalar { .. } = node.kind {
            let expression = self.expr(node, path, Field::Expression)?;
            return Some(keyed(ConstraintKind::Check {
                expression,
                no_inherit: false,
            }));
        }
        let f = self.fields(node, path, CHECK_KEYS)?;
        let Some((n, p)) = f.get("expression") else {
            self.error(node, path, "missing key `expression`");
            return None;
        };
        let expression = self.expr(n, &p, Field::Expression)?;
        let no_inherit = f
            .get("no_inherit")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        let (validated, enforced) = self.enforcement(&f, node, path)?;
        let comment = self.comment_field(&f);
        Some(Constraint {
            kind: ConstraintKind::Check {
                expression,
                no_inherit,
            },
            deferrable: false,
            initially_deferred: false,
            validated,
            enforced,
            only: false,
            comment,
        })
    }

    pub(super) fn foreign_key(
        &mut self,
        table: &QualName,
        node: &Node,
        path: &str,
    ) -> Option<Constraint> {
        let f = self.fields(node, path, FOREIGN_KEY_KEYS)?;
        let mut missing = false;
        for key in ["columns", "references"] {
            if f.get(key).is_none() {
                self.error(node, path, format!("missing key `{key}`"));
                missing = true;
            }
        }
        if missing {
            return None;
        }
        let (n, p) = f.get("columns")?;
        let columns = self.names(n, &p)?;
        let (rn, rp) = f.get("references")?;
        let r = self.fields(rn, &rp, REFERENCES_KEYS)?;
        let schema = match r.get("schema") {
            Some((n, p)) => self.string(n, &p)?,
            None => table.schema.clone(),
        };
        let Some((tn, tp)) = r.get("table") else {
            self.error(rn, &rp, "missing key `table`");
            return None;
        };
        let ref_table = QualName::new(schema, self.string(tn, &tp)?);
        let ref_columns = match r.get("columns") {
            Some((n, p)) => self.names(n, &p)?,
            None => Vec::new(),
        };
        let action = |this: &mut Self, key: &str| -> Option<FkAction> {
            match f.get(key) {
                None => Some(FkAction::NoAction),
                Some((n, p)) => {
                    let word = this.word(n, &p, FK_ACTION_WORDS)?;
                    FkAction::ALL.into_iter().find(|a| a.yaml() == word)
                }
            }
        };
        // Every field is read before giving up, so that all problems are reported.
        let on_delete = action(self, "on_delete");
        let on_update = action(self, "on_update");
        let match_full = match f.get("match") {
            Some((n, p)) => self.word(n, &p, MATCH_WORDS).map(|w| w == "full"),
            None => Some(false),
        };
        let (deferrable, initially_deferred) = self.deferral(&f);
        let on_delete_columns = match f.get("on_delete_columns") {
            Some((n, p)) => self.names(n, &p),
            None => Some(Vec::new()),
        };
        let period = self.last_column_field(&f, "period", &columns);
        let enforcement = self.enforcement(&f, node, path);
        let (on_delete, on_update, match_full, on_delete_columns) =
            (on_delete?, on_update?, match_full?, on_delete_columns?);
        let (period, (validated, enforced)) = (period?, enforcement?);
        let comment = self.comment_field(&f);
        Some(Constraint {
            kind: ConstraintKind::ForeignKey(ForeignKey {
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_delete_columns,
                on_update,
                match_full,
                period,
            }),
            deferrable,
            initially_deferred,
            validated,
            enforced,
            only: false,
            comment,
        })
    }

    pub(super) fn exclusion(&mut self, node: &Node, path: &str) -> Option<Constraint> {
        let f = self.fields(node, path, EXCLUDE_KEYS)?;
        let Some((en, ep)) = f.get("elements") else {
            self.error(node, path, "missing key `elements`");
            return None;
        };
        let NodeKind::Seq(items) = &en.kind else {
            self.error(
                en,
                &ep,
                format!("expected a list of elements, found {}", en.describe()),
            );
            return None;
        };
        if items.is_empty() {
            self.error(
                en,
                &ep,
                "an exclusion constraint needs at least one element",
            );
            return None;
        }
        // Every element is read before giving up, so that all problems are reported.
        let elements: Vec<Option<ExclusionElement>> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let ip = format!("{ep}[{i}]");
                self.record(item, &ip);
                self.exclusion_element(item, &ip)
            })
            .collect();
        let method = match f.get("using") {
            Some((n, p)) => self.sql(n, &p).map(|m| m.to_ascii_lowercase()),
            None => Some("gist".to_string()),
        };
        let include = match f.get("include") {
            Some((n, p)) => self.names(n, &p),
            None => Some(Vec::new()),
        };
        let predicate = match f.get("where") {
            Some((n, p)) => self.expr(n, &p, Field::Expression).map(Some),
            None => Some(None),
        };
        let (deferrable, initially_deferred) = self.deferral(&f);
        let comment = self.comment_field(&f);
        let elements: Option<Vec<ExclusionElement>> = elements.into_iter().collect();
        Some(Constraint {
            kind: ConstraintKind::Exclude(Exclusion {
                method: method?,
                elements: elements?,
                include: include?,
                predicate: predicate?,
            }),
            deferrable,
            initially_deferred,
            validated: true,
            enforced: true,
            only: false,
            comment,
        })
    }

    /// Whether a key is `only` where it can be: on a partitioned table (an error otherwise).
    fn only_on_partitioned(
        &mut self,
        c: &Constraint,
        partitioned: bool,
        n: &Node,
        p: &str,
    ) -> bool {
        if c.only && !partitioned {
            self.error(
                n,
                p,
                "`only: true` is for a key of a partitioned table (added ALTER TABLE ONLY it)",
            );
            return false;
        }
        true
    }

    /// `only: true`: a key or index of a partitioned table added `ALTER TABLE ONLY` (`ON ONLY`)
    /// it, not yet attached to by every partition (checked against the table by the caller).
    pub(super) fn only_field(&mut self, f: &Fields<'_>) -> Option<bool> {
        match f.get("only") {
            Some((n, p)) => self.bool(n, &p),
            None => Some(false),
        }
    }

    /// `without_overlaps: valid_at` of a key, `period: valid_at` of a foreign key: the field
    /// names the last of `columns` (the range compared by overlap, PostgreSQL 18), which is
    /// where SQL puts `WITHOUT OVERLAPS` and `PERIOD`. Naming it, rather than a bare flag,
    /// says in the YAML which column is the period.
    fn last_column_field(&mut self, f: &Fields<'_>, key: &str, columns: &[String]) -> Option<bool> {
        let Some((n, p)) = f.get(key) else {
            return Some(false);
        };
        let column = self.string(n, &p)?;
        if columns.len() < 2 || columns.last() != Some(&column) {
            self.error(
                n,
                &p,
                format!(
                    "`{key}` names the last of at least two `columns` (the range compared by overlap); `{column}` is not"
                ),
            );
            return None;
        }
        Some(true)
    }

    /// `not_valid` and `enforced` of a check or foreign key, as the model's `(validated,
    /// enforced)`: a constraint not enforced checks no row, so it has nothing to validate.
    fn enforcement(&mut self, f: &Fields<'_>, node: &Node, path: &str) -> Option<(bool, bool)> {
        let not_valid = f
            .get("not_valid")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        let enforced = f
            .get("enforced")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(true);
        if not_valid && !enforced {
            self.error(
                node,
                path,
                "a constraint that is not enforced checks no row, old or new: `not_valid` applies only to an enforced one",
            );
            return None;
        }
        Some((!not_valid, enforced))
    }

    /// `{ column: c, with: "=" }` or `{ expression: "…", with: "&&" }`, with the optional keys
    /// of an index column.
    fn exclusion_element(&mut self, node: &Node, path: &str) -> Option<ExclusionElement> {
        let f = self.fields(node, path, EXCLUDE_ELEMENT_KEYS)?;
        let key = self.key_fields(&f, node, path);
        let operator = match f.get("with") {
            Some((n, p)) => {
                let op = self.sql(n, &p)?;
                if is_operator(&op) {
                    self.check_text(n, &p, Field::Operator, &op);
                    Some(op)
                } else {
                    self.error(
                        n,
                        &p,
                        format!(
                            "`{op}` is not an operator: write its symbol (`=`, `&&`) or OPERATOR(schema.symbol)"
                        ),
                    );
                    None
                }
            }
            None => {
                self.error(
                    node,
                    path,
                    "missing key `with` (the operator rows are compared with, e.g. `=` or `&&`)",
                );
                None
            }
        };
        Some(ExclusionElement {
            key: key?,
            operator: operator?,
        })
    }
}

/// An operator as SQL names it: a symbol (`=`, `&&`, `-|-`) or `OPERATOR(schema.symbol)`,
/// read by the SQL tokenizer.
pub(super) fn is_operator(text: &str) -> bool {
    crate::sqltext::tokenize::is_operator(text)
}

fn keyed(kind: ConstraintKind) -> Constraint {
    Constraint {
        kind,
        deferrable: false,
        initially_deferred: false,
        validated: true,
        enforced: true,
        only: false,
        comment: None,
    }
}
