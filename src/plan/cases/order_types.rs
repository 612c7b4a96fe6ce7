//! Order rows of schemas, extensions and types (enums, sequences, domains, composite types).

use super::fixtures::*;
use super::make_objects::*;
use super::make_tables::*;
use super::make_types::*;
use super::order_row::{Row, row};
use crate::model::*;
use crate::plan::change::{Change, Renamed};

pub fn schema_and_type_rows() -> Vec<Row> {
    vec![
        row(
            create_schema(),
            vec![create_extension()],
            &[
                "expand create_schema billing",
                "expand create_extension hstore",
            ],
        ),
        row(
            drop_schema(),
            vec![drop_enum_in("legacy")],
            &[
                "contract drop_enum legacy.old_mood",
                "contract drop_schema legacy",
            ],
        ),
        row(
            create_extension(),
            vec![create_schema()],
            &[
                "expand create_schema billing",
                "expand create_extension hstore",
            ],
        ),
        row(
            drop_extension(),
            vec![drop_schema_named("public")],
            &[
                "contract drop_extension pgcrypto",
                "contract drop_schema public",
            ],
        ),
        row(
            alter_extension(),
            vec![create_schema()],
            &[
                "expand create_schema billing",
                "expand alter_extension pgcrypto",
            ],
        ),
        row(
            create_enum(),
            vec![add_column_to("users", col("color", "app.color"))],
            &[
                "expand create_enum app.color",
                "expand add_column app.users.color",
            ],
        ),
        row(
            drop_enum(),
            vec![drop_column_of("users", col("mood", "app.mood"))],
            &[
                "contract drop_column app.users.mood",
                "contract drop_enum app.mood",
            ],
        ),
        row(
            add_enum_values(),
            vec![add_column_to("users", col("mood2", "app.mood"))],
            &[
                "expand add_enum_values app.mood",
                "expand add_column app.users.mood2",
            ],
        ),
        // The materialized view reading the column goes before the rebuild and comes back
        // after it, in contract.
        row(
            rebuild_enum(),
            vec![drop_materialized_view(), create_user_stats()],
            &[
                "contract drop_materialized_view app.user_stats",
                "contract rebuild_enum app.mood",
                "contract create_materialized_view app.user_stats",
            ],
        ),
        row(
            create_sequence(),
            vec![Change::SetSequenceOwner {
                name: q("ticket"),
                from: None,
                to: Some(ColumnRef {
                    table: q("users"),
                    column: "id".into(),
                }),
            }],
            &[
                "expand create_sequence app.ticket",
                "expand set_sequence_owner app.ticket",
            ],
        ),
        // Created again under its name: after the drop, so in contract too.
        row(
            drop_sequence(),
            vec![Change::CreateSequence {
                name: q("counter"),
                def: Sequence::default(),
            }],
            &[
                "contract drop_sequence app.counter",
                "contract create_sequence app.counter",
            ],
        ),
        row(
            alter_sequence(),
            vec![rename(
                Renamed::Sequence {
                    schema: "app".into(),
                },
                "old_counter",
                "counter",
            )],
            &[
                "contract rename_sequence app.counter",
                "contract alter_sequence app.counter",
            ],
        ),
        // The owner moves away before the column that owns the sequence is dropped.
        row(
            unset_sequence_owner(),
            vec![drop_column_of("items", items().columns[0].clone())],
            &[
                "expand set_sequence_owner app.items_id_seq",
                "contract drop_column app.items.id",
            ],
        ),
    ]
}

pub fn domain_and_composite_rows() -> Vec<Row> {
    vec![
        row(
            create_domain(),
            vec![add_column_to("users", col("code", "app.code"))],
            &[
                "expand create_domain app.code",
                "expand add_column app.users.code",
            ],
        ),
        row(
            drop_domain(),
            vec![drop_column_of("users", col("zip", "app.zip"))],
            &[
                "contract drop_column app.users.zip",
                "contract drop_domain app.zip",
            ],
        ),
        // A new default for the rebuilt domain waits for it, in contract.
        row(
            rebuild_domain(),
            vec![set_domain_default(None, Some("'00000'"))],
            &[
                "contract rebuild_domain app.zip",
                "contract set_domain_default app.zip",
            ],
        ),
        row(
            Change::SetDomainDefault {
                name: q("code"),
                from: None,
                to: Some(Expr::new("'x'")),
            },
            vec![create_domain()],
            &[
                "expand create_domain app.code",
                "expand set_domain_default app.code",
            ],
        ),
        row(
            Change::SetDomainNotNull {
                name: q("code"),
                not_null: true,
            },
            vec![create_domain()],
            &[
                "expand create_domain app.code",
                "contract set_domain_not_null app.code",
            ],
        ),
        row(
            add_new_domain_constraint(),
            vec![create_domain()],
            &[
                "expand create_domain app.code",
                "expand add_domain_constraint app.code.code_short",
            ],
        ),
        // The constraint's new definition comes after the old one is dropped.
        row(
            drop_domain_constraint(),
            vec![Change::AddDomainConstraint {
                domain: q("zip"),
                name: "zip_format".into(),
                constraint: domain_check("VALUE ~ '^[0-9]{5}(-[0-9]{4})?$'", true),
            }],
            &[
                "contract drop_domain_constraint app.zip.zip_format",
                "contract add_domain_constraint app.zip.zip_format",
            ],
        ),
        row(
            Change::ValidateDomainConstraint {
                domain: q("zip"),
                name: "zip_not_blank".into(),
                constraint: domain_check("VALUE <> ''", true),
            },
            vec![add_domain_constraint(false)],
            &[
                "contract add_domain_constraint app.zip.zip_not_blank",
                "contract validate_domain_constraint app.zip.zip_not_blank",
            ],
        ),
        row(
            create_composite_type(),
            vec![add_column_to("users", col("location", "app.point2"))],
            &[
                "expand create_composite_type app.point2",
                "expand add_column app.users.location",
            ],
        ),
        row(
            drop_composite_type(),
            vec![Change::CreateCompositeType {
                name: q("address"),
                def: CompositeType {
                    attributes: vec![attribute("line", "text")],
                    comment: None,
                },
            }],
            &[
                "contract drop_composite_type app.address",
                "contract create_composite_type app.address",
            ],
        ),
        row(
            Change::AddAttribute {
                type_name: q("address"),
                attribute: attribute("code", "app.code"),
            },
            vec![create_domain()],
            &[
                "expand create_domain app.code",
                "expand add_attribute app.address.code",
            ],
        ),
        row(
            drop_attribute(false),
            vec![Change::AddAttribute {
                type_name: q("address"),
                attribute: attribute("city", "character varying(100)"),
            }],
            &[
                "contract drop_attribute app.address.city",
                "contract add_attribute app.address.city",
            ],
        ),
        row(
            Change::AlterAttributeType {
                type_name: q("address"),
                from: attribute("street", "text"),
                to: attribute("street", "app.code"),
            },
            vec![create_domain()],
            &[
                "expand create_domain app.code",
                "contract alter_attribute_type app.address.street",
            ],
        ),
    ]
}

/// Range types and collations: created before what names them, dropped after.
pub fn range_and_collation_rows() -> Vec<Row> {
    vec![
        row(
            create_range_type(),
            vec![add_column_to(
                "users",
                col("during", "app.period_multirange"),
            )],
            &[
                "expand create_range_type app.period",
                "expand add_column app.users.during",
            ],
        ),
        row(
            drop_range_type(),
            vec![drop_column_of("users", col("spans", "app.span_multirange"))],
            &[
                "contract drop_column app.users.spans",
                "contract drop_range_type app.span",
            ],
        ),
        row(
            create_collation(),
            vec![add_column_to(
                "users",
                Column {
                    collation: Some(ObjRef {
                        schema: Some("app".into()),
                        name: "ci".into(),
                    }),
                    ..col("nick", "text")
                },
            )],
            &[
                "expand create_collation app.ci",
                "expand add_column app.users.nick",
            ],
        ),
        row(
            create_collation(),
            vec![{
                let mut on_mood = index(&["mood"]);
                on_mood.keys[0].collation = Some(ObjRef {
                    schema: Some("app".into()),
                    name: "ci".into(),
                });
                Change::CreateIndex {
                    table: q("users"),
                    name: "users_mood_idx".into(),
                    index: on_mood,
                    concurrently: false,
                    replaces: None,
                }
            }],
            &[
                "expand create_collation app.ci",
                "expand create_index app.users_mood_idx",
            ],
        ),
        row(
            drop_collation(),
            vec![drop_range_type()],
            &[
                "contract drop_range_type app.span",
                "contract drop_collation app.nocase",
            ],
        ),
    ]
}
