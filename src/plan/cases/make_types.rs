//! Changes of schemas, extensions and types (enums, sequences, domains, composite types), on the
//! objects of `fixtures`.

use super::fixtures::*;
use crate::model::*;
use crate::plan::change::{Backup, Change, EnumColumn, RebuiltDomain};

pub fn create_schema() -> Change {
    Change::CreateSchema {
        name: "billing".into(),
        schema: Schema::default(),
    }
}

pub fn drop_schema() -> Change {
    Change::DropSchema {
        name: "legacy".into(),
        schema: Schema::default(),
    }
}

/// `hstore` into the new schema `billing`.
pub fn create_extension() -> Change {
    Change::CreateExtension {
        name: "hstore".into(),
        ext: Extension {
            schema: Some("billing".into()),
            version: None,
        },
    }
}

pub fn drop_extension() -> Change {
    Change::DropExtension {
        name: "pgcrypto".into(),
        ext: Extension {
            schema: Some("public".into()),
            version: Some("1.3".into()),
        },
    }
}

fn pgcrypto(schema: &str, version: &str) -> Extension {
    Extension {
        schema: Some(schema.into()),
        version: Some(version.into()),
    }
}

/// `pgcrypto` moves to the new schema `billing`.
pub fn alter_extension() -> Change {
    Change::AlterExtension {
        name: "pgcrypto".into(),
        from: pgcrypto("public", "1.3"),
        to: pgcrypto("billing", "1.3"),
    }
}

pub fn alter_extension_version() -> Change {
    Change::AlterExtension {
        name: "pgcrypto".into(),
        from: pgcrypto("public", "1.3"),
        to: pgcrypto("public", "1.4"),
    }
}

pub fn create_enum() -> Change {
    Change::CreateEnum {
        name: q("color"),
        def: EnumType {
            values: vec!["red".into(), "green".into()],
            comment: None,
        },
    }
}

pub fn drop_enum() -> Change {
    Change::DropEnum {
        name: q("mood"),
        def: mood(),
    }
}

pub fn add_enum_values() -> Change {
    Change::AddEnumValues {
        name: q("mood"),
        from: mood().values,
        to: vec!["happy".into(), "meh".into(), "sad".into()],
    }
}

/// `sad` goes away: the type is rebuilt and `users.mood` cast to it.
pub fn rebuild_enum() -> Change {
    Change::RebuildEnum {
        name: q("mood"),
        from: mood(),
        to: EnumType {
            values: vec!["happy".into()],
            comment: None,
        },
        columns: vec![EnumColumn {
            table: q("users"),
            column: "mood".into(),
            array: false,
            default_before: None,
            default_after: Some(Expr::new("'happy'::app.mood")),
        }],
    }
}

pub fn create_sequence() -> Change {
    Change::CreateSequence {
        name: q("ticket"),
        def: Sequence::default(),
    }
}

/// `counter`, its position kept in `schemaplan_backup`.
pub fn drop_sequence() -> Change {
    Change::DropSequence {
        name: q("counter"),
        def: Sequence::default(),
        backup: Some(Backup {
            data: None,
            key: Vec::new(),
            key_is_unique: false,
            sequences: vec![q("counter")],
            positions: Some(QualName::new("schemaplan_backup", "p_positions")),
            recreate: Vec::new(),
        }),
    }
}

pub fn drop_sequence_without_backup() -> Change {
    match drop_sequence() {
        Change::DropSequence { name, def, .. } => Change::DropSequence {
            name,
            def,
            backup: None,
        },
        other => other,
    }
}

pub fn alter_sequence() -> Change {
    Change::AlterSequence {
        name: q("counter"),
        from: SequenceOptions::default(),
        to: SequenceOptions {
            increment: Some(5),
            ..SequenceOptions::default()
        },
    }
}

/// `counter` becomes owned by `orders.id`.
pub fn set_sequence_owner() -> Change {
    Change::SetSequenceOwner {
        name: q("counter"),
        from: None,
        to: Some(ColumnRef {
            table: q("orders"),
            column: "id".into(),
        }),
    }
}

/// `items_id_seq` stops being owned by `items.id`.
pub fn unset_sequence_owner() -> Change {
    Change::SetSequenceOwner {
        name: q("items_id_seq"),
        from: Some(ColumnRef {
            table: q("items"),
            column: "id".into(),
        }),
        to: None,
    }
}

pub fn create_domain() -> Change {
    Change::CreateDomain {
        name: q("code"),
        def: domain("text", &[]),
    }
}

pub fn drop_domain() -> Change {
    Change::DropDomain {
        name: q("zip"),
        def: zip(),
    }
}

/// `zip` becomes `character varying(5)`; `users.zip` is cast.
pub fn rebuild_domain() -> Change {
    Change::RebuildDomain {
        name: q("zip"),
        domains: vec![RebuiltDomain {
            name: q("zip"),
            from: zip(),
            to: Domain {
                data_type: "character varying(5)".into(),
                ..zip()
            },
            columns: vec![EnumColumn {
                table: q("users"),
                column: "zip".into(),
                array: false,
                default_before: None,
                default_after: None,
            }],
        }],
    }
}

pub fn set_domain_default(from: Option<&str>, to: Option<&str>) -> Change {
    Change::SetDomainDefault {
        name: q("zip"),
        from: from.map(Expr::new),
        to: to.map(Expr::new),
    }
}

pub fn set_domain_not_null(not_null: bool) -> Change {
    Change::SetDomainNotNull {
        name: q("zip"),
        not_null,
    }
}

pub fn add_domain_constraint(validated: bool) -> Change {
    Change::AddDomainConstraint {
        domain: q("zip"),
        name: "zip_not_blank".into(),
        constraint: domain_check("VALUE <> ''", validated),
    }
}

/// A constraint of the new domain `code`.
pub fn add_new_domain_constraint() -> Change {
    Change::AddDomainConstraint {
        domain: q("code"),
        name: "code_short".into(),
        constraint: domain_check("length(VALUE) < 10", true),
    }
}

pub fn drop_domain_constraint() -> Change {
    Change::DropDomainConstraint {
        domain: q("zip"),
        name: "zip_format".into(),
        constraint: zip().constraints["zip_format"].clone(),
    }
}

pub fn validate_domain_constraint() -> Change {
    Change::ValidateDomainConstraint {
        domain: q("zip"),
        name: "zip_format".into(),
        constraint: zip().constraints["zip_format"].clone(),
    }
}

pub fn create_composite_type() -> Change {
    Change::CreateCompositeType {
        name: q("point2"),
        def: CompositeType {
            attributes: vec![
                attribute("x", "double precision"),
                attribute("y", "double precision"),
            ],
            comment: None,
        },
    }
}

pub fn drop_composite_type() -> Change {
    Change::DropCompositeType {
        name: q("address"),
        def: address(),
    }
}

pub fn add_attribute() -> Change {
    Change::AddAttribute {
        type_name: q("address"),
        attribute: attribute("zip", "app.zip"),
    }
}

pub fn drop_attribute(stored: bool) -> Change {
    Change::DropAttribute {
        type_name: q("address"),
        attribute: attribute("city", "text"),
        stored,
    }
}

pub fn alter_attribute_type() -> Change {
    Change::AlterAttributeType {
        type_name: q("address"),
        from: attribute("street", "text"),
        to: attribute("street", "character varying(200)"),
    }
}

pub fn drop_enum_in(schema: &str) -> Change {
    Change::DropEnum {
        name: QualName::new(schema, "old_mood"),
        def: mood(),
    }
}

pub fn drop_schema_named(name: &str) -> Change {
    Change::DropSchema {
        name: name.into(),
        schema: Schema::default(),
    }
}

pub fn create_range_type() -> Change {
    Change::CreateRangeType {
        name: q("period"),
        def: range_type("integer", None),
    }
}

pub fn drop_range_type() -> Change {
    Change::DropRangeType {
        name: q("span"),
        def: range_type("text", Some("nocase")),
    }
}

pub fn create_collation() -> Change {
    Change::CreateCollation {
        name: q("ci"),
        def: collation(true),
    }
}

pub fn drop_collation() -> Change {
    Change::DropCollation {
        name: q("nocase"),
        def: collation(false),
    }
}
