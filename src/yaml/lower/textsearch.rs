//! Text search dictionaries and configurations (`text_search_dictionaries:` and
//! `text_search_configurations:` of a schema).

use std::collections::BTreeMap;

use super::lowerer::Lowerer;
use crate::model::*;
use crate::yaml::node::Node;
use crate::yaml::sqlcheck::Field;

pub(crate) const DICTIONARY_KEYS: &[&str] = &["template", "options", "comment"];
pub(crate) const CONFIGURATION_KEYS: &[&str] = &["parser", "mappings", "comment"];

impl Lowerer<'_> {
    pub(super) fn text_search_dictionary(&mut self, name: QualName, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, DICTIONARY_KEYS) else {
            return;
        };
        let Some((n, p)) = f.get("template") else {
            self.error(
                node,
                path,
                format!(
                    "text search dictionary `{name}` needs `template` (simple, snowball, ispell, synonym, thesaurus or one of an extension)"
                ),
            );
            return;
        };
        let template = self.checked(n, &p, Field::TextSearchName);
        let options = match f.get("options") {
            Some((n, p)) => self.options(n, &p),
            None => BTreeMap::new(),
        };
        let comment = self.comment_field(&f);
        let Some(template) = template else { return };
        if self.define(ObjKey::TsDictionary(name.clone()), path, node) {
            self.catalog.text_search_dictionaries.insert(
                name,
                TsDictionary {
                    template,
                    options,
                    comment,
                },
            );
        }
    }

    pub(super) fn text_search_configuration(&mut self, name: QualName, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, CONFIGURATION_KEYS) else {
            return;
        };
        // `default` is a reserved word, which a name elsewhere cannot be: it is written as
        // the catalog prints it.
        let parser = match f.get("parser") {
            Some((n, p)) => match self.string(n, &p) {
                Some(text) if text.trim().eq_ignore_ascii_case("default") => {
                    Some(DEFAULT_TS_PARSER.to_string())
                }
                Some(_) => self.checked(n, &p, Field::TextSearchName),
                None => None,
            },
            None => Some(DEFAULT_TS_PARSER.to_string()),
        };
        let mut mappings = BTreeMap::new();
        match f.get("mappings") {
            Some((n, p)) => {
                for (token, dictionaries, tp) in self.named(n, &p) {
                    let Some(list) = self.names(dictionaries, &tp) else {
                        continue;
                    };
                    if list.is_empty() {
                        self.error(
                            dictionaries,
                            &tp,
                            format!("token type `{token}` needs at least one dictionary (leave the token type out to map it to none)"),
                        );
                        continue;
                    }
                    for d in &list {
                        self.check_text(dictionaries, &tp, Field::TextSearchName, d);
                    }
                    mappings.insert(token.to_string(), list);
                }
            }
            None => self.error(
                node,
                path,
                format!(
                    "text search configuration `{name}` needs `mappings` (token type: [dictionaries]); PostgreSQL does not record a COPY, so write the mappings out (`inspect` prints them)"
                ),
            ),
        }
        let comment = self.comment_field(&f);
        let Some(parser) = parser else { return };
        if self.define(ObjKey::TsConfiguration(name.clone()), path, node) {
            self.catalog.text_search_configurations.insert(
                name,
                TsConfiguration {
                    parser,
                    mappings,
                    comment,
                },
            );
        }
    }
}
