//! User-defined types and sequences: enums, domains, composite types.

use std::collections::BTreeMap;

use super::expr::*;
use super::names::*;

use super::security::*;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnumType {
    pub values: Vec<String>,
    pub comment: Option<String>,
}

/// A domain: a base type (with modifiers) narrowed by NOT NULL and named CHECK constraints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    /// The base type as PostgreSQL prints it: `character varying(100)`, `public.mood`,
    /// `public.other_domain`, `integer[]`.
    pub data_type: String,
    pub not_null: bool,
    pub default: Option<Expr>,
    /// A collation other than the base type's.
    pub collation: Option<ObjRef>,
    /// CHECK constraints by name; their expressions read `VALUE`.
    pub constraints: BTreeMap<String, DomainConstraint>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainConstraint {
    pub expression: Expr,
    /// False for a constraint added `NOT VALID` and not yet validated.
    pub validated: bool,
    pub comment: Option<String>,
}

/// A composite type: named, typed attributes in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompositeType {
    pub attributes: Vec<Attribute>,
    pub comment: Option<String>,
}

impl CompositeType {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub data_type: String,
    pub collation: Option<ObjRef>,
    pub comment: Option<String>,
}

/// Options shared by sequences and identity columns. `None` means "PostgreSQL's default"; the
/// introspector fills every field, so two introspected models compare exactly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SequenceOptions {
    pub data_type: Option<String>,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sequence {
    pub options: SequenceOptions,
    pub owned_by: Option<ColumnRef>,
    /// `CREATE UNLOGGED SEQUENCE` (PostgreSQL 15+).
    pub unlogged: bool,
    pub comment: Option<String>,
    pub owner: Option<String>,
    pub grants: Grants,
}
