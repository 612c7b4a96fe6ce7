//! schemaplan: declarative PostgreSQL schema management.
//!
//! The pipeline (see ARCHITECTURE.md): `load` YAML into the `model`, `introspect` the live
//! catalog into the same model, normalise the desired model through a `shadow` database,
//! `diff` the two into typed `change`s, order them with the dependency `graph`, `render` SQL and
//! build a `plan`, then `apply` it. `pipeline` strings these together for the CLI and the tests.

pub mod apply;
pub mod backup;
pub mod body;
pub mod change;
pub mod classify;
pub mod cluster;
pub mod db;
pub mod diff;
pub mod emit;
pub mod error;
pub mod fingerprint;
pub mod graph;
pub mod history;
pub mod hook;
pub mod hookrun;
pub mod interrupt;
pub mod introspect;
pub mod load;
pub mod migrate;
pub mod model;
pub mod online;
pub mod pipeline;
pub mod plan;
pub mod rehearse;
pub mod rename;
pub mod render;
pub mod reprint;
pub mod security;
pub mod shadow;
pub mod types;

pub use error::Error;

/// The comment PostgreSQL gives the `public` schema of a new database; a desired state that says
/// nothing about it keeps it.
pub const PUBLIC_SCHEMA_COMMENT: &str = "standard public schema";
