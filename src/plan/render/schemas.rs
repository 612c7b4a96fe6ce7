//! Schemas and extensions; and the search path for SQL written by the user.

use std::fmt::Write as _;

use super::comments::comment_if;
use super::security::owner_and_grants;
use crate::model::quote::{ident, literal};
use crate::model::*;
use crate::plan::change::CommentTarget;

pub(super) fn create_schema(name: &str, schema: &Schema) -> Vec<String> {
    let mut out = vec![format!("CREATE SCHEMA {}", ident(name))];
    comment_if(
        &mut out,
        &CommentTarget::Schema(name.to_string()),
        &schema.comment,
    );
    let object = SecuredObject::Schema(name.to_string());
    owner_and_grants(&mut out, &object, &schema.owner, &schema.grants);
    out
}

pub(super) fn drop_schema(name: &str) -> Vec<String> {
    vec![format!("DROP SCHEMA {}", ident(name))]
}

pub(super) fn create_extension(name: &str, ext: &Extension) -> Vec<String> {
    let mut sql = format!("CREATE EXTENSION {}", ident(name));
    if let Some(schema) = &ext.schema {
        write!(sql, " WITH SCHEMA {}", ident(schema)).unwrap();
    }
    if let Some(version) = &ext.version {
        write!(sql, " VERSION {}", literal(version)).unwrap();
    }
    vec![sql]
}

pub(super) fn drop_extension(name: &str) -> Vec<String> {
    vec![format!("DROP EXTENSION {}", ident(name))]
}

pub(super) fn alter_extension(name: &str, from: &Extension, to: &Extension) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(s), true) = (&to.schema, from.schema != to.schema) {
        out.push(format!(
            "ALTER EXTENSION {} SET SCHEMA {}",
            ident(name),
            ident(s)
        ));
    }
    if let (Some(v), true) = (&to.version, from.version != to.version) {
        out.push(format!(
            "ALTER EXTENSION {} UPDATE TO {}",
            ident(name),
            literal(v)
        ));
    }
    out
}

/// Names in SQL written by the user resolve in the object's own schema first, then `public`.
pub fn search_path_for(schema: &str) -> String {
    if schema == "public" {
        "SET search_path TO public".to_string()
    } else {
        format!("SET search_path TO {}, public", ident(schema))
    }
}
