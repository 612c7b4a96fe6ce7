//! The expressions of the desired state that the shadow database prints, in groups that one
//! probe creates together.

use crate::model::*;

/// A group of expressions that one probe creates together (an index has several).
pub(super) enum Unit {
    Check { table: QualName, name: String },
    Exclude { table: QualName, name: String },
    Default { table: QualName, column: String },
    Generated { table: QualName, column: String },
    Index { table: QualName, name: String },
    View { name: QualName },
    MaterializedView { name: QualName },
    DomainCheck { domain: QualName, name: String },
    DomainDefault { domain: QualName },
}

/// A stand-alone index of a table or a materialized view.
pub(super) fn index_of<'m>(
    model: &'m Catalog,
    relation: &QualName,
    name: &str,
) -> Option<&'m Index> {
    match model.tables.get(relation) {
        Some(t) => t.indexes.get(name),
        None => model.materialized_views.get(relation)?.indexes.get(name),
    }
}

/// The same index, to change it.
fn index_of_mut<'m>(
    model: &'m mut Catalog,
    relation: &QualName,
    name: &str,
) -> Option<&'m mut Index> {
    match model.tables.get_mut(relation) {
        Some(t) => t.indexes.get_mut(name),
        None => model
            .materialized_views
            .get_mut(relation)?
            .indexes
            .get_mut(name),
    }
}

impl Unit {
    /// The expressions of this unit in the model: (raw YAML text, printed form) pairs.
    pub(super) fn slots<'m>(&self, model: &'m Catalog) -> Option<Vec<&'m Expr>> {
        match self {
            Unit::Check { table, name } => {
                match &model.tables.get(table)?.constraints.get(name)?.kind {
                    ConstraintKind::Check { expression, .. } => Some(vec![expression]),
                    _ => None,
                }
            }
            Unit::Exclude { table, name } => {
                match &model.tables.get(table)?.constraints.get(name)?.kind {
                    ConstraintKind::Exclude(x) => Some(x.expressions().collect()),
                    _ => None,
                }
            }
            Unit::Default { table, column } => Some(vec![
                model.tables.get(table)?.column(column)?.default.as_ref()?,
            ]),
            Unit::Generated { table, column } => Some(vec![
                model
                    .tables
                    .get(table)?
                    .column(column)?
                    .generated
                    .as_ref()?,
            ]),
            Unit::Index { table, name } => {
                let index = index_of(model, table, name)?;
                let mut out: Vec<&Expr> = index
                    .keys
                    .iter()
                    .filter_map(|k| match &k.expr {
                        IndexExpr::Expression(e) => Some(e),
                        IndexExpr::Column(_) => None,
                    })
                    .collect();
                out.extend(index.predicate.as_ref());
                Some(out)
            }
            Unit::View { name } => Some(vec![&model.views.get(name)?.definition]),
            Unit::MaterializedView { name } => {
                Some(vec![&model.materialized_views.get(name)?.definition])
            }
            Unit::DomainCheck { domain, name } => Some(vec![
                &model.domains.get(domain)?.constraints.get(name)?.expression,
            ]),
            Unit::DomainDefault { domain } => {
                Some(vec![model.domains.get(domain)?.default.as_ref()?])
            }
        }
    }

    pub(super) fn slots_mut<'m>(&self, model: &'m mut Catalog) -> Vec<&'m mut Expr> {
        let mut out = Vec::new();
        match self {
            Unit::Check { table, name } => {
                if let Some(ConstraintKind::Check { expression, .. }) = model
                    .tables
                    .get_mut(table)
                    .and_then(|t| t.constraints.get_mut(name))
                    .map(|c| &mut c.kind)
                {
                    out.push(expression);
                }
            }
            Unit::Exclude { table, name } => {
                if let Some(ConstraintKind::Exclude(x)) = model
                    .tables
                    .get_mut(table)
                    .and_then(|t| t.constraints.get_mut(name))
                    .map(|c| &mut c.kind)
                {
                    out.extend(x.expressions_mut());
                }
            }
            Unit::Default { table, column } | Unit::Generated { table, column } => {
                let generated = matches!(self, Unit::Generated { .. });
                if let Some(c) = model
                    .tables
                    .get_mut(table)
                    .and_then(|t| t.columns.iter_mut().find(|c| c.name == *column))
                {
                    out.extend(if generated {
                        c.generated.as_mut()
                    } else {
                        c.default.as_mut()
                    });
                }
            }
            Unit::Index { table, name } => {
                if let Some(index) = index_of_mut(model, table, name) {
                    for k in index.keys.iter_mut() {
                        if let IndexExpr::Expression(e) = &mut k.expr {
                            out.push(e);
                        }
                    }
                    out.extend(index.predicate.as_mut());
                }
            }
            Unit::View { name } => {
                if let Some(v) = model.views.get_mut(name) {
                    out.push(&mut v.definition);
                }
            }
            Unit::MaterializedView { name } => {
                if let Some(v) = model.materialized_views.get_mut(name) {
                    out.push(&mut v.definition);
                }
            }
            Unit::DomainCheck { domain, name } => {
                if let Some(c) = model
                    .domains
                    .get_mut(domain)
                    .and_then(|d| d.constraints.get_mut(name))
                {
                    out.push(&mut c.expression);
                }
            }
            Unit::DomainDefault { domain } => {
                if let Some(d) = model.domains.get_mut(domain) {
                    out.extend(d.default.as_mut());
                }
            }
        }
        out
    }
}

/// Every unit of the normalised model whose YAML text is not already PostgreSQL's printed form.
pub(super) fn units(raw: &Catalog, normalized: &Catalog) -> Vec<Unit> {
    let mut out = Vec::new();
    for (tname, table) in &normalized.tables {
        for c in &table.columns {
            if c.default.is_some() {
                out.push(Unit::Default {
                    table: tname.clone(),
                    column: c.name.clone(),
                });
            }
            if c.generated.is_some() {
                out.push(Unit::Generated {
                    table: tname.clone(),
                    column: c.name.clone(),
                });
            }
        }
        for (name, con) in &table.constraints {
            match con.kind {
                ConstraintKind::Check { .. } => out.push(Unit::Check {
                    table: tname.clone(),
                    name: name.clone(),
                }),
                ConstraintKind::Exclude(_) => out.push(Unit::Exclude {
                    table: tname.clone(),
                    name: name.clone(),
                }),
                _ => {}
            }
        }
        for name in table.indexes.keys() {
            out.push(Unit::Index {
                table: tname.clone(),
                name: name.clone(),
            });
        }
    }
    for name in normalized.views.keys() {
        out.push(Unit::View { name: name.clone() });
    }
    for (name, view) in &normalized.materialized_views {
        out.push(Unit::MaterializedView { name: name.clone() });
        for index in view.indexes.keys() {
            out.push(Unit::Index {
                table: name.clone(),
                name: index.clone(),
            });
        }
    }
    for (name, d) in &normalized.domains {
        if d.default.is_some() {
            out.push(Unit::DomainDefault {
                domain: name.clone(),
            });
        }
        for cname in d.constraints.keys() {
            out.push(Unit::DomainCheck {
                domain: name.clone(),
                name: cname.clone(),
            });
        }
    }
    out.retain(|u| {
        let (Some(r), Some(n)) = (u.slots(raw), u.slots(normalized)) else {
            return false;
        };
        r.len() == n.len() && !n.is_empty() && r.iter().zip(&n).any(|(r, n)| r.text != n.text)
    });
    out
}

/// The object a unit belongs to, as warnings name it.
pub(super) fn unit_object(unit: &Unit) -> String {
    match unit {
        Unit::Check { table, name }
        | Unit::Exclude { table, name }
        | Unit::Index { table, name } => format!("{table}.{name}"),
        Unit::Default { table, column } | Unit::Generated { table, column } => {
            format!("{table}.{column}")
        }
        Unit::View { name } | Unit::MaterializedView { name } => name.to_string(),
        Unit::DomainCheck { domain, name } => format!("{domain}.{name}"),
        Unit::DomainDefault { domain } => domain.to_string(),
    }
}
