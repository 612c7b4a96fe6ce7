//! SQL as text: reading type names, the names a body mentions, and rewrites of printed SQL.
//! Pure; below the planner, above the model.

pub mod body;
pub mod reprint;
pub mod types;
