//! What went wrong in the shadow database: PostgreSQL's rejection of a desired object's SQL is
//! reported with the object, where the YAML defines it, and the position in the statement.

use std::fmt;

use postgres::error::ErrorPosition;

use crate::model::source::Location;
use crate::model::source::SourceMap;
use crate::model::*;
use crate::pg::db::DbError;
use crate::pg::introspect::IntrospectError;
use crate::plan::change::Change;
use crate::plan::graph::CycleError;

#[derive(Debug, thiserror::Error)]
pub enum ShadowError {
    #[error("shadow database: {0}")]
    Db(#[from] DbError),
    #[error("shadow database: {0}")]
    Introspect(#[from] IntrospectError),
    #[error("ordering the desired state: {0}")]
    Cycle(#[from] CycleError),
    #[error("{0}")]
    Sql(Box<SqlProblem>),
    #[error(
        "role{} {} {} not exist on {server}, where the desired state is created: roles belong \
         to the whole cluster, and schemaplan creates them only in its embedded cluster (create \
         them on the --dev-url server, NOLOGIN is enough)",
        if .roles.len() == 1 { "" } else { "s" },
        .roles.join(", "),
        if .roles.len() == 1 { "does" } else { "do" }
    )]
    MissingRoles { roles: Vec<String>, server: String },
}

/// PostgreSQL rejected the SQL of a desired object.
#[derive(Debug)]
pub struct SqlProblem {
    pub object: String,
    pub kind: &'static str,
    pub path: Option<String>,
    pub location: Option<Location>,
    pub statement: String,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// 1-based character offset into `statement`.
    pub position: Option<usize>,
}

impl fmt::Display for SqlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.location, &self.path) {
            (Some(loc), Some(path)) => write!(f, "{loc}: {path}: ")?,
            (Some(loc), None) => write!(f, "{loc}: ")?,
            _ => {}
        }
        writeln!(
            f,
            "PostgreSQL rejects {} {}: {}",
            self.kind.replace('_', " "),
            self.object,
            self.message
        )?;
        if let Some(d) = &self.detail {
            writeln!(f, "  detail: {d}")?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "  hint: {h}")?;
        }
        match self.position {
            Some(pos) => {
                let (line, col, text) = locate(&self.statement, pos);
                writeln!(f, "  at line {line}, column {col} of the statement:")?;
                // Two lines before the error, for context (a syntax error is often reported at
                // the end of what PostgreSQL could read).
                let lines: Vec<&str> = self.statement.lines().collect();
                for context in lines
                    .iter()
                    .take(line.saturating_sub(1))
                    .skip(line.saturating_sub(3))
                {
                    writeln!(f, "    {context}")?;
                }
                writeln!(f, "    {text}")?;
                write!(f, "    {}^", " ".repeat(col.saturating_sub(1)))
            }
            None => {
                writeln!(f, "  statement:")?;
                for line in self.statement.lines() {
                    writeln!(f, "    {line}")?;
                }
                Ok(())
            }
        }
    }
}

/// Line, column (both 1-based) and text of the line holding character `pos` (1-based).
fn locate(statement: &str, pos: usize) -> (usize, usize, &str) {
    let mut line_start = 0;
    let mut line = 1;
    for (count, (byte, c)) in statement.char_indices().enumerate() {
        if count + 1 == pos {
            let text = statement[line_start..].lines().next().unwrap_or("");
            let col = statement[line_start..byte].chars().count() + 1;
            return (line, col, text);
        }
        if c == '\n' {
            line += 1;
            line_start = byte + 1;
        }
    }
    let text = statement[line_start..].lines().next().unwrap_or("");
    (line, text.chars().count() + 1, text)
}

/// The error for `statement`, which PostgreSQL rejected while creating what `change` creates.
pub(super) fn problem(
    change: &Change,
    statement: String,
    e: &postgres::Error,
    sources: &SourceMap,
) -> ShadowError {
    let db = e.as_db_error();
    let (path, location) = match change_key(change).and_then(|k| sources.object(&k)) {
        Some((path, loc)) => (Some(path.to_string()), Some(loc.clone())),
        None => (None, None),
    };
    ShadowError::Sql(Box::new(SqlProblem {
        object: change.object(),
        kind: change.kind(),
        path,
        location,
        message: db
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string()),
        detail: db.and_then(|d| d.detail().map(String::from)),
        hint: db.and_then(|d| d.hint().map(String::from)).or_else(|| {
            (e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)).then(|| {
                "the shadow builds the desired state as a role without a superuser's rights: \
                 what only a superuser may create (functions in C or an untrusted language, \
                 LEAKPROOF functions) cannot come from the YAML"
                    .to_string()
            })
        }),
        position: db.and_then(|d| match d.position() {
            Some(ErrorPosition::Original(p)) => Some(*p as usize),
            _ => None,
        }),
        statement,
    }))
}

/// The desired object a create step comes from, to find where the YAML defines it.
fn change_key(change: &Change) -> Option<ObjKey> {
    Some(match change {
        Change::CreateSchema { name, .. } => ObjKey::Schema(name.clone()),
        Change::CreateExtension { name, .. } => ObjKey::Extension(name.clone()),
        Change::CreateEnum { name, .. }
        | Change::CreateDomain { name, .. }
        | Change::CreateCompositeType { name, .. }
        | Change::CreateRangeType { name, .. } => ObjKey::Type(name.clone()),
        Change::CreateCollation { name, .. } => ObjKey::Collation(name.clone()),
        Change::CreateSequence { name, .. } | Change::SetSequenceOwner { name, .. } => {
            ObjKey::Relation(name.clone())
        }
        Change::AddConstraint { table, name, .. } => {
            ObjKey::Constraint(table.clone(), name.clone())
        }
        Change::CreateIndex { table, name, .. } => {
            ObjKey::Relation(QualName::new(table.schema.clone(), name.clone()))
        }
        Change::CreateFunction { id, .. } | Change::CreateAggregate { id, .. } => {
            ObjKey::Function(id.clone())
        }
        Change::CreatePolicy { table, name, .. } => ObjKey::Policy(table.clone(), name.clone()),
        Change::CreateTrigger { table, name, .. } => ObjKey::Trigger(table.clone(), name.clone()),
        Change::CreateStatistics { table, name, .. } => {
            ObjKey::Statistics(QualName::new(table.schema.clone(), name.clone()))
        }
        Change::CreateTsDictionary { name, .. } => ObjKey::TsDictionary(name.clone()),
        Change::CreatePublication { name, .. } => ObjKey::Publication(name.clone()),
        Change::CreateTsConfiguration { name, .. } => ObjKey::TsConfiguration(name.clone()),
        Change::CreateTable { name, .. }
        | Change::CreateView { name, .. }
        | Change::CreateMaterializedView { name, .. } => ObjKey::Relation(name.clone()),
        // Listed rather than `_`, so that a new kind of step is placed here on purpose: these
        // are reported without a place in the YAML.
        Change::DropSchema { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::RebuildEnum { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::DropTable { .. }
        | Change::AddColumn { .. }
        | Change::DropColumn { .. }
        | Change::AlterColumn { .. }
        | Change::DropConstraint { .. }
        | Change::ValidateConstraint { .. }
        | Change::NotNull { .. }
        | Change::AlterConstraint { .. }
        | Change::DropIndex { .. }
        | Change::Rename { .. }
        | Change::RenameIndex { .. }
        | Change::AddConstraintUsingIndex { .. }
        | Change::Backfill { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::DropMaterializedView { .. }
        | Change::SetMaterializedViewOptions { .. }
        | Change::SetOptions { .. }
        | Change::SetPersistence { .. }
        | Change::SetComment { .. }
        | Change::DropFunction { .. }
        | Change::ReplaceFunction { .. }
        | Change::DropAggregate { .. }
        | Change::ReplaceAggregate { .. }
        | Change::DropTrigger { .. }
        | Change::ReplaceTrigger { .. }
        | Change::SetTriggerEnabled { .. }
        | Change::RunHook { .. }
        | Change::UndoHook { .. }
        | Change::Restore { .. }
        | Change::DropDomain { .. }
        | Change::RebuildDomain { .. }
        | Change::SetDomainDefault { .. }
        | Change::SetDomainNotNull { .. }
        | Change::AddDomainConstraint { .. }
        | Change::DropDomainConstraint { .. }
        | Change::ValidateDomainConstraint { .. }
        | Change::DropCompositeType { .. }
        | Change::DropRangeType { .. }
        | Change::DropCollation { .. }
        | Change::AddAttribute { .. }
        | Change::DropAttribute { .. }
        | Change::AlterAttributeType { .. }
        | Change::DropPolicy { .. }
        | Change::AlterPolicy { .. }
        | Change::SetRowSecurity { .. }
        | Change::SetReplicaIdentity { .. }
        | Change::SetInherit { .. }
        | Change::SetGrants { .. }
        | Change::SetOwner { .. }
        | Change::SetDefaultPrivileges { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::CreateIndexOnly { .. }
        | Change::AttachIndex { .. }
        | Change::NameInheritedIndex { .. }
        | Change::DropPartitionedIndex { .. }
        | Change::DropStatistics { .. }
        | Change::AlterStatistics { .. }
        | Change::DropTsDictionary { .. }
        | Change::AlterTsDictionary { .. }
        | Change::DropTsConfiguration { .. }
        | Change::AlterTsConfiguration { .. }
        | Change::DropPublication { .. }
        | Change::AlterPublication { .. }
        | Change::AlterColumnSettings { .. } => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn positions_map_to_lines_and_columns() {
        let s = "CREATE VIEW v AS\nSELECT x\n  FROM evnts";
        let pos = s.find("evnts").unwrap() + 1;
        assert_eq!(locate(s, pos), (3, 8, "  FROM evnts"));
        assert_eq!(locate(s, 1), (1, 1, "CREATE VIEW v AS"));
    }
}
