//! Fixtures for the tests of `diff` that need no database and no YAML: small models built by
//! hand, and `check`, which compares what `diff` finds with what a row of a table expects.
//! Changes are written `kind object`, warnings `warning object`; both lists are compared sorted,
//! since the order of the steps is the graph's business, not diff's.

use std::collections::BTreeMap;

use crate::model::Casts;
use crate::model::*;

use super::diff;

pub(crate) fn casts() -> Casts {
    Casts {
        assignment: [("integer", "bigint"), ("bigint", "integer")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        any: [("integer", "bigint"), ("bigint", "integer")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
    }
}

/// A small model under construction. Names without a schema are in `public`.
#[derive(Clone, Default)]
pub(crate) struct Model(Catalog);

pub(crate) fn q(name: &str) -> QualName {
    match name.split_once('.') {
        Some((schema, name)) => QualName::new(schema, name),
        None => QualName::new("public", name),
    }
}

pub(crate) fn column_key(table: &str, column: &str) -> ObjKey {
    ObjKey::Column(q(table), column.into())
}

pub(crate) fn relation_key(name: &str) -> ObjKey {
    ObjKey::Relation(q(name))
}

pub(crate) fn function_id(name: &str, args: &str) -> FunctionId {
    FunctionId {
        name: q(name),
        args: args.into(),
    }
}

pub(crate) fn index_on(columns: &[&str]) -> Index {
    Index {
        unique: false,
        method: "btree".into(),
        keys: columns
            .iter()
            .map(|c| IndexKey {
                expr: IndexExpr::Column(c.to_string()),
                opclass: None,
                collation: None,
                descending: false,
                nulls_first: false,
            })
            .collect(),
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct: false,
        options: StorageOptions::new(),
        comment: None,
        valid: true,
    }
}

pub(crate) fn constraint(kind: ConstraintKind) -> Constraint {
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

pub(crate) fn check_constraint(expression: &str) -> Constraint {
    constraint(ConstraintKind::Check {
        expression: Expr::new(expression),
        no_inherit: false,
    })
}

pub(crate) fn foreign_key(columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> Constraint {
    let names = |c: &[&str]| c.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    constraint(ConstraintKind::ForeignKey(ForeignKey {
        columns: names(columns),
        ref_table: q(ref_table),
        ref_columns: names(ref_columns),
        on_delete: FkAction::NoAction,
        on_delete_columns: Vec::new(),
        on_update: FkAction::NoAction,
        match_full: false,
        period: false,
    }))
}

fn view_columns(columns: &[(&str, &str)]) -> Vec<ViewColumn> {
    columns
        .iter()
        .map(|(name, data_type)| ViewColumn {
            name: name.to_string(),
            data_type: data_type.to_string(),
            collation: None,
        })
        .collect()
}

pub(crate) fn function(arguments: &str, returns: &str, body: &str) -> Function {
    Function {
        kind: RoutineKind::Function,
        arguments: arguments.into(),
        returns: Some(returns.into()),
        language: "sql".into(),
        volatility: Volatility::default(),
        strict: false,
        security_definer: false,
        leakproof: false,
        parallel: Parallel::default(),
        cost: None,
        rows: None,
        settings: BTreeMap::new(),
        body: body.into(),
        sql_body: false,
        comment: None,
        grants: Grants::new(),
    }
}

pub(crate) fn trigger(function: &str, events: &[&str]) -> Trigger {
    Trigger {
        timing: TriggerTiming::After,
        events: events.iter().map(|e| e.to_string()).collect(),
        update_of: Vec::new(),
        for_each_row: true,
        when: None,
        function: q(function),
        arguments: Vec::new(),
        old_table: None,
        new_table: None,
        constraint: false,
        deferrable: false,
        initially_deferred: false,
        enabled: TriggerEnabled::Origin,
        comment: None,
    }
}

impl Model {
    pub(crate) fn catalog(&self) -> &Catalog {
        &self.0
    }

    pub(crate) fn schema(mut self, name: &str) -> Self {
        self.0.schemas.insert(name.into(), Schema::default());
        self
    }

    pub(crate) fn table(mut self, name: &str, columns: &[(&str, &str)]) -> Self {
        let table = Table {
            columns: columns.iter().map(|(c, t)| Column::new(*c, *t)).collect(),
            ..Table::default()
        };
        self.0.tables.insert(q(name), table);
        self
    }

    pub(crate) fn edit_table(mut self, name: &str, edit: impl FnOnce(&mut Table)) -> Self {
        edit(
            self.0
                .tables
                .get_mut(&q(name))
                .expect("a table of the model"),
        );
        self
    }

    pub(crate) fn edit_column(
        self,
        table: &str,
        column: &str,
        edit: impl FnOnce(&mut Column),
    ) -> Self {
        self.edit_table(table, |t| {
            let c = t.columns.iter_mut().find(|c| c.name == column);
            edit(c.expect("a column of the table"))
        })
    }

    pub(crate) fn retype(self, table: &str, column: &str, data_type: &str) -> Self {
        self.edit_column(table, column, |c| c.data_type = data_type.into())
    }

    pub(crate) fn index(self, table: &str, name: &str, index: Index) -> Self {
        self.edit_table(table, |t| {
            t.indexes.insert(name.into(), index);
        })
    }

    pub(crate) fn constraint(self, table: &str, name: &str, constraint: Constraint) -> Self {
        self.edit_table(table, |t| {
            t.constraints.insert(name.into(), constraint);
        })
    }

    pub(crate) fn trigger(self, table: &str, name: &str, trigger: Trigger) -> Self {
        self.edit_table(table, |t| {
            t.triggers.insert(name.into(), trigger);
        })
    }

    pub(crate) fn view(mut self, name: &str, definition: &str, columns: &[(&str, &str)]) -> Self {
        let view = View {
            definition: Expr::new(definition),
            columns: view_columns(columns),
            options: StorageOptions::new(),
            comment: None,
            column_comments: BTreeMap::new(),
            owner: None,
            grants: Grants::new(),
            triggers: Default::default(),
        };
        self.0.views.insert(q(name), view);
        self
    }

    pub(crate) fn materialized_view(
        mut self,
        name: &str,
        definition: &str,
        columns: &[(&str, &str)],
    ) -> Self {
        let view = MaterializedView {
            definition: Expr::new(definition),
            columns: view_columns(columns),
            with_data: true,
            options: StorageOptions::new(),
            comment: None,
            column_comments: BTreeMap::new(),
            indexes: BTreeMap::new(),
        };
        self.0.materialized_views.insert(q(name), view);
        self
    }

    pub(crate) fn comment_materialized_view(mut self, name: &str, comment: &str) -> Self {
        let view = self.0.materialized_views.get_mut(&q(name));
        view.expect("a materialized view of the model").comment = Some(comment.into());
        self
    }

    /// A dependency PostgreSQL records in `pg_depend`: `from` reads `to`.
    pub(crate) fn reads(mut self, from: ObjKey, to: ObjKey) -> Self {
        self.0.deps.insert((from, to));
        self
    }

    pub(crate) fn enum_type(mut self, name: &str, values: &[&str]) -> Self {
        let values = values.iter().map(|v| v.to_string()).collect();
        self.0.enums.insert(
            q(name),
            EnumType {
                values,
                comment: None,
            },
        );
        self
    }

    pub(crate) fn domain(mut self, name: &str, domain: Domain) -> Self {
        self.0.domains.insert(q(name), domain);
        self
    }

    pub(crate) fn sequence(mut self, name: &str) -> Self {
        self.0.sequences.insert(q(name), Sequence::default());
        self
    }

    pub(crate) fn function(mut self, name: &str, args: &str, function: Function) -> Self {
        self.0.functions.insert(function_id(name, args), function);
        self
    }
    pub(crate) fn aggregate(mut self, name: &str, args: &str, aggregate: Aggregate) -> Self {
        self.0.aggregates.insert(function_id(name, args), aggregate);
        self
    }

    /// An ICU collation of `locale`, deterministic or not.
    pub(crate) fn collation(mut self, name: &str, locale: &str, deterministic: bool) -> Self {
        let def = Collation {
            provider: "icu".into(),
            locale: Some(locale.into()),
            lc_collate: None,
            lc_ctype: None,
            deterministic,
            from: None,
        };
        self.0.collations.insert(q(name), def);
        self
    }

    pub(crate) fn range_type(mut self, name: &str, subtype: &str) -> Self {
        let def = RangeType {
            subtype: subtype.into(),
            subtype_opclass: None,
            collation: None,
            canonical: None,
            subtype_diff: None,
            multirange_type_name: None,
        };
        self.0.range_types.insert(q(name), def);
        self
    }

    /// A dictionary `public.<name>` of `template` with `options`.
    pub(crate) fn dictionary(
        mut self,
        name: &str,
        template: &str,
        options: &[(&str, &str)],
    ) -> Self {
        let options = options
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let d = TsDictionary {
            template: template.into(),
            options,
            comment: None,
        };
        self.0.text_search_dictionaries.insert(q(name), d);
        self
    }

    /// A configuration `public.<name>` of `parser` mapping each token type to dictionaries.
    pub(crate) fn configuration(
        mut self,
        name: &str,
        parser: &str,
        mappings: &[(&str, &[&str])],
    ) -> Self {
        let mappings = mappings
            .iter()
            .map(|(t, ds)| (t.to_string(), ds.iter().map(|d| d.to_string()).collect()))
            .collect();
        let c = TsConfiguration {
            parser: parser.into(),
            mappings,
            comment: None,
        };
        self.0.text_search_configurations.insert(q(name), c);
        self
    }

    /// A publication of the tables of `public` named, with `publish` actions.
    pub(crate) fn publication(mut self, name: &str, tables: &[&str], publish: &[&str]) -> Self {
        let p = Publication {
            tables: tables
                .iter()
                .map(|t| (q(t), PublishedTable::default()))
                .collect(),
            publish: publish.iter().map(|a| a.to_string()).collect(),
            ..Publication::default()
        };
        self.0.publications.insert(name.to_string(), p);
        self
    }
}

/// The changes and warnings `diff` finds, sorted.
fn found(current: &Model, desired: &Model) -> Vec<String> {
    let out = diff(&current.0, &desired.0, &casts());
    let mut found: Vec<String> = out
        .changes
        .iter()
        .map(|c| format!("{} {}", c.kind(), c.object()))
        .chain(out.warnings.iter().map(|w| format!("warning {}", w.object)))
        .collect();
    found.sort();
    found
}

/// One row of a table: `None` when `diff` finds what is expected, else what went wrong.
fn check(name: &str, current: &Model, desired: &Model, expected: &[&str]) -> Option<String> {
    let mut expected: Vec<String> = expected.iter().map(|e| e.to_string()).collect();
    expected.sort();
    let found = found(current, desired);
    (found != expected).then(|| format!("{name}:\n  expected {expected:?}\n  found    {found:?}"))
}

pub(crate) type Row = (&'static str, Model, Model, &'static [&'static str]);

pub(crate) fn check_all(rows: Vec<Row>) {
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(name, current, desired, expected)| check(name, current, desired, expected))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `public.t (a integer, b integer)`.
pub(crate) fn base() -> Model {
    Model::default().table("t", &[("a", "integer"), ("b", "integer")])
}
