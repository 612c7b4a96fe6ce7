//! SQL fields checked with PostgreSQL's own grammar before any server sees them.
//!
//! SQL text in the YAML (defaults, checks, view queries, function arguments …) is written into
//! statements as it stands, so a text that ends its statement early would make schemaplan run
//! whatever follows — on the shadow during `plan`, on the target during `apply`. `fields` checks
//! each field as the lowering reads it (located at the field); `rendered` then parses every
//! statement the renderer writes for the loaded objects, each of which must be one statement.

mod fields;
mod grammar;
mod rendered;
#[cfg(test)]
mod tests;

pub(crate) use fields::{Field, check};
pub(crate) use rendered::check_rendered;
