//! Names: schema-qualified names, references that may lack a schema, and function identities.

use std::fmt;

/// A schema-qualified name. Ordering is by schema, then name, which gives every map in the
/// model (and so every plan) a deterministic order.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct QualName {
    pub schema: String,
    pub name: String,
}

impl QualName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualName {
            schema: schema.into(),
            name: name.into(),
        }
    }
}

/// Human-readable form for messages and plan listings (not SQL: use `super::quote::qualified`).
impl fmt::Display for QualName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// A reference to a catalog object that may be written without a schema (collations, operator
/// classes). `schema: None` resolves through the search path when the SQL runs; the
/// introspector always fills the schema in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjRef {
    pub schema: Option<String>,
    pub name: String,
}

impl fmt::Display for ObjRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => write!(f, "{}", self.name),
        }
    }
}

/// A function's identity: its name and the types of its input arguments (`integer, text`;
/// argument names and defaults are not part of it, so renaming an argument changes the same
/// function). Overloads of one name are different objects.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct FunctionId {
    pub name: QualName,
    /// The argument types. For a model loaded from YAML, the argument list as written, without
    /// defaults.
    pub args: String,
}

impl fmt::Display for FunctionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name, self.args)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ColumnRef {
    pub table: QualName,
    pub column: String,
}
