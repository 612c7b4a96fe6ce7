//! Facts of sequences.

use crate::model::*;
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

pub(super) fn create_sequence(name: &QualName, des: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Relation(name.clone()));
    f.needs_new.push(ObjKey::Schema(name.schema.clone()));
    f.needs_new
        .extend(des.recorded(&ObjKey::Relation(name.clone())));
    f
}

pub(super) fn drop_sequence(name: &QualName, cur: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::Relation(name.clone()));
    f.drops.push(ObjKey::SequenceOwner(name.clone()));
    f.needs_old.push(ObjKey::Schema(name.schema.clone()));
    f.needs_old
        .extend(cur.recorded(&ObjKey::Relation(name.clone())));
    f
}

pub(super) fn alter_sequence(name: &QualName) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(ObjKey::Relation(name.clone()));
    f
}

pub(super) fn set_sequence_owner(
    name: &QualName,
    from: Option<&ColumnRef>,
    to: Option<&ColumnRef>,
) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::SequenceOwner(name.clone()));
    f.needs_new.push(ObjKey::Relation(name.clone()));
    if let Some(o) = to {
        f.needs_new
            .push(ObjKey::Column(o.table.clone(), o.column.clone()));
    }
    // Moving the owner away from a column must happen before that column is dropped,
    // or the sequence would be dropped with it.
    if let Some(o) = from {
        f.needs_old
            .push(ObjKey::Column(o.table.clone(), o.column.clone()));
    }
    f
}
