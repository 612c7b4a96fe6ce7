//! Facts of publications: they need the tables and columns they name, which go only after them.

use crate::model::*;
use crate::plan::change::Change;
use crate::plan::graph::keys::Facts;

/// The facts of a publication change (`facts` sends only these here).
pub(super) fn facts(change: &Change) -> Facts {
    match change {
        Change::CreatePublication { name, def } => create_publication(name, def),
        Change::DropPublication { name, def } => drop_publication(name, def),
        Change::AlterPublication { from, to, .. } => alter_publication(from, to),
        other => unreachable!("{} has no publication facts", other.kind()),
    }
}

/// The tables a publication names and the columns of its column lists.
fn published(def: &Publication) -> Vec<ObjKey> {
    let mut out = Vec::new();
    for (t, p) in &def.tables {
        out.push(ObjKey::Relation(t.clone()));
        out.extend(
            p.columns
                .iter()
                .map(|c| ObjKey::Column(t.clone(), c.clone())),
        );
    }
    out
}

fn create_publication(name: &str, def: &Publication) -> Facts {
    Facts {
        creates: vec![ObjKey::Publication(name.to_string())],
        needs_new: published(def),
        ..Facts::default()
    }
}

fn drop_publication(name: &str, def: &Publication) -> Facts {
    Facts {
        drops: vec![ObjKey::Publication(name.to_string())],
        needs_old: published(def),
        ..Facts::default()
    }
}

fn alter_publication(from: &Publication, to: &Publication) -> Facts {
    Facts {
        needs_new: published(to),
        needs_old: published(from),
        ..Facts::default()
    }
}
