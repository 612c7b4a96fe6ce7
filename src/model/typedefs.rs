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

/// A collation (`CREATE COLLATION`). PostgreSQL cannot alter one in place (bar its name and
/// owner): a changed definition is a drop and a create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collation {
    /// `icu` or `libc`.
    pub provider: String,
    /// The ICU locale (`und-u-ks-level2`); `None` for libc.
    pub locale: Option<String>,
    /// libc's `LC_COLLATE` and `LC_CTYPE`; `None` for ICU.
    pub lc_collate: Option<String>,
    pub lc_ctype: Option<String>,
    /// False for a nondeterministic collation (equal strings that differ in bytes).
    pub deterministic: bool,
    /// `FROM existing`, as written in the YAML: the shadow copies it and reads the copy's
    /// definition back, so the compared model never has it.
    pub from: Option<ObjRef>,
}

/// A range type (`CREATE TYPE … AS RANGE`), with the multirange type PostgreSQL makes with it.
/// Like a collation it cannot be altered in place: a changed definition is a drop and a create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeType {
    /// The subtype as PostgreSQL prints it (`integer`, `public.mood`).
    pub subtype: String,
    /// An operator class other than the subtype's default b-tree one.
    pub subtype_opclass: Option<ObjRef>,
    /// A collation other than the subtype's default (only for a collatable subtype).
    pub collation: Option<ObjRef>,
    /// The canonical function, as its name prints (`public.r_canonical`).
    pub canonical: Option<String>,
    /// The difference function (`float8mi`, `public.time_diff`).
    pub subtype_diff: Option<String>,
    /// The multirange type's name when it is not the one PostgreSQL would choose
    /// (`naming::multirange_name`; `RangeType::multirange` in `catalog`); it is always in the range type's schema.
    pub multirange_type_name: Option<String>,
}
