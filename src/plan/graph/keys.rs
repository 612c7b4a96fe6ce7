//! What a change means for the graph (`Facts`), and the keys an object brings along that more
//! than one kind of change names.

use crate::model::*;

/// What one change means for the dependency graph.
#[derive(Default, Debug)]
pub(super) struct Facts {
    pub(super) creates: Vec<ObjKey>,
    pub(super) drops: Vec<ObjKey>,
    pub(super) needs_new: Vec<ObjKey>,
    pub(super) needs_old: Vec<ObjKey>,
    pub(super) needs_gone: Vec<ObjKey>,
    /// Like `needs_new`, but only a preference: names found by scanning SQL text (function
    /// bodies), which may be false friends. Such an edge is left out when it would close a cycle.
    pub(super) prefers_new: Vec<ObjKey>,
    /// Like `needs_old`, but only a preference (names found by scanning SQL text): the change
    /// runs before these go, unless that closes a cycle.
    pub(super) prefers_old: Vec<ObjKey>,
}

impl Facts {
    /// Takes in the facts of a change done along with this one.
    pub(super) fn absorb(&mut self, other: Facts) {
        self.creates.extend(other.creates);
        self.drops.extend(other.drops);
        self.needs_new.extend(other.needs_new);
        self.needs_old.extend(other.needs_old);
        self.needs_gone.extend(other.needs_gone);
        self.prefers_new.extend(other.prefers_new);
        self.prefers_old.extend(other.prefers_old);
    }
}

/// The sequence an identity column brings with it.
pub(super) fn identity_sequence(table: &QualName, column: &Column) -> Option<ObjKey> {
    crate::model::naming::identity_sequence_name(table, column).map(ObjKey::Relation)
}

/// The function a trigger calls (trigger functions take no declared arguments).
pub(super) fn trigger_function(trigger: &Trigger) -> ObjKey {
    ObjKey::Function(FunctionId {
        name: trigger.function.clone(),
        args: String::new(),
    })
}
