//! What each step does to a running database: the phase it belongs to, the locks it takes on
//! existing relations, and its hazards. Pure: computed from the change and the current model.
//! Rehearsal (`rehearse`) observes the same locks on a shadow copy; tests hold the two equal.
//!
//! `lock_mode`, `hazards` and `phase` hold the types and the rules of each; `locks` dispatches
//! on the kind of change; `rewrites` and `type_rules` say which type changes rewrite a table;
//! `relations` looks up what the models say a change reaches.

mod hazards;
mod lock_mode;
mod locks;
mod phase;
mod relations;
mod rewrites;
mod type_rules;

#[cfg(test)]
mod tests;

pub use hazards::{Hazard, hazards};
pub use lock_mode::{LockMode, Locks, add_lock};
pub use locks::locks;
pub use phase::{Phase, phase};
pub use rewrites::rewrites;
pub use type_rules::binary_compatible;
