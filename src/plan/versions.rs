//! What of a desired state needs a newer PostgreSQL than the target runs. Checked before the
//! shadow is asked for anything: a feature the target's version lacks would fail there with a
//! syntax error, or (planned on a newer shadow) half-way through the target; instead the plan is
//! refused, naming the object, the feature and the version it needs.

use crate::model::*;

/// One use of a feature by an object of the desired state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// The object as the desired state registers it (a table, a view, a function, …).
    pub object: ObjKey,
    /// Where within it, as segments of its path (`["columns", "email"]`); empty: the object.
    pub within: Vec<String>,
    /// What needs the version, in words.
    pub feature: String,
    /// The first major version that has it.
    pub since: u32,
}

/// The features of `catalog` the major version `major` lacks, in a fixed order (by object).
pub fn unsupported(catalog: &Catalog, major: u32) -> Vec<Requirement> {
    requirements(catalog)
        .into_iter()
        .filter(|r| r.since > major)
        .collect()
}

/// Every use of a feature newer than PostgreSQL 13 (the oldest version schemaplan supports).
pub fn requirements(catalog: &Catalog) -> Vec<Requirement> {
    let mut out = Vec::new();
    let mut need = |object: &ObjKey, within: &[&str], feature: String, since: u32| {
        out.push(Requirement {
            object: object.clone(),
            within: within.iter().map(|s| s.to_string()).collect(),
            feature,
            since,
        })
    };
    for (name, table) in &catalog.tables {
        let key = ObjKey::Relation(name.clone());
        for c in &table.columns {
            if let Some(method) = &c.settings.compression {
                let f = format!("column {}: compression {method}", c.name);
                need(&key, &["columns", &c.name], f, 14);
            }
        }
        for (sname, statistics) in &table.statistics {
            if !statistics.expressions.is_empty() {
                let f = format!("statistics {sname}: expressions");
                need(&key, &["statistics", sname], f, 14);
            }
        }
        for (iname, index) in &table.indexes {
            if index.nulls_not_distinct {
                let f = format!("index {iname}: NULLS NOT DISTINCT");
                need(&key, &["indexes", iname], f, 15);
            }
        }
        for (cname, con) in &table.constraints {
            let section = match &con.kind {
                ConstraintKind::PrimaryKey { .. } => "primary_key",
                ConstraintKind::Unique { .. } => "unique",
                ConstraintKind::Check { .. } => "checks",
                ConstraintKind::ForeignKey(_) => "foreign_keys",
                ConstraintKind::Exclude(_) => "exclude",
            };
            // The primary key is a table's one `primary_key`, not a mapping by name.
            let within: &[&str] = match &con.kind {
                ConstraintKind::PrimaryKey { .. } => &[section],
                _ => &[section, cname],
            };
            let label = con.kind.label();
            if con.kind.without_overlaps() {
                let f = format!("{label} {cname}: WITHOUT OVERLAPS (a temporal key)");
                need(&key, within, f, 18);
            }
            if matches!(&con.kind, ConstraintKind::ForeignKey(fk) if fk.period) {
                let f = format!("{label} {cname}: PERIOD (a temporal foreign key)");
                need(&key, within, f, 18);
            }
            if !con.enforced {
                let f = format!("{label} {cname}: NOT ENFORCED");
                need(&key, within, f, 18);
            }
            match &con.kind {
                ConstraintKind::Unique {
                    nulls_not_distinct: true,
                    ..
                } => need(
                    &key,
                    &["unique", cname],
                    format!("unique constraint {cname}: NULLS NOT DISTINCT"),
                    15,
                ),
                ConstraintKind::ForeignKey(fk) if !fk.on_delete_columns.is_empty() => need(
                    &key,
                    &["foreign_keys", cname],
                    format!(
                        "foreign key {cname}: ON DELETE {} with a column list",
                        fk.on_delete.sql()
                    ),
                    15,
                ),
                _ => {}
            }
        }
    }
    for (name, view) in &catalog.views {
        if view.options.contains_key("security_invoker") {
            let f = "the view option security_invoker".to_string();
            need(&ObjKey::Relation(name.clone()), &["options"], f, 15);
        }
    }
    for (name, sequence) in &catalog.sequences {
        if sequence.unlogged {
            let f = "an unlogged sequence".to_string();
            need(&ObjKey::Relation(name.clone()), &[], f, 15);
        }
    }
    for (id, function) in &catalog.functions {
        if function.sql_body {
            let f = "a SQL-standard body (BEGIN ATOMIC … END, RETURN …)".to_string();
            need(&ObjKey::Function(id.clone()), &[], f, 14);
        }
    }
    for (name, range) in &catalog.range_types {
        if range.multirange_type_name.is_some() {
            let f = "multirange_type_name (multirange types)".to_string();
            need(&ObjKey::Type(name.clone()), &[], f, 14);
        }
    }
    for (name, publication) in &catalog.publications {
        let key = ObjKey::Publication(name.clone());
        for (table, published) in &publication.tables {
            if !published.columns.is_empty() {
                let f = format!("the column list of {table}");
                need(&key, &["tables"], f, 15);
            }
            if published.filter.is_some() {
                let f = format!("the row filter of {table}");
                need(&key, &["tables"], f, 15);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog_with_index(nulls_not_distinct: bool) -> Catalog {
        let mut table = Table::default();
        table.indexes.insert(
            "users_email".into(),
            Index {
                unique: true,
                method: "btree".into(),
                keys: Vec::new(),
                include: Vec::new(),
                predicate: None,
                nulls_not_distinct,
                options: StorageOptions::new(),
                comment: None,
                valid: true,
            },
        );
        let mut catalog = Catalog::default();
        catalog
            .tables
            .insert(QualName::new("public", "users"), table);
        catalog
    }

    #[test]
    fn a_feature_is_refused_only_before_its_version() {
        let catalog = catalog_with_index(true);
        let on_14 = unsupported(&catalog, 14);
        assert_eq!(on_14.len(), 1);
        assert_eq!(on_14[0].since, 15);
        assert_eq!(on_14[0].within, vec!["indexes", "users_email"]);
        assert!(on_14[0].feature.contains("NULLS NOT DISTINCT"), "{on_14:?}");
        assert!(unsupported(&catalog, 15).is_empty());
        assert!(unsupported(&catalog_with_index(false), 13).is_empty());
    }

    #[test]
    fn temporal_keys_and_constraints_not_enforced_need_18() {
        let mut table = Table::default();
        let constraint = |kind, enforced| Constraint {
            kind,
            deferrable: false,
            initially_deferred: false,
            validated: true,
            enforced,
            comment: None,
        };
        let key = ConstraintKind::PrimaryKey {
            columns: vec!["id".into(), "valid_at".into()],
            include: Vec::new(),
            without_overlaps: true,
        };
        table
            .constraints
            .insert("r_pkey".into(), constraint(key, true));
        let check = ConstraintKind::Check {
            expression: Expr::new("id > 0"),
            no_inherit: false,
        };
        table
            .constraints
            .insert("r_id_check".into(), constraint(check, false));
        let mut catalog = Catalog::default();
        catalog.tables.insert(QualName::new("public", "r"), table);
        let on_17 = unsupported(&catalog, 17);
        let found: Vec<(&[String], u32)> = on_17
            .iter()
            .map(|r| (r.within.as_slice(), r.since))
            .collect();
        assert_eq!(
            found,
            vec![
                (&["checks".to_string(), "r_id_check".to_string()][..], 18),
                (&["primary_key".to_string()][..], 18),
            ]
        );
        assert!(unsupported(&catalog, 18).is_empty());
    }
}
