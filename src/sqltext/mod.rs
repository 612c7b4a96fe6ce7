//! SQL as text: its tokens (PostgreSQL's lexical rules, once), reading type names, the names a
//! body mentions, `:name` placeholders, and rewrites of printed SQL.
//! Pure; below the planner, above the model.

pub(crate) mod body;
pub(crate) mod placeholders;
pub(crate) mod reprint;
pub(crate) mod tokenize;
pub(crate) mod types;
