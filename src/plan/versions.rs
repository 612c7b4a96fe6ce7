//! What of a desired state needs a newer PostgreSQL than the target runs. Checked before the
//! shadow is asked for anything: a feature the target's version lacks would fail there with a
//! syntax error, or (planned on a newer shadow) half-way through the target; instead the plan is
//! refused, naming the object, the feature and the version it needs.

use crate::model::*;

/// What of the desired state a requirement is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// An object as the desired state registers it (a table, a view, a function, …).
    Object(ObjKey),
    /// An entry of `default_privileges` (not an object of the graph).
    DefaultPrivileges(DefaultPrivilegeKey),
}

/// One use of a feature by an object of the desired state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub object: Subject,
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
    let mut need_of = |object: Subject, within: &[&str], feature: String, since: u32| {
        out.push(Requirement {
            object,
            within: within.iter().map(|s| s.to_string()).collect(),
            feature,
            since,
        })
    };
    let mut need = |object: &ObjKey, within: &[&str], feature: String, since: u32| {
        need_of(Subject::Object(object.clone()), within, feature, since)
    };
    for (name, table) in &catalog.tables {
        let key = ObjKey::Relation(name.clone());
        for (grantee, p) in newer_privileges(&table.grants, Privilege::TABLE) {
            need(
                &key,
                &["grants", grantee],
                privilege_feature(grantee, p),
                p.since(),
            );
        }
        for c in &table.columns {
            if c.is_virtual() {
                let f = format!("column {}: a virtual generated column", c.name);
                need(&key, &["columns", &c.name, "generated"], f, 18);
            }
            if let Some(method) = &c.settings.compression {
                let f = format!("column {}: compression {method}", c.name);
                need(&key, &["columns", &c.name], f, 14);
            }
        }
        // NOT NULL constraints are constraints of their own from 18 on; their names are
        // only names an older version drops, but NOT VALID and NO INHERIT would be lost.
        for (key_name, set, what) in [
            ("not_null_not_valid", &table.not_null_not_valid, "NOT VALID"),
            (
                "not_null_no_inherit",
                &table.not_null_no_inherit,
                "NO INHERIT",
            ),
        ] {
            for column in set {
                let f = format!("column {column}: NOT NULL {what}");
                need(&key, &[key_name], f, 18);
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
        let key = ObjKey::Relation(name.clone());
        for (grantee, p) in newer_privileges(&view.grants, Privilege::TABLE) {
            need(
                &key,
                &["grants", grantee],
                privilege_feature(grantee, p),
                p.since(),
            );
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
    for (key, grants) in &catalog.default_privileges {
        for (grantee, p) in newer_privileges(grants, key.on.privileges()) {
            let subject = Subject::DefaultPrivileges(key.clone());
            need_of(
                subject,
                &["grants", grantee],
                privilege_feature(grantee, p),
                p.since(),
            );
        }
    }
    out
}

/// Privileges granted by name that are newer than PostgreSQL 13. A grant of every privilege of
/// the kind is `all` (or as good as), which means the target's own full set: it needs nothing.
fn newer_privileges<'a>(
    grants: &'a Grants,
    kind: &[Privilege],
) -> impl Iterator<Item = (&'a String, Privilege)> {
    grants
        .iter()
        .filter(move |(_, held)| !Privilege::is_all_of(held, kind))
        .flat_map(|(grantee, held)| {
            held.keys()
                .filter(|p| p.since() > 13)
                .map(move |p| (grantee, *p))
        })
}

fn privilege_feature(grantee: &str, p: Privilege) -> String {
    format!("the {} privilege (granted to {grantee})", p.sql())
}

/// Whether `catalog` grants nothing the server of `major` lacks, so that [`fit`] would leave it
/// as it is.
pub fn fits(catalog: &Catalog, major: u32) -> bool {
    let fits = |grants: &Grants| {
        grants
            .values()
            .flat_map(|held| held.keys())
            .all(|p| p.since() <= major)
    };
    catalog.tables.values().all(|t| fits(&t.grants))
        && catalog.views.values().all(|v| fits(&v.grants))
        && catalog.default_privileges.values().all(fits)
}

/// The desired state as a target of major version `major` can hold it: a grant of every
/// privilege (`all`) loses those the version lacks (MAINTAIN before 17), as PostgreSQL's own
/// `ALL` of that version would. Named uses of them were refused by [`unsupported`] before.
pub fn fit(catalog: &mut Catalog, major: u32) {
    let fit_grants = |grants: &mut Grants| {
        for held in grants.values_mut() {
            held.retain(|p, _| p.since() <= major);
        }
    };
    for table in catalog.tables.values_mut() {
        fit_grants(&mut table.grants);
    }
    for view in catalog.views.values_mut() {
        fit_grants(&mut view.grants);
    }
    for grants in catalog.default_privileges.values_mut() {
        fit_grants(grants);
    }
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
    fn a_virtual_generated_column_needs_18() {
        let mut column = Column::new("c", "integer");
        column.generated = Some(Expr::new("a * 2"));
        let mut table = Table::default();
        table.columns.push(column.clone());
        let mut catalog = Catalog::default();
        catalog.tables.insert(QualName::new("public", "t"), table);
        assert!(
            unsupported(&catalog, 13).is_empty(),
            "stored: no requirement"
        );
        column.generated_kind = GeneratedKind::Virtual;
        catalog.tables.values_mut().next().unwrap().columns[0] = column;
        let on_17 = unsupported(&catalog, 17);
        assert_eq!(on_17.len(), 1, "{on_17:?}");
        assert_eq!(on_17[0].within, vec!["columns", "c", "generated"]);
        assert!(unsupported(&catalog, 18).is_empty());
    }

    fn catalog_with_grant(privileges: &[Privilege]) -> Catalog {
        let mut table = Table::default();
        let held: Privileges = privileges.iter().map(|p| (*p, false)).collect();
        table.grants.insert("reader".into(), held);
        let mut catalog = Catalog::default();
        catalog.tables.insert(QualName::new("public", "t"), table);
        catalog
    }

    #[test]
    fn maintain_by_name_needs_17_and_all_fits_the_version() {
        let named = catalog_with_grant(&[Privilege::Select, Privilege::Maintain]);
        let on_16 = unsupported(&named, 16);
        assert_eq!(on_16.len(), 1, "{on_16:?}");
        assert_eq!(on_16[0].since, 17);
        assert_eq!(on_16[0].within, vec!["grants", "reader"]);
        assert!(unsupported(&named, 17).is_empty());

        let mut all = catalog_with_grant(Privilege::TABLE);
        assert!(unsupported(&all, 13).is_empty());
        assert!(fits(&all, 17));
        assert!(!fits(&all, 16));
        fit(&mut all, 17);
        assert_eq!(
            all.tables.values().next().unwrap().grants["reader"].len(),
            8
        );
        fit(&mut all, 16);
        let held = &all.tables.values().next().unwrap().grants["reader"];
        assert_eq!(held.len(), 7);
        assert!(!held.contains_key(&Privilege::Maintain));
        assert!(fits(&all, 16));
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
            only: false,
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
