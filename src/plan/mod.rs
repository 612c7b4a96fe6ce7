//! The pure planner: from the current and desired models (and facts read from the database
//! beforehand) to a `Plan` of ordered, classified, rendered steps. No I/O.

pub(crate) mod backup;
pub(crate) mod build;
#[cfg(test)]
mod cases;
pub mod change;
pub mod classify;
pub(crate) mod diff;
pub mod fingerprint;
pub(crate) mod graph;
pub(crate) mod hook;
pub(crate) mod online;
pub mod present;
pub(crate) mod rename;
pub(crate) mod render;
pub mod security;
pub mod shortcut;
pub mod steps;
pub mod tenant;
pub mod versions;
