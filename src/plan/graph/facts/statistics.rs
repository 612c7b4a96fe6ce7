//! Facts of extended statistics and of per-column settings.

use crate::model::*;
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

/// The key of a statistics object (in its table's schema).
fn statistics_key(table: &QualName, name: &str) -> ObjKey {
    ObjKey::Statistics(QualName::new(table.schema.clone(), name.to_string()))
}

/// What statistics need: their table, their columns, and what their expressions read (as
/// PostgreSQL recorded it).
fn statistics_needs(
    table: &QualName,
    name: &str,
    stats: &Statistics,
    model: &Structure<'_>,
) -> Vec<ObjKey> {
    let mut out = model.recorded(&statistics_key(table, name));
    out.push(ObjKey::Relation(table.clone()));
    for c in &stats.columns {
        out.push(ObjKey::Column(table.clone(), c.clone()));
    }
    out
}

pub(super) fn create_statistics(
    table: &QualName,
    name: &str,
    stats: &Statistics,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.creates.push(statistics_key(table, name));
    f.needs_new = statistics_needs(table, name, stats, des);
    f
}

/// Dropped before the columns they read are dropped or retyped (PostgreSQL would drop them
/// along with a column, and rebuild them around a type change losing their target).
pub(super) fn drop_statistics(
    table: &QualName,
    name: &str,
    stats: &Statistics,
    cur: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.drops.push(statistics_key(table, name));
    f.needs_old = statistics_needs(table, name, stats, cur);
    f
}

pub(super) fn alter_statistics(table: &QualName, name: &str) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(statistics_key(table, name));
    f
}

/// A column's settings are set on the column as it is once created or retyped (a type change
/// resets its storage and compression).
pub(super) fn alter_column_settings(table: &QualName, column: &str) -> Facts {
    let mut f = Facts::default();
    f.needs_new
        .push(ObjKey::Column(table.clone(), column.to_string()));
    f
}
