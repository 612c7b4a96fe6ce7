//! schemaplan: declarative PostgreSQL schema management.
//!
//! The pipeline (see ARCHITECTURE.md): `load` YAML into the `model`, `introspect` the live
//! catalog into the same model, normalise the desired model through a `shadow` database,
//! `diff` the two into typed `change`s, order them with the dependency `graph`, `render` SQL and
//! build a `plan`, then `apply` it. `pipeline` strings these together for the CLI and the tests.

pub mod error;
pub mod model;
pub mod pg;
pub mod pipeline;
pub mod plan;
pub mod sqltext;
pub mod stdx;
pub mod yaml;
