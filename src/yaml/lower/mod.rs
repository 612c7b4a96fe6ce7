//! YAML tree → schema model. Shape errors (unknown keys, values of the wrong type, objects
//! defined twice) are collected here; cross-references are checked by `validate`.
//!
//! `lowerer` holds the state and the checks every kind shares; each other file lowers one kind
//! of object as an `impl Lowerer` block of its own.

mod aggregates;
mod collations;
mod constraints;
mod functions;
mod hooks;
mod indexes;
mod lowerer;
mod partitions;
mod publications;
mod schemas;
mod security;
mod sequences;
mod statistics;
mod tables;
#[cfg(test)]
mod tests;
mod textsearch;
mod types;
mod views;

pub use lowerer::RoleUses;

// The keys each mapping accepts (`*_KEYS`, as `Lowerer::fields` checks them) and the words its
// fields take (`*_WORDS`, as `Lowerer::word` reads them): `yaml::jsonschema` is built from
// these very lists.
pub(crate) use aggregates::{AGGREGATE_KEYS, FINAL_MODIFY_WORDS};
pub(crate) use collations::{COLLATION_KEYS, PROVIDER_WORDS, RANGE_KEYS};
pub(crate) use constraints::{
    CHECK_KEYS, EXCLUDE_ELEMENT_KEYS, EXCLUDE_KEYS, FK_ACTION_WORDS, FOREIGN_KEY_KEYS, MATCH_WORDS,
    PRIMARY_KEY_KEYS, REFERENCES_KEYS, UNIQUE_KEYS,
};
pub(crate) use functions::{
    ENABLED_WORDS, FOR_EACH_WORDS, FUNCTION_KEYS, PARALLEL_WORDS, REFERENCING_KEYS, SECURITY_WORDS,
    TIMING_WORDS, TRIGGER_EVENTS, TRIGGER_KEYS, VOLATILITY_WORDS,
};
pub(crate) use hooks::{BATCH_KEYS, HOOK_KEYS, HOOK_PHASE_WORDS, USING_KEYS, VERIFY_KEYS};
pub(crate) use indexes::{INDEX_COLUMN_KEYS, INDEX_KEYS, NULLS_WORDS, ORDER_WORDS};
pub(crate) use lowerer::OBJREF_KEYS;
pub(crate) use lowerer::{Lowered, Lowerer};
pub(crate) use partitions::PARTITION_OF_KEYS;
pub(crate) use publications::{PUBLICATION_KEYS, PUBLISHED_TABLE_KEYS};
pub(crate) use schemas::{DOCUMENT_KEYS, EVERY_ROLE, EXTENSION_KEYS, SCHEMA_KEYS};
pub(crate) use security::{
    DEFAULT_PRIVILEGES_KEYS, DEFAULT_PRIVILEGES_ON_WORDS, POLICY_AS_WORDS, POLICY_COMMAND_WORDS,
    POLICY_KEYS, ROW_SECURITY_WORDS,
};
pub(crate) use sequences::{OWNED_BY_KEYS, SEQUENCE_KEYS};
pub(crate) use statistics::{
    COLUMN_OPTIONS, COMPRESSION_WORDS, STATISTICS_COLUMN_KEYS, STATISTICS_KEYS, storage_words,
};
pub(crate) use tables::{
    COLUMN_KEYS, GENERATED_KEYS, IDENTITY_KEYS, IDENTITY_WORDS, REPLICA_IDENTITY_KEYS,
    REPLICA_IDENTITY_WORDS, TABLE_KEYS,
};
pub(crate) use textsearch::{CONFIGURATION_KEYS, DICTIONARY_KEYS};
pub(crate) use types::{
    ATTRIBUTE_KEYS, COMPOSITE_KEYS, DOMAIN_CONSTRAINT_KEYS, DOMAIN_KEYS, ENUM_KEYS,
};
pub(crate) use views::{MATERIALIZED_VIEW_KEYS, VIEW_KEYS};
