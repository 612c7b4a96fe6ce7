//! Locks of creating or replacing a function: a SQL function's body is parsed when it is
//! created, which takes ACCESS SHARE on the relations it reads; other languages' bodies are not
//! looked into.

use crate::model::*;
use crate::plan::classify::lock_mode::LockMode::*;
use crate::plan::classify::relations::body_relations;

use super::lock_set::LockSet;

pub(super) fn create_function(set: &mut LockSet, id: &FunctionId, def: &Function) {
    if def.language == "sql" {
        for (q, written) in body_relations(id, def, set.current, set.desired) {
            set.lock(&q, if written { RowExclusive } else { AccessShare });
        }
    }
}
