//! The schema cannot drift from the loader: every list of keys the loader checks has its kind,
//! every key its shape, and the rendered schema takes exactly those keys where the loader does.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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

/// Every desired state the repository holds: `schema/`, and each case's `desired.yaml` or
/// `desired/` under `tests/cases`, as (what to load, its YAML files).
fn desired_states_of_the_repository() -> Vec<(PathBuf, Vec<PathBuf>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut states = vec![root.join("schema")];
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root.join("tests/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    for case in cases {
        let file = case.join("desired.yaml");
        states.push(if file.is_file() {
            file
        } else {
            case.join("desired")
        });
    }
    states
        .into_iter()
        .map(|state| {
            let mut files = Vec::new();
            yaml_files(&state, &mut files);
            files.sort();
            assert!(!files.is_empty(), "{} holds no YAML", state.display());
            (state, files)
        })
        .collect()
}

fn yaml_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    for entry in std::fs::read_dir(path).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}

/// What the schema says of a document: one line per error, with the errors of each branch
/// of an `anyOf` or `oneOf` (a mapping that may also be written short) after it; empty when it
/// validates.
fn schema_errors(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    fn flatten(e: &jsonschema::ValidationError, out: &mut Vec<String>) {
        out.push(format!("{}: {e}", e.instance_path()));
        use jsonschema::error::ValidationErrorKind::{AnyOf, OneOfNotValid};
        if let AnyOf { context } | OneOfNotValid { context } = e.kind() {
            context.iter().flatten().for_each(|sub| flatten(sub, out));
        }
    }
    let instance: Value = serde_yaml::from_str(text).unwrap();
    let mut out = Vec::new();
    for e in validator.iter_errors(&instance) {
        flatten(&e, &mut out);
    }
    out
}

/// The example desired state and every test case's: the loader takes each, and so does the
/// schema, file by file; with its first `columns:` key misspelt `colums:`, the schema refuses
/// each file that has one, naming the key.
#[test]
fn every_desired_yaml_of_the_repository_validates_and_a_misspelt_key_does_not() {
    let validator = validator();
    let states = desired_states_of_the_repository();
    assert!(states.len() > 200, "{} desired states", states.len());
    let (mut files, mut misspelt) = (0, 0);
    let mut failures = Vec::new();
    for (state, paths) in &states {
        if let Err(e) = crate::yaml::load_path(state) {
            panic!("the loader refuses {}: {e}", state.display());
        }
        for path in paths {
            files += 1;
            let text = std::fs::read_to_string(path).unwrap();
            let errors = schema_errors(&validator, &text);
            if !errors.is_empty() {
                failures.push(format!("{}:\n  {}", path.display(), errors.join("\n  ")));
            }
            let Some(at) = text
                .lines()
                .scan(0, |offset, line| {
                    let start = *offset;
                    *offset += line.len() + 1;
                    Some((start, line))
                })
                .find(|(_, line)| line.trim_start().starts_with("columns:"))
                .map(|(start, line)| start + line.len() - line.trim_start().len())
            else {
                continue;
            };
            misspelt += 1;
            let wrong = format!("{}colums{}", &text[..at], &text[at + "columns".len()..]);
            let errors = schema_errors(&validator, &wrong);
            assert!(
                errors.iter().any(|e| e.contains("'colums'")),
                "{}: `colums:` is not refused: {errors:#?}",
                path.display()
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {files} files do not validate:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        files > 200 && misspelt > 150,
        "{files} files, {misspelt} misspelt"
    );
}

/// The error case of misspelt keys (tests/errors/unknown_keys): the schema refuses every key
/// the loader reports, at every depth.
#[test]
fn the_schema_refuses_every_misspelt_key_the_loader_reports() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/errors/unknown_keys/schema.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let crate::yaml::LoadError::Invalid(diagnostics) =
        crate::yaml::load_sources(&[("schema.yaml".into(), text.clone())]).unwrap_err()
    else {
        panic!("not a report of problems");
    };
    let errors = schema_errors(&validator(), &text).join("\n");
    let mut keys = 0;
    for d in &diagnostics {
        let Some(key) = d
            .message
            .split('`')
            .nth(1)
            .filter(|_| d.message.contains("unknown key"))
        else {
            continue;
        };
        keys += 1;
        assert!(
            errors.contains(&format!("'{key}'")),
            "`{key}` ({d}) is not refused by the schema:\n{errors}"
        );
    }
    assert!(keys >= 8, "{diagnostics:#?}");
}
