//! Locks of `COMMENT ON`: by the kind of object commented.

use crate::plan::change::CommentTarget;
use crate::plan::classify::lock_mode::LockMode::*;

use super::lock_set::LockSet;

pub(super) fn set_comment(set: &mut LockSet, target: &CommentTarget) {
    match target {
        CommentTarget::Table(q)
        | CommentTarget::View(q)
        | CommentTarget::Sequence(q)
        | CommentTarget::MaterializedView(q)
        | CommentTarget::Column(q, _) => set.lock(q, ShareUpdateExclusive),
        CommentTarget::Constraint(q, _)
        | CommentTarget::Trigger(q, _)
        | CommentTarget::Policy(q, _) => set.lock(q, AccessShare),
        CommentTarget::Index(_)
        | CommentTarget::Schema(_)
        | CommentTarget::Enum(_)
        | CommentTarget::Function(_) => {}
        CommentTarget::Attribute(q, _) => set.lock_known(q, ShareUpdateExclusive),
        CommentTarget::Domain(_)
        | CommentTarget::DomainConstraint(..)
        | CommentTarget::CompositeType(_)
        | CommentTarget::Statistics(_)
        | CommentTarget::TsDictionary(_)
        | CommentTarget::TsConfiguration(_)
        | CommentTarget::Publication(_) => {}
    }
}
