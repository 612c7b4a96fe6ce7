//! Facts of text search dictionaries and configurations: a configuration needs the
//! dictionaries it maps (recorded in `pg_depend`; from YAML, by name), and what names a
//! configuration (views, indexes) needs it in turn.

use crate::model::*;
use crate::plan::change::Change;
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

/// The facts of a text search change (`facts` sends only these here).
pub(super) fn facts(change: &Change, cur: &Structure<'_>, des: &Structure<'_>) -> Facts {
    match change {
        Change::CreateTsDictionary { name, .. } => create_dictionary(name, des),
        Change::DropTsDictionary { name, .. } => drop_dictionary(name, cur),
        Change::AlterTsDictionary { name, .. } => alter_dictionary(name),
        Change::CreateTsConfiguration { name, def } => create_configuration(name, def, des),
        Change::DropTsConfiguration { name, def } => drop_configuration(name, def, cur),
        Change::AlterTsConfiguration { name, from, to } => {
            alter_configuration(name, from, to, cur, des)
        }
        other => unreachable!("{} has no text search facts", other.kind()),
    }
}

fn create_dictionary(name: &QualName, des: &Structure<'_>) -> Facts {
    let key = ObjKey::TsDictionary(name.clone());
    let mut f = Facts::default();
    f.needs_new.push(ObjKey::Schema(name.schema.clone()));
    f.needs_new.extend(des.recorded(&key));
    f.creates.push(key);
    f
}

fn drop_dictionary(name: &QualName, cur: &Structure<'_>) -> Facts {
    let key = ObjKey::TsDictionary(name.clone());
    let mut f = Facts::default();
    f.needs_old.push(ObjKey::Schema(name.schema.clone()));
    f.needs_old.extend(cur.recorded(&key));
    f.drops.push(key);
    f
}

/// New options change nothing of what uses the dictionary.
fn alter_dictionary(name: &QualName) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(ObjKey::TsDictionary(name.clone()));
    f
}

fn configuration_needs(name: &QualName, c: &TsConfiguration, model: &Structure<'_>) -> Vec<ObjKey> {
    let mut out = vec![ObjKey::Schema(name.schema.clone())];
    out.extend(model.recorded(&ObjKey::TsConfiguration(name.clone())));
    out.extend(model.dictionaries_mapped(name, c));
    out
}

fn create_configuration(name: &QualName, def: &TsConfiguration, des: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::TsConfiguration(name.clone()));
    f.needs_new = configuration_needs(name, def, des);
    f
}

fn drop_configuration(name: &QualName, def: &TsConfiguration, cur: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::TsConfiguration(name.clone()));
    f.needs_old = configuration_needs(name, def, cur);
    f
}

/// New mappings wait for the dictionaries they name; a dictionary that leaves the mappings is
/// dropped only after (its old mapping needs it).
fn alter_configuration(
    name: &QualName,
    from: &TsConfiguration,
    to: &TsConfiguration,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    Facts {
        needs_new: configuration_needs(name, to, des),
        needs_old: configuration_needs(name, from, cur),
        ..Facts::default()
    }
}
