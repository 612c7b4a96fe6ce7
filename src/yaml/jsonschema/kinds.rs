//! The kinds of mapping outside tables: the document, schemas, types, routines, views,
//! sequences, text search, publications, hooks and default privileges.

use super::shape::Shape::*;
use super::shape::{Kind, Shape};
use super::table_kinds::INDEX_FIELDS;
use crate::model::Privilege;
use crate::yaml::lower::*;

pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "document",
        about: "A desired-state document: schemas and what they hold, and the top-level lists.",
        keys: DOCUMENT_KEYS,
        fields: &[
            ("extensions", Either(&[TextList, Named("extension")])),
            ("schemas", Named("schema")),
            ("hooks", Named("hook")),
            ("roles", Either(&[TextList, Word(&[EVERY_ROLE])])),
            ("default_privileges", List("default_privileges")),
            ("publications", Named("publication")),
        ],
        ..Kind::BASE
    },
    Kind {
        name: "extension",
        about: "An extension, with the schema it lives in and its version.",
        keys: EXTENSION_KEYS,
        fields: &[("schema", OptionalText), ("version", OptionalText)],
        ..Kind::BASE
    },
    Kind {
        name: "schema",
        about: "A schema and the objects in it, each kind a mapping by name.",
        keys: SCHEMA_KEYS,
        fields: &[
            ("comment", OptionalText),
            ("enums", Named("enum")),
            ("sequences", Named("sequence")),
            ("tables", Named("table")),
            ("views", Named("view")),
            ("functions", Named("function")),
            ("procedures", Named("procedure")),
            ("aggregates", Named("aggregate")),
            ("materialized_views", Named("materialized_view")),
            ("domains", Named("domain")),
            ("composite_types", Named("composite_type")),
            ("range_types", Named("range_type")),
            ("collations", Named("collation")),
            ("text_search_dictionaries", Named("text_search_dictionary")),
            (
                "text_search_configurations",
                Named("text_search_configuration"),
            ),
            ("owner", Text),
            ("grants", Grants(Privilege::SCHEMA)),
        ],
        ..Kind::BASE
    },
    Kind {
        name: "object_ref",
        about: "A name, or `{ schema, name }`.",
        keys: OBJREF_KEYS,
        fields: &[("schema", OptionalText), ("name", Text)],
        required: &["name"],
        short: Some(Text),
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "sequence",
        about: "A sequence.",
        keys: SEQUENCE_KEYS,
        fields: &[
            ("type", Text),
            ("unlogged", Bool),
            ("start", Int),
            ("increment", Int),
            ("min", Int),
            ("max", Int),
            ("cache", Int),
            ("cycle", Bool),
            ("owned_by", Of("owned_by")),
            ("comment", OptionalText),
            ("owner", Text),
            ("grants", Grants(Privilege::SEQUENCE)),
        ],
        ..Kind::BASE
    },
    Kind {
        name: "owned_by",
        about: "The column a sequence belongs to.",
        keys: OWNED_BY_KEYS,
        fields: &[("schema", Text), ("table", Text), ("column", Text)],
        required: &["table", "column"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "view",
        about: "A view: its query alone, or a mapping with `definition`.",
        keys: VIEW_KEYS,
        fields: &[
            ("definition", Text),
            ("options", Options),
            ("comment", OptionalText),
            ("column_comments", Options),
            ("owner", Text),
            ("grants", Grants(Privilege::TABLE)),
            ("triggers", Named("trigger")),
        ],
        required: &["definition"],
        short: Some(Text),
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "materialized_view",
        about: "A materialized view: its query alone, or a mapping with `query`.",
        keys: MATERIALIZED_VIEW_KEYS,
        fields: &[
            ("query", Text),
            ("with_data", Bool),
            ("indexes", Named("materialized_view_index")),
            ("options", Options),
            ("comment", OptionalText),
            ("column_comments", Options),
        ],
        required: &["query"],
        short: Some(Text),
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "materialized_view_index",
        about: "An index of a materialized view (built anew under a new name: no renamed_from).",
        keys: INDEX_KEYS,
        fields: INDEX_FIELDS,
        required: &["columns"],
        refused: &["renamed_from"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "function",
        about: "A function; its key is its name, or its name and argument list.",
        keys: FUNCTION_KEYS,
        fields: FUNCTION_FIELDS,
        required: &["returns"],
        one_of: &["body", "sql_body"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "procedure",
        about: "A procedure; its key is its name, or its name and argument list.",
        keys: FUNCTION_KEYS,
        fields: FUNCTION_FIELDS,
        one_of: &["body", "sql_body"],
        refused: &["returns"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "aggregate",
        about: "An aggregate; its key is its name and argument list (or `arguments`).",
        keys: AGGREGATE_KEYS,
        fields: &[
            ("arguments", Text),
            ("sfunc", Text),
            ("stype", Text),
            ("sspace", Int),
            ("finalfunc", Text),
            ("finalfunc_extra", Bool),
            ("finalfunc_modify", Word(FINAL_MODIFY_WORDS)),
            ("combinefunc", Text),
            ("serialfunc", Text),
            ("deserialfunc", Text),
            ("initcond", Text),
            ("msfunc", Text),
            ("minvfunc", Text),
            ("mstype", Text),
            ("msspace", Int),
            ("mfinalfunc", Text),
            ("mfinalfunc_extra", Bool),
            ("mfinalfunc_modify", Word(FINAL_MODIFY_WORDS)),
            ("minitcond", Text),
            ("sortop", Text),
            ("parallel", Word(PARALLEL_WORDS)),
            ("hypothetical", Bool),
            ("comment", OptionalText),
        ],
        required: &["sfunc", "stype"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "enum",
        about: "An enum type: its values, or a mapping with `values`.",
        keys: ENUM_KEYS,
        fields: &[
            ("values", TextList),
            ("comment", OptionalText),
            ("renamed_from", Text),
        ],
        required: &["values"],
        short: Some(TextList),
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "domain",
        about: "A domain: its base type alone, or a mapping with `type`.",
        keys: DOMAIN_KEYS,
        fields: &[
            ("type", Text),
            ("not_null", Bool),
            ("default", OptionalText),
            ("collation", Of("object_ref")),
            ("constraints", Named("domain_constraint")),
            ("comment", OptionalText),
        ],
        required: &["type"],
        short: Some(Text),
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "domain_constraint",
        about: "A check of a domain: an expression of VALUE, or `{ check, not_valid, comment }`.",
        keys: DOMAIN_CONSTRAINT_KEYS,
        fields: &[
            ("check", Text),
            ("not_valid", Bool),
            ("comment", OptionalText),
        ],
        required: &["check"],
        short: Some(Text),
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "composite_type",
        about: "A composite type.",
        keys: COMPOSITE_KEYS,
        fields: &[
            ("attributes", Named("attribute")),
            ("comment", OptionalText),
        ],
        required: &["attributes"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "attribute",
        about: "An attribute of a composite type: its type, or `{ type, collation, comment }`.",
        keys: ATTRIBUTE_KEYS,
        fields: &[
            ("type", Text),
            ("collation", Of("object_ref")),
            ("comment", OptionalText),
        ],
        required: &["type"],
        short: Some(Text),
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "range_type",
        about: "A range type: its subtype alone, or a mapping with `subtype`.",
        keys: RANGE_KEYS,
        fields: &[
            ("subtype", Text),
            ("subtype_opclass", Of("object_ref")),
            ("collation", Of("object_ref")),
            ("canonical", Text),
            ("subtype_diff", Text),
            ("multirange_type_name", Text),
        ],
        required: &["subtype"],
        short: Some(Text),
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "collation",
        about: "A collation: provider and locale, or `from` an existing one.",
        keys: COLLATION_KEYS,
        fields: &[
            ("provider", Word(PROVIDER_WORDS)),
            ("locale", Text),
            ("lc_collate", Text),
            ("lc_ctype", Text),
            ("deterministic", Bool),
            ("from", Of("object_ref")),
        ],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "text_search_dictionary",
        about: "A text search dictionary.",
        keys: DICTIONARY_KEYS,
        fields: &[
            ("template", Text),
            ("options", Options),
            ("comment", OptionalText),
        ],
        required: &["template"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "text_search_configuration",
        about: "A text search configuration: its parser and, by token type, its dictionaries.",
        keys: CONFIGURATION_KEYS,
        fields: &[
            ("parser", Text),
            ("mappings", NamesByName),
            ("comment", OptionalText),
        ],
        required: &["mappings"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "publication",
        about: "A publication of tables (`schema.table` keys).",
        keys: PUBLICATION_KEYS,
        fields: &[
            ("tables", Named("published_table")),
            ("publish", ExactNames(&crate::model::PUBLISH_ACTIONS)),
            ("via_partition_root", Bool),
            ("comment", OptionalText),
        ],
        required: &["tables"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "published_table",
        about: "A published table's column list and row filter.",
        keys: PUBLISHED_TABLE_KEYS,
        fields: &[("columns", Names), ("where", Text)],
        ..Kind::BASE
    },
    Kind {
        name: "hook",
        about: "A data hook: SQL run once (or batch by batch) in the backfill phase or before contract.",
        keys: HOOK_KEYS,
        fields: &[
            ("phase", Word(HOOK_PHASE_WORDS)),
            ("depends_on", Names),
            ("up", Text),
            ("down", OptionalText),
            ("batch", Of("batch")),
            ("verify", List("verify")),
            ("comment", OptionalText),
        ],
        required: &["up"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "batch",
        about: "How a hook runs batch by batch: keyset ranges of `table` by `key`.",
        keys: BATCH_KEYS,
        fields: &[
            ("table", Text),
            ("key", Text),
            ("size", Int),
            ("pause", Text),
        ],
        required: &["table", "key"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "verify",
        about: "A check a hook's result must pass.",
        keys: VERIFY_KEYS,
        fields: &[("name", Text), ("sql", Text)],
        required: &["name", "sql"],
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "using",
        about: "How a column's values convert when its type changes: an expression, or `{ up, down }`.",
        keys: USING_KEYS,
        fields: &[("up", Text), ("down", Text)],
        required: &["up"],
        short: Some(Text),
        null: false,
        ..Kind::BASE
    },
    Kind {
        name: "default_privileges",
        about: "Privileges granted on the objects a role creates.",
        keys: DEFAULT_PRIVILEGES_KEYS,
        fields: &[
            ("for_role", Text),
            ("schema", OptionalText),
            ("on", Word(DEFAULT_PRIVILEGES_ON_WORDS)),
            ("grants", Grants(&Privilege::ALL)),
        ],
        required: &["for_role", "on"],
        null: false,
        ..Kind::BASE
    },
];

/// A function's keys, and a procedure's (which refuses `returns`).
const FUNCTION_FIELDS: &[(&str, Shape)] = &[
    ("arguments", OptionalText),
    ("returns", Text),
    ("language", Text),
    ("volatility", Word(VOLATILITY_WORDS)),
    ("strict", Bool),
    ("security", Word(SECURITY_WORDS)),
    ("leakproof", Bool),
    ("parallel", Word(PARALLEL_WORDS)),
    ("cost", Text),
    ("rows", Text),
    ("set", Options),
    ("body", Text),
    ("sql_body", Text),
    ("comment", OptionalText),
    ("grants", Grants(&[Privilege::Execute])),
];
