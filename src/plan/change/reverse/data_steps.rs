//! The way back from data steps: backfills, data hooks and restores.

use crate::model::QualName;
use crate::model::hook::Hook;

use crate::plan::change::kinds::{Change, Reverse};

/// A backfill is undone only when it filled a column the plan adds.
pub(super) fn undo_backfill(table: QualName, column: String, column_existed: bool) -> Reverse {
    if column_existed {
        return Reverse::Irreversible {
            reason: format!(
                "the backfill writes into the NULLs of an existing column ({table}.{column}); which rows were NULL is not kept"
            ),
        };
    }
    // The old values are gone, but the column was empty (NULL) before: nothing to undo that
    // dropping the column (the step before it, reversed) does not undo.
    Reverse::Changes(Vec::new())
}

/// A hook is undone by its `down` SQL, when it has one.
pub(super) fn undo_hook(hook: Hook) -> Reverse {
    if hook.down.is_none() {
        return Reverse::Irreversible {
            reason: format!("hook {} has no `down` SQL", hook.name),
        };
    }
    Reverse::by(Change::UndoHook { hook })
}

/// A restore only ever appears inside a reverse; it has no way back of its own.
pub(super) fn undo_restore() -> Reverse {
    Reverse::Irreversible {
        reason: "a restore is itself the reverse of a drop".into(),
    }
}
