//! schemaplan: declarative PostgreSQL schema management.
//!
//! Layers, lowest first (ARCHITECTURE.md, checked by `tests/architecture.rs`): `stdx`, `model`
//! (the one schema model), `sqltext` (SQL as text), `plan` (the pure planner: diff, order,
//! render, `plan::build`), then `yaml` (desired state from files) and `pg` (everything that
//! talks to PostgreSQL), `error`, `pipeline` (the flows the CLI and tests call), and the binary's
//! `cli`.

pub mod error;
pub mod model;
pub mod pg;
pub mod pipeline;
pub mod plan;
pub(crate) mod sqltext;
pub(crate) mod stdx;
pub mod yaml;
