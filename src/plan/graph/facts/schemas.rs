//! Facts of schemas and extensions.

use crate::model::*;
use crate::plan::graph::keys::Facts;

pub(super) fn create_schema(name: &str) -> Facts {
    Facts {
        creates: vec![ObjKey::Schema(name.to_string())],
        ..Facts::default()
    }
}

pub(super) fn drop_schema(name: &str) -> Facts {
    Facts {
        drops: vec![ObjKey::Schema(name.to_string())],
        ..Facts::default()
    }
}

pub(super) fn create_extension(name: &str, ext: &Extension) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Extension(name.to_string()));
    f.needs_new.extend(ext.schema.clone().map(ObjKey::Schema));
    f
}

pub(super) fn alter_extension(name: &str, to: &Extension) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Extension(name.to_string()));
    f.needs_new.extend(to.schema.clone().map(ObjKey::Schema));
    f
}

pub(super) fn drop_extension(name: &str, ext: &Extension) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::Extension(name.to_string()));
    f.needs_old.extend(ext.schema.clone().map(ObjKey::Schema));
    f
}
