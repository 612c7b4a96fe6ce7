//! The one place that decides order. Every change says which objects it brings into being,
//! which it takes away, and which it needs (before, from the current model; after, from the
//! desired model). Those facts become edges of a petgraph graph; a topological sort with
//! deterministic tie-breaking (kind, then object name) gives the plan's order.
//!
//! The edge rules, for every object key K:
//! - a change that creates K runs before the changes that need the new K;
//! - a change that needs the old K runs before the change that drops K;
//! - a change that drops K runs before a change that creates K again (same name);
//! - a change that drops K runs before a change that needs K to be gone.
//!
//! Files: `order` (the entry points: sort, phases, `CycleError`), `edges` (the graph the facts
//! imply), `rank` (the tie-break between independent changes), `facts` (what each change
//! creates, drops and needs, by object kind), `structure` (the dependencies a model implies)
//! and `keys` (the facts type and the keys shared by several kinds).

mod edges;
mod facts;
mod keys;
mod order;
mod rank;
mod structure;

#[cfg(test)]
mod tests;

#[cfg(test)]
pub use order::order_in_phases;
pub use order::{CycleError, Ordered, order, order_explained};
