//! The schema cannot drift from the loader: every list of keys the loader checks has its kind,
//! every key its shape, and the rendered schema takes exactly those keys where the loader does.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::shape::{Kind, Shape};
use super::{all_kinds, schema, to_json};

fn source_files(dir: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// The names of the `*_KEYS` constants the lowering declares.
fn loader_key_lists() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (file, text) in source_files("src/yaml/lower") {
        for line in text.lines() {
            let Some(rest) = line.trim_start().strip_prefix("pub(crate) const ") else {
                assert!(
                    !(line.contains("const ") && line.contains("_KEYS")),
                    "{file}: `{line}`: a list of keys is pub(crate), for the JSON Schema"
                );
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.ends_with("_KEYS") {
                out.push((file.clone(), name));
            }
        }
    }
    out
}

#[test]
fn every_list_of_keys_the_loader_checks_is_a_kind_of_the_schema() {
    let lists = loader_key_lists();
    assert!(lists.len() >= 40, "{lists:?}");
    let kinds: String = source_files("src/yaml/jsonschema")
        .into_iter()
        .filter(|(file, _)| file != "tests.rs")
        .map(|(_, text)| text)
        .collect();
    for (file, name) in &lists {
        assert!(
            kinds.contains(&format!("keys: {name},")),
            "{name} (src/yaml/lower/{file}) has no kind in src/yaml/jsonschema: the schema would refuse what the loader takes"
        );
    }
    // Every mapping the loader checks is checked against a named list, not one written inline
    // at the call, which the schema could not see.
    for (file, text) in source_files("src/yaml/lower") {
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for (i, _) in flat.match_indices("self.fields(") {
            let call: String = flat[i..].chars().take_while(|c| *c != ')').collect();
            let last = call.rsplit(',').next().unwrap_or_default().trim();
            assert!(
                last.ends_with("_KEYS"),
                "src/yaml/lower/{file}: `{call})` checks keys that are no `*_KEYS` constant"
            );
        }
    }
}

#[test]
fn every_kind_gives_a_shape_to_exactly_the_keys_the_loader_accepts() {
    let mut names = BTreeSet::new();
    for kind in all_kinds() {
        assert!(names.insert(kind.name), "kind {} twice", kind.name);
        let keys: BTreeSet<&str> = kind.keys.iter().copied().collect();
        assert_eq!(keys.len(), kind.keys.len(), "{}: a key twice", kind.name);
        let shaped: BTreeSet<&str> = kind.fields.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            shaped.len(),
            kind.fields.len(),
            "{}: a shape twice",
            kind.name
        );
        assert_eq!(
            shaped, keys,
            "{}: the shapes are not given for exactly the loader's keys",
            kind.name
        );
        for list in [kind.required, kind.one_of, kind.refused] {
            for key in list {
                assert!(keys.contains(key), "{}: `{key}` is no key", kind.name);
            }
        }
    }
}

/// The object form of a kind in the rendered schema.
fn object_form<'v>(schema: &'v Value, kind: &Kind) -> &'v Value {
    let def = match kind.name {
        "document" => schema,
        name => &schema["definitions"][name],
    };
    match def.get("anyOf") {
        Some(Value::Array(forms)) => forms
            .iter()
            .find(|f| f.get("properties").is_some())
            .unwrap_or_else(|| panic!("{}: no mapping form", kind.name)),
        _ => def,
    }
}

#[test]
fn the_schema_takes_exactly_the_loaders_keys_in_each_mapping() {
    let schema = schema();
    for kind in all_kinds() {
        let object = object_form(&schema, kind);
        let properties: BTreeSet<&str> = object["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: no properties", kind.name))
            .keys()
            .map(String::as_str)
            .collect();
        let keys: BTreeSet<&str> = kind.keys.iter().copied().collect();
        assert_eq!(properties, keys, "{}", kind.name);
        assert_eq!(
            object["additionalProperties"],
            Value::Bool(false),
            "{}: a misspelt key must be refused",
            kind.name
        );
        for key in kind.refused {
            assert_eq!(object["properties"][key], Value::Bool(false), "{key}");
        }
    }
}

fn references(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.insert(r.clone());
            }
            map.values().for_each(|v| references(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// Every definition is reached from the document, every reference resolves: a kind the schema
/// defines but never places would check nothing.
#[test]
fn every_kind_has_its_place_under_the_document() {
    let schema = schema();
    let definitions = schema["definitions"].as_object().unwrap();
    let mut reached = BTreeSet::new();
    let mut todo = vec![schema.clone()];
    while let Some(value) = todo.pop() {
        let mut found = BTreeSet::new();
        let mut without_definitions = value.clone();
        if let Value::Object(map) = &mut without_definitions {
            map.remove("definitions");
        }
        references(&without_definitions, &mut found);
        for r in found {
            let name = r
                .strip_prefix("#/definitions/")
                .unwrap_or_else(|| panic!("{r}"));
            let target = definitions
                .get(name)
                .unwrap_or_else(|| panic!("{r} resolves to nothing"));
            if reached.insert(name.to_string()) {
                todo.push(target.clone());
            }
        }
    }
    let defined: BTreeSet<String> = definitions.keys().cloned().collect();
    assert_eq!(reached, defined, "definitions no mapping leads to");
}

fn words_of(shape: Shape, out: &mut Vec<&'static str>) {
    match shape {
        Shape::Word(words)
        | Shape::WordList(words)
        | Shape::WordNames(words)
        | Shape::ExactNames(words) => out.extend(words),
        Shape::WordFrom(words) => out.extend(words()),
        Shape::Either(shapes) => shapes.iter().for_each(|s| words_of(*s, out)),
        _ => {}
    }
}

/// `Lowerer::word` reads `_` and `-` as a space before it compares: a choice spelt with one
/// could never be chosen (as `finalfunc_modify: read_only` could not).
#[test]
fn every_word_the_loader_offers_can_be_written() {
    for kind in all_kinds() {
        let mut words = Vec::new();
        for (_, shape) in kind.fields {
            words_of(*shape, &mut words);
        }
        if let Some(short) = kind.short {
            words_of(short, &mut words);
        }
        for w in words {
            assert!(
                !w.contains(['_', '-']) && w == w.to_ascii_lowercase(),
                "{}: `{w}`",
                kind.name
            );
        }
    }
}

#[test]
fn the_printed_schema_is_the_same_every_time_and_reads_back() {
    let text = to_json();
    assert_eq!(text, to_json());
    assert!(text.ends_with("}\n"));
    let back: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back, schema());
    // Keys sorted at every level, whatever order serde_json keeps.
    let first_keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \""))
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    let mut sorted = first_keys.clone();
    sorted.sort();
    assert_eq!(first_keys, sorted);
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&schema()).expect("the schema is a valid draft 7 schema")
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

/// The loader's verdict on `text` and the schema's agree.
fn both_judge(text: &str, valid: bool) {
    let loaded = crate::yaml::load_sources(&[("t.yaml".into(), text.into())]);
    assert_eq!(
        loaded.is_ok(),
        valid,
        "loader on:\n{text}\n{:?}",
        loaded.err()
    );
    let validator = validator();
    let instance = yaml(text);
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert_eq!(errors.is_empty(), valid, "schema on:\n{text}\n{errors:#?}");
}

#[test]
fn a_misspelt_key_is_refused_at_every_depth() {
    let table = |body: &str| format!("schemas:\n  public:\n    tables:\n      t:\n{body}");
    both_judge(
        &table("        columns:\n          id: { type: bigint, not_null: true }\n"),
        true,
    );
    for body in [
        "        columns:\n          id: { type: bigint, not_nul: true }\n",
        "        colums:\n          id: bigint\n",
        "        columns:\n          id: bigint\n        indexes:\n          i: { columns: [{ column: id, ordre: desc }] }\n",
        "        columns:\n          id: { type: bigint, identity: { generated: always, strat: 5 } }\n",
        "        columns:\n          id: bigint\n        foreign_keys:\n          f: { columns: id, references: { tabel: t } }\n",
    ] {
        both_judge(&table(body), false);
    }
    both_judge("schemas:\n  public:\n    tabels: {}\n", false);
    both_judge("schema:\n  public: {}\n", false);
    both_judge(
        "hooks:\n  h: { up: SELECT 1, batch: { table: t, key: id, sise: 10 } }\n",
        false,
    );
}

#[test]
fn the_schema_reads_values_as_leniently_as_the_loader() {
    both_judge(
        "roles: [public]\nschemas:\n  public:\n    tables:\n      p: { columns: { id: { type: int, not_null: TRUE } }, primary_key: id }\n      t:\n        columns:\n          id: { type: int, default: 0, statistics: \"100\" }\n          p: int\n        foreign_keys:\n          f: { columns: p, references: { table: p }, on_delete: SET_NULL }\n        row_level_security: forced_only\n        grants: { public: [SELECT, update WITH GRANT OPTION] }\n",
        true,
    );
    // What the loader refuses, the schema refuses too.
    let table = |field: &str| {
        format!(
            "schemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: {{ type: int, {field} }}\n"
        )
    };
    both_judge(&table("not_null: maybe"), false);
    both_judge(&table("statistics: many"), false);
    both_judge(&table("storage: sideways"), false);
    both_judge(
        "schemas:\n  public:\n    procedures:\n      p: { returns: int, body: SELECT 1 }\n",
        false,
    );
    both_judge(
        "schemas:\n  public:\n    procedures:\n      p: { language: sql, body: SELECT 1 }\n",
        true,
    );
}
