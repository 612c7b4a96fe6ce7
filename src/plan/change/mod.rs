//! Typed changes: what `diff` produces and what the renderer turns into SQL. A change carries
//! enough of the old and the new definition to render both its SQL and its reverse.
//!
//! `kinds` holds the `Change` enum and the types its variants carry; `describe` what a change
//! is called and touches; `differences` what an alteration changes, field by field; `verb` whether it creates, drops or alters; `reverse` how it is
//! undone.

mod describe;
mod differences;
mod kinds;
mod reverse;
mod verb;

#[cfg(test)]
mod tests;

pub use describe::removes_privileges;
pub use kinds::{
    Backup, CascadedKey, Change, CommentTarget, EnumColumn, IndexPart, RebuiltDomain, Renamed,
    Renumber, Restored, Reverse, Using,
};
pub use reverse::partition_check;
pub use verb::Verb;
