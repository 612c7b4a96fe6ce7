//! The JSON Schema of a desired-state YAML document, for editors (completion, checks as you
//! type) and CI. It is built from the lists the loader itself checks against: every mapping
//! `Lowerer::fields` reads is a `Kind` here with the loader's own `*_KEYS` constant, and every
//! `Lowerer::word` choice list is the loader's own `*_WORDS` constant; `tests` fails when a
//! list of the loader has no kind here or a key no shape.
//!
//! The schema is as lenient as the loader where the loader reads leniently (any scalar as
//! text, `TRUE` as a boolean, `set_null` for `set null`), and names its kinds in
//! `definitions`. It cannot know what only the lowering checks further (an ICU collation
//! takes `locale`, `bounds` go with `partition_of`, names refer to objects that exist): the
//! loader stays the judge.

mod kinds;
mod shape;
mod table_kinds;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value, json};

/// Where `inspect` writes the schema beside the YAML it writes, and the name the YAML's
/// `# yaml-language-server: $schema=…` line refers to.
pub const FILE_NAME: &str = "schemaplan.schema.json";

/// The schema's title, by which `inspect` knows a schema file it may replace.
pub const TITLE: &str = "schemaplan desired state";

/// Whether `text` is a schema `schemaplan schema` printed (of this version or another), by its
/// title: what `inspect` may replace beside the YAML it writes.
pub fn is_ours(text: &str) -> bool {
    serde_json::from_str::<Value>(text).is_ok_and(|v| v["title"] == TITLE)
}

/// JSON Schema draft 7: the newest draft the common YAML editors' language servers read fully.
const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// The schema, as a JSON value.
pub fn schema() -> Value {
    let all = all_kinds();
    let mut definitions = Map::new();
    for (name, value) in shape::primitives() {
        definitions.insert(name.to_string(), value);
    }
    let mut root = Map::new();
    for kind in &all {
        if kind.name == "document" {
            if let Value::Object(document) = kind.render() {
                root = document;
            }
        } else {
            definitions.insert(kind.name.to_string(), kind.render());
        }
    }
    root.insert("$schema".into(), json!(DRAFT));
    root.insert("title".into(), json!(TITLE));
    root.insert(
        "description".into(),
        json!("A desired-state YAML file of schemaplan: `schemaplan schema` prints the schema of the version it is."),
    );
    root.insert("definitions".into(), Value::Object(definitions));
    Value::Object(root)
}

/// The schema as `schemaplan schema` prints it: pretty JSON, keys sorted, a final newline.
pub fn to_json() -> String {
    let mut text = serde_json::to_string_pretty(&sorted(schema())).expect("JSON values print");
    text.push('\n');
    text
}

/// `value` with every object's keys in sorted order, whatever order `serde_json::Map` keeps
/// (a feature of serde_json another crate may turn on keeps insertion order).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn all_kinds() -> Vec<&'static shape::Kind> {
    kinds::KINDS.iter().chain(table_kinds::KINDS).collect()
}
