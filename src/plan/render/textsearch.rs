//! Text search dictionaries and configurations: `CREATE | ALTER | DROP TEXT SEARCH
//! DICTIONARY | CONFIGURATION`.
//!
//! Templates, parsers and dictionaries are written as the model holds them (printed by
//! PostgreSQL, or as the YAML wrote them, checked by `yaml::sqlcheck`); option values are
//! string literals, which is how PostgreSQL stores every one of them.

use std::collections::BTreeMap;

use super::comments::comment_if;
use crate::model::quote::{ident, literal, qualified};
use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

/// The statements of text search changes (`render::statements` sends only these here).
pub(super) fn statements(change: &Change) -> Vec<String> {
    match change {
        Change::CreateTsDictionary { name, def } => create_dictionary(name, def),
        Change::DropTsDictionary { name, .. } => {
            vec![format!("DROP TEXT SEARCH DICTIONARY {}", qualified(name))]
        }
        Change::AlterTsDictionary { name, from, to } => alter_dictionary(name, from, to),
        Change::CreateTsConfiguration { name, def } => create_configuration(name, def),
        Change::DropTsConfiguration { name, .. } => {
            vec![format!(
                "DROP TEXT SEARCH CONFIGURATION {}",
                qualified(name)
            )]
        }
        Change::AlterTsConfiguration { name, from, to } => {
            mapping_changes(name, &from.mappings, &to.mappings)
        }
        other => unreachable!("{} is not rendered here", other.kind()),
    }
}

/// `name = 'value'` for each option, in name order.
fn option_settings(options: &BTreeMap<String, String>) -> Vec<String> {
    options
        .iter()
        .map(|(k, v)| format!("{} = {}", ident(k), literal(v)))
        .collect()
}

fn create_dictionary(name: &QualName, def: &TsDictionary) -> Vec<String> {
    let mut parts = vec![format!("TEMPLATE = {}", def.template)];
    parts.extend(option_settings(&def.options));
    let mut out = vec![format!(
        "CREATE TEXT SEARCH DICTIONARY {} ({})",
        qualified(name),
        parts.join(", ")
    )];
    comment_if(
        &mut out,
        &CommentTarget::TsDictionary(name.clone()),
        &def.comment,
    );
    out
}

/// Options that go are named alone (which removes them); then every option of the new state is
/// set, in name order. PostgreSQL removes an option named again and appends it, so the stored
/// list ends in name order whatever it was: the order a created dictionary has.
fn alter_dictionary(name: &QualName, from: &TsDictionary, to: &TsDictionary) -> Vec<String> {
    let mut parts: Vec<String> = from
        .options
        .keys()
        .filter(|k| !to.options.contains_key(*k))
        .map(|k| ident(k))
        .collect();
    parts.extend(option_settings(&to.options));
    vec![format!(
        "ALTER TEXT SEARCH DICTIONARY {} ({})",
        qualified(name),
        parts.join(", ")
    )]
}

fn create_configuration(name: &QualName, def: &TsConfiguration) -> Vec<String> {
    let mut out = vec![format!(
        "CREATE TEXT SEARCH CONFIGURATION {} (PARSER = {})",
        qualified(name),
        def.parser
    )];
    out.extend(mapping_changes(name, &BTreeMap::new(), &def.mappings));
    comment_if(
        &mut out,
        &CommentTarget::TsConfiguration(name.clone()),
        &def.comment,
    );
    out
}

/// `DROP MAPPING` for token types that lose theirs, `ALTER MAPPING` for those whose
/// dictionaries change, `ADD MAPPING` for new ones; token types with the same dictionaries
/// share one statement.
fn mapping_changes(
    name: &QualName,
    from: &BTreeMap<String, Vec<String>>,
    to: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let config = qualified(name);
    let mut out = Vec::new();
    let dropped: Vec<String> = from
        .keys()
        .filter(|t| !to.contains_key(*t))
        .map(|t| ident(t))
        .collect();
    if !dropped.is_empty() {
        out.push(format!(
            "ALTER TEXT SEARCH CONFIGURATION {config} DROP MAPPING FOR {}",
            dropped.join(", ")
        ));
    }
    for (verb, existing) in [("ALTER", true), ("ADD", false)] {
        let mut groups: BTreeMap<&Vec<String>, Vec<String>> = BTreeMap::new();
        for (token, dictionaries) in to {
            match from.get(token) {
                Some(old) if existing && old != dictionaries => {}
                None if !existing => {}
                _ => continue,
            }
            groups.entry(dictionaries).or_default().push(ident(token));
        }
        for (dictionaries, tokens) in groups {
            out.push(format!(
                "ALTER TEXT SEARCH CONFIGURATION {config} {verb} MAPPING FOR {} WITH {}",
                tokens.join(", "),
                dictionaries.join(", ")
            ));
        }
    }
    out
}
