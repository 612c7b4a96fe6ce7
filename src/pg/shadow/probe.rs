//! Probes: a unit's expressions created for a moment (in a transaction that is rolled back)
//! from candidate texts, to read back how PostgreSQL prints them.

use super::unit::{Unit, index_of};
use crate::model::quote::{literal, qualified};
use crate::model::*;
use crate::pg::introspect;
use crate::plan::change::Change;
use crate::plan::render;

const PROBE: &str = "schemaplan_probe";

/// Creates a throwaway object from candidate texts (inside a transaction that is rolled back)
/// and returns how PostgreSQL prints them, or `None` if PostgreSQL rejects them.
fn probe(
    client: &mut postgres::Client,
    setup: &[String],
    query: &str,
) -> Option<Vec<Option<String>>> {
    let sql = format!(
        "BEGIN; {}; {}; {query}; ROLLBACK",
        introspect::PRINTING_SETTINGS,
        setup.join("; ")
    );
    match client.simple_query(&sql) {
        Ok(messages) => messages.into_iter().find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).map(String::from))
                    .collect(),
            ),
            _ => None,
        }),
        Err(_) => {
            let _ = client.batch_execute("ROLLBACK");
            None
        }
    }
}

/// Statements that create the throwaway object, and the query that reads back how PostgreSQL
/// prints its expressions.
type Probe = (Vec<String>, String);

/// `e` with `text` as the SQL that creates it: the candidate being tried.
fn with(e: &Expr, text: &str) -> Expr {
    Expr {
        text: e.text.clone(),
        source: Some(text.to_string()),
        volatile: e.volatile,
    }
}

/// `name` as a SQL string literal of its qualified name, for a `regclass` or `regtype` cast.
fn qualified_literal(name: &QualName) -> String {
    literal(&qualified(name))
}

impl Unit {
    /// Creates the unit from `texts` on the shadow and reads back the printed forms.
    pub(super) fn probe(
        &self,
        client: &mut postgres::Client,
        model: &Catalog,
        texts: &[String],
    ) -> Option<Vec<String>> {
        let (setup, query) = match self {
            Unit::Check { table, name } => check(model, table, name, texts)?,
            Unit::Exclude { table, name } => exclusion(model, table, name, texts)?,
            Unit::Default { table, column } => default(model, table, column, texts)?,
            Unit::Generated { table, column } => generated(model, table, column, texts)?,
            Unit::Index { table, name } => index(model, table, name, texts)?,
            Unit::View { name } => view(model, name, texts)?,
            // Created empty: only the printed query is wanted.
            Unit::MaterializedView { name } => materialized_view(model, name, texts)?,
            // A domain over the same base type, with only the expression being tried.
            Unit::DomainCheck { domain, name } => domain_probe(model, domain, Some(name), texts)?,
            Unit::DomainDefault { domain } => domain_probe(model, domain, None, texts)?,
        };
        let row = probe(client, &setup, &query)?;
        let printed: Option<Vec<String>> = row.into_iter().collect();
        let printed = printed?;
        Some(match self {
            Unit::View { .. } | Unit::MaterializedView { .. } => printed
                .iter()
                .map(|t| introspect::clean_view_definition(t))
                .collect(),
            _ => printed,
        })
    }
}

/// A check constraint, added to its table under the probe's name.
fn check(model: &Catalog, table: &QualName, name: &str, texts: &[String]) -> Option<Probe> {
    let con = model.tables.get(table)?.constraints.get(name)?;
    let ConstraintKind::Check {
        expression,
        no_inherit,
    } = &con.kind
    else {
        return None;
    };
    let change = Change::AddConstraint {
        table: table.clone(),
        name: PROBE.into(),
        constraint: Constraint {
            kind: ConstraintKind::Check {
                expression: with(expression, &texts[0]),
                no_inherit: *no_inherit,
            },
            deferrable: false,
            initially_deferred: false,
            validated: false,
            enforced: true,
            only: false,
            comment: None,
        },
    };
    Some((
        render::statements(&change),
        format!(
            "SELECT pg_catalog.pg_get_expr(conbin, conrelid) FROM pg_catalog.pg_constraint \
             WHERE conrelid = {}::pg_catalog.regclass AND conname = '{PROBE}'",
            qualified_literal(table)
        ),
    ))
}

/// An exclusion constraint: its expression elements and predicate, read back from its index.
fn exclusion(model: &Catalog, table: &QualName, name: &str, texts: &[String]) -> Option<Probe> {
    let con = model.tables.get(table)?.constraints.get(name)?;
    let ConstraintKind::Exclude(x) = &con.kind else {
        return None;
    };
    let mut x = x.clone();
    let mut reads = Vec::new();
    let mut slot = 0;
    for (k, element) in x.elements.iter_mut().enumerate() {
        if let IndexExpr::Expression(e) = &mut element.key.expr {
            *e = with(e, &texts[slot]);
            slot += 1;
            reads.push(format!(
                "pg_catalog.pg_get_indexdef(i.indexrelid, {}, false)",
                k + 1
            ));
        }
    }
    if let Some(p) = &x.predicate {
        x.predicate = Some(with(p, &texts[slot]));
        reads.push("pg_catalog.pg_get_expr(i.indpred, i.indrelid)".into());
    }
    let change = Change::AddConstraint {
        table: table.clone(),
        name: PROBE.into(),
        constraint: Constraint {
            kind: ConstraintKind::Exclude(x),
            deferrable: false,
            initially_deferred: false,
            validated: true,
            enforced: true,
            only: false,
            comment: None,
        },
    };
    Some((
        render::statements(&change),
        format!(
            "SELECT {} FROM pg_catalog.pg_constraint co \
             JOIN pg_catalog.pg_index i ON i.indexrelid = co.conindid \
             WHERE co.conrelid = {}::pg_catalog.regclass AND co.conname = '{PROBE}'",
            reads.join(", "),
            qualified_literal(table)
        ),
    ))
}

/// A column default, set on the column itself.
fn default(model: &Catalog, table: &QualName, column: &str, texts: &[String]) -> Option<Probe> {
    let col = model.tables.get(table)?.column(column)?;
    let mut from = col.clone();
    from.default = None;
    let mut to = col.clone();
    to.default = Some(with(col.default.as_ref()?, &texts[0]));
    let change = Change::AlterColumn {
        table: table.clone(),
        from,
        to,
        using: crate::plan::change::Using::Implicit,
        using_reverse: crate::plan::change::Using::Implicit,
        renumber: None,
        renumber_reverse: None,
    };
    Some((
        render::statements(&change),
        column_default_query(table, column),
    ))
}

/// A generated column's expression, on a new column of the same type and collation under the
/// probe's name.
fn generated(model: &Catalog, table: &QualName, column: &str, texts: &[String]) -> Option<Probe> {
    let col = model.tables.get(table)?.column(column)?;
    let mut probe_col = Column::new(PROBE, col.data_type.clone());
    probe_col.collation = col.collation.clone();
    probe_col.generated = Some(with(col.generated.as_ref()?, &texts[0]));
    // Virtual columns take fewer expressions (built-in functions and types only).
    probe_col.generated_kind = col.generated_kind;
    let change = Change::AddColumn {
        table: table.clone(),
        column: probe_col,
        not_null_name: None,
    };
    Some((
        render::statements(&change),
        column_default_query(table, PROBE),
    ))
}

/// Reads back the default or generation expression of `column` of `table`.
fn column_default_query(table: &QualName, column: &str) -> String {
    format!(
        "SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
         WHERE d.adrelid = {}::pg_catalog.regclass AND a.attname = {}",
        qualified_literal(table),
        literal(column)
    )
}

/// An index: its expression keys and predicate.
fn index(model: &Catalog, table: &QualName, name: &str, texts: &[String]) -> Option<Probe> {
    let mut index = index_of(model, table, name)?.clone();
    index.comment = None;
    let mut reads = Vec::new();
    let mut slot = 0;
    for (k, key) in index.keys.iter_mut().enumerate() {
        if let IndexExpr::Expression(e) = &mut key.expr {
            *e = with(e, &texts[slot]);
            slot += 1;
            reads.push(format!(
                "pg_catalog.pg_get_indexdef(i.indexrelid, {}, false)",
                k + 1
            ));
        }
    }
    if let Some(p) = &index.predicate {
        index.predicate = Some(with(p, &texts[slot]));
        reads.push("pg_catalog.pg_get_expr(i.indpred, i.indrelid)".into());
    }
    let probe_name = QualName::new(table.schema.clone(), PROBE);
    Some((
        render::statements(&Change::CreateIndex {
            table: table.clone(),
            name: PROBE.into(),
            index,
            concurrently: false,
            replaces: None,
        }),
        format!(
            "SELECT {} FROM pg_catalog.pg_index i WHERE i.indexrelid = {}::pg_catalog.regclass",
            reads.join(", "),
            qualified_literal(&probe_name)
        ),
    ))
}

/// A view's query.
fn view(model: &Catalog, name: &QualName, texts: &[String]) -> Option<Probe> {
    let view = model.views.get(name)?;
    let probe_name = QualName::new(name.schema.clone(), PROBE);
    Some((
        render::statements(&Change::CreateView {
            name: probe_name.clone(),
            view: View {
                definition: with(&view.definition, &texts[0]),
                columns: Vec::new(),
                options: view.options.clone(),
                comment: None,
                column_comments: Default::default(),
                owner: None,
                grants: Default::default(),
                triggers: Default::default(),
            },
        }),
        viewdef_query(&probe_name),
    ))
}

/// A materialized view's query, created empty: only the printed query is wanted.
fn materialized_view(model: &Catalog, name: &QualName, texts: &[String]) -> Option<Probe> {
    let view = model.materialized_views.get(name)?;
    let probe_name = QualName::new(name.schema.clone(), PROBE);
    Some((
        render::statements(&Change::CreateMaterializedView {
            name: probe_name.clone(),
            view: MaterializedView {
                definition: with(&view.definition, &texts[0]),
                columns: Vec::new(),
                with_data: false,
                options: Default::default(),
                comment: None,
                column_comments: Default::default(),
                indexes: Default::default(),
            },
        }),
        viewdef_query(&probe_name),
    ))
}

/// Reads back the query of the view or materialized view `name`.
fn viewdef_query(name: &QualName) -> String {
    format!(
        "SELECT pg_catalog.pg_get_viewdef({}::pg_catalog.regclass)",
        qualified_literal(name)
    )
}

/// A domain over the same base type, with only the expression being tried: the check
/// constraint `check` names, or else the default.
fn domain_probe(
    model: &Catalog,
    domain: &QualName,
    check: Option<&String>,
    texts: &[String],
) -> Option<Probe> {
    let d = model.domains.get(domain)?;
    let probe_name = QualName::new(domain.schema.clone(), PROBE);
    let mut def = Domain {
        not_null: false,
        default: None,
        constraints: Default::default(),
        comment: None,
        ..d.clone()
    };
    let read = match check {
        Some(name) => {
            let c = d.constraints.get(name)?;
            def.constraints.insert(
                PROBE.into(),
                DomainConstraint {
                    expression: with(&c.expression, &texts[0]),
                    validated: true,
                    comment: None,
                },
            );
            "pg_catalog.pg_get_expr(c.conbin, 0)"
        }
        None => {
            def.default = Some(with(d.default.as_ref()?, &texts[0]));
            "pg_catalog.pg_get_expr(t.typdefaultbin, 0)"
        }
    };
    Some((
        render::statements(&Change::CreateDomain {
            name: probe_name.clone(),
            def,
        }),
        format!(
            "SELECT {read} FROM pg_catalog.pg_type t \
             LEFT JOIN pg_catalog.pg_constraint c ON c.contypid = t.oid \
             WHERE t.oid = {}::pg_catalog.regtype",
            qualified_literal(&probe_name)
        ),
    ))
}
