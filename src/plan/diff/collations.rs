//! Collations and range types: created, dropped, and — since PostgreSQL alters neither beyond
//! its name and owner — dropped and created again when their definition changes, as long as
//! nothing uses them. One in use keeps its definition, with a warning: rebuilding every column,
//! index and type over it is not planned.

use crate::model::*;
use crate::plan::change::Change;

use super::state::Differ;
use super::type_use::type_in_use;

/// Whether anything in `catalog` uses the collation `name`: columns, domains, composite type
/// attributes, range types and index keys that name it, or what `pg_depend` records (views,
/// expressions).
fn collation_in_use(catalog: &Catalog, name: &QualName) -> bool {
    let key = ObjKey::Collation(name.clone());
    let names = |schema: &str, r: Option<&ObjRef>| {
        r.and_then(|r| catalog.collation_of(schema, r)).as_ref() == Some(name)
    };
    let in_tables = catalog.tables.iter().any(|(t, table)| {
        table
            .columns
            .iter()
            .any(|c| names(&t.schema, c.collation.as_ref()))
            || table
                .indexes
                .values()
                .flat_map(|i| &i.keys)
                .any(|k| names(&t.schema, k.collation.as_ref()))
    });
    let in_types = catalog
        .domains
        .iter()
        .any(|(q, d)| names(&q.schema, d.collation.as_ref()))
        || catalog.composite_types.iter().any(|(q, c)| {
            c.attributes
                .iter()
                .any(|a| names(&q.schema, a.collation.as_ref()))
        })
        || catalog
            .range_types
            .iter()
            .any(|(q, r)| names(&q.schema, r.collation.as_ref()));
    in_tables || in_types || catalog.deps.iter().any(|(_, to)| *to == key)
}

impl Differ<'_> {
    pub(super) fn collations(&mut self) {
        for (name, new) in &self.des.collations {
            let Some(old) = self.cur.collations.get(name) else {
                self.push(Change::CreateCollation {
                    name: name.clone(),
                    def: new.clone(),
                });
                continue;
            };
            if old == new {
                continue;
            }
            if collation_in_use(self.cur, name) {
                self.warn(
                    name,
                    "the collation's definition changes, but columns, indexes or types use it: PostgreSQL cannot alter a collation, and rebuilding what uses it is not planned, so it keeps its definition (drop what uses it first, or create a collation of another name)",
                );
                continue;
            }
            self.push(Change::DropCollation {
                name: name.clone(),
                def: old.clone(),
            });
            self.push(Change::CreateCollation {
                name: name.clone(),
                def: new.clone(),
            });
        }
        for (name, old) in &self.cur.collations {
            if !self.des.collations.contains_key(name) {
                self.push(Change::DropCollation {
                    name: name.clone(),
                    def: old.clone(),
                });
            }
        }
    }

    pub(super) fn range_types(&mut self) {
        for (name, new) in &self.des.range_types {
            let Some(old) = self.cur.range_types.get(name) else {
                self.push(Change::CreateRangeType {
                    name: name.clone(),
                    def: new.clone(),
                });
                continue;
            };
            if old == new {
                continue;
            }
            if type_in_use(self.cur, name) || type_in_use(self.cur, &old.multirange(name)) {
                self.warn(
                    name,
                    "the range type's definition changes, but columns, types or views use it: PostgreSQL cannot alter a range type, and rebuilding what uses it is not planned, so it keeps its definition (drop what uses it first, or create a range type of another name)",
                );
                continue;
            }
            self.push(Change::DropRangeType {
                name: name.clone(),
                def: old.clone(),
            });
            self.push(Change::CreateRangeType {
                name: name.clone(),
                def: new.clone(),
            });
        }
        for (name, old) in &self.cur.range_types {
            if !self.des.range_types.contains_key(name) {
                self.push(Change::DropRangeType {
                    name: name.clone(),
                    def: old.clone(),
                });
            }
        }
    }
}
