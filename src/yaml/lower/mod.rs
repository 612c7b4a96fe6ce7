//! YAML tree → schema model. Shape errors (unknown keys, values of the wrong type, objects
//! defined twice) are collected here; cross-references are checked by `validate`.
//!
//! `lowerer` holds the state and the checks every kind shares; each other file lowers one kind
//! of object as an `impl Lowerer` block of its own.

mod aggregates;
mod collations;
mod constraints;
mod functions;
mod hooks;
mod indexes;
mod lowerer;
mod partitions;
mod publications;
mod schemas;
mod security;
mod sequences;
mod statistics;
mod tables;
#[cfg(test)]
mod tests;
mod textsearch;
mod types;
mod views;

pub use lowerer::RoleUses;
pub(crate) use lowerer::{Lowered, Lowerer};
