//! The pure planner: from the current and desired models (and facts read from the database
//! beforehand) to a `Plan` of ordered, classified, rendered steps. No I/O.

pub mod backup;
pub mod build;
#[cfg(test)]
mod cases;
pub mod change;
pub mod classify;
pub mod diff;
pub mod fingerprint;
pub mod graph;
pub mod hook;
pub mod online;
pub mod rename;
pub mod render;
pub mod security;
pub mod steps;
