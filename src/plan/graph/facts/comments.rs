//! Facts of comments: a comment needs the object it is on.

use crate::model::*;
use crate::plan::change::CommentTarget;
use crate::plan::graph::keys::Facts;

pub(super) fn set_comment(target: &CommentTarget) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(comment_key(target));
    f
}

fn comment_key(target: &CommentTarget) -> ObjKey {
    match target {
        CommentTarget::Schema(s) => ObjKey::Schema(s.clone()),
        CommentTarget::Enum(q) => ObjKey::Type(q.clone()),
        CommentTarget::Sequence(q)
        | CommentTarget::Table(q)
        | CommentTarget::View(q)
        | CommentTarget::Index(q)
        | CommentTarget::MaterializedView(q) => ObjKey::Relation(q.clone()),
        CommentTarget::Column(q, c) => ObjKey::Column(q.clone(), c.clone()),
        CommentTarget::Constraint(q, c) => ObjKey::Constraint(q.clone(), c.clone()),
        CommentTarget::Function(id) => ObjKey::Function(id.clone()),
        CommentTarget::Trigger(q, t) => ObjKey::Trigger(q.clone(), t.clone()),
        CommentTarget::Domain(q) | CommentTarget::CompositeType(q) => ObjKey::Type(q.clone()),
        // A domain's constraints are keyed by the domain as a table's are by the table (types
        // and tables share one namespace, so the keys cannot meet).
        CommentTarget::DomainConstraint(q, c) => ObjKey::Constraint(q.clone(), c.clone()),
        CommentTarget::Attribute(q, a) => ObjKey::Column(q.clone(), a.clone()),
        CommentTarget::Policy(q, p) => ObjKey::Policy(q.clone(), p.clone()),
        CommentTarget::Statistics(q) => ObjKey::Statistics(q.clone()),
        CommentTarget::TsDictionary(q) => ObjKey::TsDictionary(q.clone()),
        CommentTarget::TsConfiguration(q) => ObjKey::TsConfiguration(q.clone()),
        CommentTarget::Publication(p) => ObjKey::Publication(p.clone()),
    }
}
