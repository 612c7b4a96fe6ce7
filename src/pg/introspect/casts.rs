//! The casts PostgreSQL applies on assignment.

use super::session::{IntrospectError, Session};
use crate::model::*;

/// Casts PostgreSQL applies on assignment (`castcontext` `a` or `i`), by printed type names.
pub(super) fn casts(s: &mut Session<'_>) -> Result<Casts, IntrospectError> {
    let rows = s.query(
        "casts",
        "SELECT pg_catalog.format_type(castsource, NULL), pg_catalog.format_type(casttarget, NULL),
                castcontext IN ('a', 'i')
         FROM pg_catalog.pg_cast",
        &[],
    )?;
    let pair = |r: &postgres::Row| (r.get::<_, String>(0), r.get::<_, String>(1));
    Ok(Casts {
        assignment: rows
            .iter()
            .filter(|r| r.get::<_, bool>(2))
            .map(pair)
            .collect(),
        any: rows.iter().map(pair).collect(),
    })
}
