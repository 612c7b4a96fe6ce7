//! SQL as text: its tokens (PostgreSQL's lexical rules, once), reading type names, the names a
//! body mentions, `:name` placeholders, and rewrites of printed SQL.
//! Pure; below the planner, above the model.

pub mod body;
pub mod placeholders;
pub mod reprint;
pub mod tokenize;
pub mod types;
