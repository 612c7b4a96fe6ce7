//! What the JSON Schema says of a value: `Shape` (one per way the loader reads a value) and
//! `Kind` (a mapping the loader checks with `Lowerer::fields`), each rendered to JSON.

use serde_json::{Map, Value, json};

use crate::model::Privilege;

/// How the loader reads a value, named after the `Lowerer` method that reads it.
#[derive(Clone, Copy)]
pub(super) enum Shape {
    /// Any scalar: `string` and `sql` read numbers and booleans as their text.
    Text,
    /// Text, or `null` for none (`optional_string`).
    OptionalText,
    /// `true` or `false`, in any case (`bool`).
    Bool,
    /// A whole number (`int`).
    Int,
    /// One name, or a list of them (`names`).
    Names,
    /// A list of scalars, never one alone (`roles:`, an enum's values).
    TextList,
    /// One of fixed words, in any case, `_` or `-` read as a space (`word`).
    Word(&'static [&'static str]),
    /// The same, for words the model lists (`storage`).
    WordFrom(fn() -> Vec<&'static str>),
    /// A list of such words (a statistics object's `kinds`).
    WordList(&'static [&'static str]),
    /// One word or a list of them, each in any case (a trigger's `events`).
    WordNames(&'static [&'static str]),
    /// One word or a list of them, written exactly (a publication's `publish`).
    ExactNames(&'static [&'static str]),
    /// `name: text` pairs (`options`).
    Options,
    /// `name: text` pairs whose names are among these.
    OptionsOf(&'static [&'static str]),
    /// `name: [names]` pairs (a text search configuration's `mappings`).
    NamesByName,
    /// `role: [privilege, …]`, each privilege one of these or `all`, optionally followed by
    /// `with grant option` (`grants`).
    Grants(&'static [Privilege]),
    /// A mapping of another kind (`Kind::name`).
    Of(&'static str),
    /// `name: <kind>` pairs (`named`).
    Named(&'static str),
    /// A list of mappings of a kind.
    List(&'static str),
    /// Any of these shapes.
    Either(&'static [Shape]),
}

/// A mapping the loader checks with `Lowerer::fields(node, path, keys)`.
pub(super) struct Kind {
    /// Its name among the schema's `definitions`.
    pub name: &'static str,
    pub about: &'static str,
    /// The loader's own list of the keys it accepts (a `*_KEYS` constant).
    pub keys: &'static [&'static str],
    /// The shape of each key's value: exactly the keys of `keys`.
    pub fields: &'static [(&'static str, Shape)],
    /// Keys without which the loader reports the mapping.
    pub required: &'static [&'static str],
    /// Keys of which the loader wants exactly one.
    pub one_of: &'static [&'static str],
    /// Keys `fields` lets through only for the lowering to refuse them with a message of its
    /// own (a procedure's `returns`): the schema refuses them.
    pub refused: &'static [&'static str],
    /// What the loader reads in place of the mapping (`title: text` for a column).
    pub short: Option<Shape>,
    /// Whether `~` (null) reads as the mapping with no keys.
    pub null: bool,
}

impl Kind {
    /// What a kind is unless it says otherwise: no required key, no short form, `~` allowed.
    pub const BASE: Kind = Kind {
        name: "",
        about: "",
        keys: &[],
        fields: &[],
        required: &[],
        one_of: &[],
        refused: &[],
        short: None,
        null: true,
    };

    /// The shape of `key`'s value, if the kind lists one.
    pub fn field(&self, key: &str) -> Option<Shape> {
        self.fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, shape)| *shape)
    }

    /// The kind as a JSON Schema: a mapping of exactly its keys, or its short form.
    pub fn render(&self) -> Value {
        let mut properties = Map::new();
        for key in self.keys {
            let shape = self
                .field(key)
                .unwrap_or_else(|| panic!("jsonschema: key `{key}` of {} has no shape", self.name));
            let value = match self.refused.contains(key) {
                true => Value::Bool(false),
                false => shape.render(),
            };
            properties.insert(key.to_string(), value);
        }
        let mut object = Map::new();
        object.insert(
            "type".into(),
            if self.null {
                json!(["object", "null"])
            } else {
                json!("object")
            },
        );
        object.insert("properties".into(), Value::Object(properties));
        object.insert("additionalProperties".into(), Value::Bool(false));
        if !self.required.is_empty() {
            object.insert("required".into(), json!(self.required));
        }
        if !self.one_of.is_empty() {
            let each: Vec<Value> = (self.one_of.iter())
                .map(|k| json!({ "required": [k] }))
                .collect();
            object.insert("oneOf".into(), Value::Array(each));
        }
        match self.short {
            None => {
                object.insert("description".into(), json!(self.about));
                Value::Object(object)
            }
            Some(short) => json!({
                "description": self.about,
                "anyOf": [Value::Object(object), short.render()],
            }),
        }
    }
}

/// The shapes every kind shares, named once in the schema's `definitions`.
pub(super) fn primitives() -> Vec<(&'static str, Value)> {
    vec![
        (
            "text",
            json!({
                "description": "Text; a number or a boolean is read as its text.",
                "type": ["string", "number", "boolean"],
            }),
        ),
        (
            "optional_text",
            json!({
                "description": "Text, or null for none.",
                "type": ["string", "number", "boolean", "null"],
            }),
        ),
        (
            "boolean",
            json!({
                "type": ["boolean", "string"],
                "pattern": format!("^(?:{}|{})$", any_case("true"), any_case("false")),
            }),
        ),
        (
            "integer",
            json!({
                "type": ["integer", "string"],
                "pattern": "^\\s*[+-]?[0-9]+\\s*$",
            }),
        ),
        (
            "names",
            json!({
                "description": "A name, or a list of names.",
                "type": ["string", "number", "boolean", "array"],
                "items": reference("text"),
            }),
        ),
        (
            "options",
            json!({
                "description": "name: value pairs.",
                "type": ["object", "null"],
                "additionalProperties": reference("text"),
            }),
        ),
    ]
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/definitions/{name}") })
}

impl Shape {
    pub fn render(self) -> Value {
        match self {
            Shape::Text => reference("text"),
            Shape::OptionalText => reference("optional_text"),
            Shape::Bool => reference("boolean"),
            Shape::Int => reference("integer"),
            Shape::Names => reference("names"),
            Shape::Options => reference("options"),
            Shape::TextList => json!({ "type": "array", "items": reference("text") }),
            Shape::Word(words) => word(words, true),
            Shape::WordFrom(words) => word(&words(), true),
            Shape::WordList(words) => json!({ "type": "array", "items": word(words, true) }),
            Shape::WordNames(words) => one_or_list(word(words, false)),
            Shape::ExactNames(words) => one_or_list(json!({ "enum": words })),
            Shape::OptionsOf(names) => {
                let properties: Map<String, Value> = (names.iter())
                    .map(|n| (n.to_string(), reference("text")))
                    .collect();
                json!({
                    "type": ["object", "null"],
                    "properties": properties,
                    "additionalProperties": false,
                })
            }
            Shape::NamesByName => json!({
                "type": ["object", "null"],
                "additionalProperties": reference("names"),
            }),
            Shape::Grants(privileges) => json!({
                "description": "role: privileges (a privilege, or all; optionally followed by `with grant option`).",
                "type": ["object", "null"],
                "additionalProperties": one_or_list(privilege(privileges)),
            }),
            Shape::Of(kind) => reference(kind),
            Shape::Named(kind) => json!({
                "type": ["object", "null"],
                "additionalProperties": reference(kind),
            }),
            Shape::List(kind) => json!({ "type": "array", "items": reference(kind) }),
            Shape::Either(shapes) => {
                let each: Vec<Value> = shapes.iter().map(|s| s.render()).collect();
                json!({ "anyOf": each })
            }
        }
    }
}

fn one_or_list(item: Value) -> Value {
    json!({ "anyOf": [item.clone(), { "type": "array", "items": item }] })
}

/// One of `words` as `Lowerer::word` reads it: surrounding blanks ignored, any case, and
/// (`separators`) `_` or `-` for a space. The `enum` is for editors to offer; the pattern
/// takes every spelling the loader takes.
fn word(words: &[&str], separators: bool) -> Value {
    let alternatives: Vec<String> = words
        .iter()
        .map(|w| {
            w.chars()
                .map(|c| match c {
                    ' ' if separators => "[ _-]".to_string(),
                    c => any_case(&c.to_string()),
                })
                .collect()
        })
        .collect();
    json!({
        "anyOf": [
            { "enum": words },
            {
                "type": "string",
                "pattern": format!("^\\s*(?:{})\\s*$", alternatives.join("|")),
            },
        ],
    })
}

/// A privilege as `Lowerer::grants` reads it.
fn privilege(privileges: &[Privilege]) -> Value {
    let mut names: Vec<String> = (privileges.iter())
        .map(|p| p.sql().to_ascii_lowercase())
        .collect();
    names.push("all".into());
    let mut alternatives: Vec<String> = names.iter().map(|n| any_case(n)).collect();
    alternatives.push(any_case("all privileges"));
    json!({
        "anyOf": [
            { "enum": names },
            {
                "type": "string",
                "pattern": format!(
                    "^\\s*(?:{})(?:\\s* {})?\\s*$",
                    alternatives.join("|"),
                    any_case("with grant option")
                ),
            },
        ],
    })
}

/// A regular expression matching `text` in any case, written without flags (the pattern
/// dialect of JSON Schema, ECMA 262, has no inline `(?i)`). `text` holds letters, digits,
/// `_` and spaces only.
pub(super) fn any_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            assert!(
                c.is_ascii_alphanumeric() || c == '_' || c == ' ',
                "jsonschema: `{text}` has a character a pattern would need to escape"
            );
            if c.is_ascii_alphabetic() {
                format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
            } else {
                c.to_string()
            }
        })
        .collect()
}
