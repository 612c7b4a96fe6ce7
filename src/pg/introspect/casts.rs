//! The casts PostgreSQL applies on assignment.

use super::session::{IntrospectError, Session};
use crate::model::*;

/// Casts PostgreSQL applies on assignment (`castcontext` `a` or `i`), by printed type names.
pub(super) fn casts(s: &mut Session<'_>) -> Result<Casts, IntrospectError> {
    let rows = s.query(
        "casts",
        "SELECT pg_catalog.format_type(castsource, NULL), pg_catalog.format_type(casttarget, NULL)
         FROM pg_catalog.pg_cast WHERE castcontext IN ('a', 'i')",
        &[],
    )?;
    Ok(Casts {
        assignment: rows.iter().map(|r| (r.get(0), r.get(1))).collect(),
    })
}
