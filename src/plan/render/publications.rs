//! Publications: `CREATE | ALTER | DROP PUBLICATION`. Row filters are expressions as the model
//! holds them (printed by PostgreSQL, or as the YAML wrote them, checked by `yaml::sqlcheck`).

use super::comments::comment_if;
use crate::model::quote::{ident, literal, qualified};
use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

/// The statements of publication changes (`render::statements` sends only these here).
pub(super) fn statements(change: &Change) -> Vec<String> {
    match change {
        Change::CreatePublication { name, def } => create_publication(name, def),
        Change::DropPublication { name, .. } => {
            vec![format!("DROP PUBLICATION {}", ident(name))]
        }
        Change::AlterPublication { name, from, to } => alter_publication(name, from, to),
        other => unreachable!("{} is not rendered here", other.kind()),
    }
}

/// `TABLE ONLY s.a (c1, c2) WHERE (…), TABLE ONLY s.b`: each table alone, as the catalog lists
/// them (without `ONLY`, a table's inheritance children would join too; a partitioned table's
/// partitions are published through it either way).
fn table_list(def: &Publication) -> String {
    def.tables
        .iter()
        .map(|(t, p)| {
            let mut out = format!("TABLE ONLY {}", qualified(t));
            if !p.columns.is_empty() {
                let columns: Vec<String> = p.columns.iter().map(|c| ident(c)).collect();
                out.push_str(&format!(" ({})", columns.join(", ")));
            }
            if let Some(filter) = &p.filter {
                out.push_str(&format!(" WHERE ({})", filter.sql()));
            }
            out
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `publish = '…', publish_via_partition_root = …`: both when `all`, else those that differ
/// from PostgreSQL's defaults.
fn options(def: &Publication, all: bool) -> Vec<String> {
    let default = Publication::default();
    let mut out = Vec::new();
    if all || def.publish != default.publish {
        out.push(format!("publish = {}", literal(&def.publish.join(", "))));
    }
    if all || def.via_partition_root {
        out.push(format!(
            "publish_via_partition_root = {}",
            def.via_partition_root
        ));
    }
    out
}

fn create_publication(name: &str, def: &Publication) -> Vec<String> {
    let mut sql = format!("CREATE PUBLICATION {} FOR {}", ident(name), table_list(def));
    let options = options(def, false);
    if !options.is_empty() {
        sql.push_str(&format!(" WITH ({})", options.join(", ")));
    }
    let mut out = vec![sql];
    comment_if(
        &mut out,
        &CommentTarget::Publication(name.to_string()),
        &def.comment,
    );
    out
}

fn alter_publication(name: &str, from: &Publication, to: &Publication) -> Vec<String> {
    let mut out = Vec::new();
    if from.tables != to.tables {
        out.push(format!(
            "ALTER PUBLICATION {} SET {}",
            ident(name),
            table_list(to)
        ));
    }
    if from.publish != to.publish || from.via_partition_root != to.via_partition_root {
        out.push(format!(
            "ALTER PUBLICATION {} SET ({})",
            ident(name),
            options(to, true).join(", ")
        ));
    }
    out
}
