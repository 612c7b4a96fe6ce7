//! Collations and range types: `collations:` and `range_types:` of a schema.

use super::lowerer::Lowerer;
use crate::model::*;
use crate::yaml::node::Node;
use crate::yaml::sqlcheck::Field;

pub(crate) const COLLATION_KEYS: &[&str] = &[
    "provider",
    "locale",
    "lc_collate",
    "lc_ctype",
    "deterministic",
    "from",
];
/// A collation's `provider`.
pub(crate) const PROVIDER_WORDS: &[&str] = &["icu", "libc"];
pub(crate) const RANGE_KEYS: &[&str] = &[
    "subtype",
    "subtype_opclass",
    "collation",
    "canonical",
    "subtype_diff",
    "multirange_type_name",
];

impl Lowerer<'_> {
    /// `collations: { name: { provider: icu | libc, locale, lc_collate, lc_ctype,
    /// deterministic } }`, or `{ from: existing }`. A libc `locale` sets both `lc_collate` and
    /// `lc_ctype`; ICU takes `locale` alone.
    pub(super) fn collation(&mut self, name: QualName, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, COLLATION_KEYS) else {
            return;
        };
        let text = |l: &mut Self, key: &str| {
            let (n, p) = f.get(key)?;
            l.string(n, &p)
        };
        let provider = match f.get("provider") {
            Some((n, p)) => self.word(n, &p, PROVIDER_WORDS),
            None => Some("libc".to_string()),
        };
        let deterministic = match f.get("deterministic") {
            Some((n, p)) => self.bool(n, &p),
            None => Some(true),
        };
        let locale = text(self, "locale");
        let lc_collate = text(self, "lc_collate");
        let lc_ctype = text(self, "lc_ctype");
        let from = match f.get("from") {
            Some((n, p)) => self.obj_ref(n, &p),
            None => None,
        };
        let (Some(provider), Some(deterministic)) = (provider, deterministic) else {
            return;
        };
        let given = |key: &str| f.get(key).is_some();
        let message = if from.is_some() {
            COLLATION_KEYS
                .iter()
                .find(|k| **k != "from" && given(k))
                .map(|k| {
                    format!("`from` copies an existing collation whole: `{k}` cannot go with it")
                })
        } else if provider == "icu" && (given("lc_collate") || given("lc_ctype")) {
            Some("an ICU collation takes `locale`, not `lc_collate` or `lc_ctype`".to_string())
        } else if provider == "icu" && locale.is_none() {
            Some("an ICU collation needs `locale`".to_string())
        } else if locale.is_some() && (given("lc_collate") || given("lc_ctype")) {
            Some("give either `locale` or `lc_collate` and `lc_ctype`, not both".to_string())
        } else if provider == "libc"
            && locale.is_none()
            && (lc_collate.is_none() || lc_ctype.is_none())
        {
            Some(
                "a libc collation needs `locale`, or both `lc_collate` and `lc_ctype` (or `from`)"
                    .to_string(),
            )
        } else {
            None
        };
        if let Some(message) = message {
            self.error(node, path, format!("collation {name}: {message}"));
            return;
        }
        let def = if provider == "icu" {
            Collation {
                provider,
                locale,
                lc_collate: None,
                lc_ctype: None,
                deterministic,
                from,
            }
        } else {
            Collation {
                provider,
                locale: None,
                lc_collate: lc_collate.or_else(|| locale.clone()),
                lc_ctype: lc_ctype.or(locale),
                deterministic,
                from,
            }
        };
        if self.define(ObjKey::Collation(name.clone()), path, node) {
            self.catalog.collations.insert(name, def);
        }
    }

    /// `range_types: { name: { subtype, subtype_opclass, collation, canonical, subtype_diff,
    /// multirange_type_name } }`; a bare string is the subtype.
    pub(super) fn range_type(&mut self, name: QualName, node: &Node, path: &str) {
        let def = match &node.kind {
            crate::yaml::node::NodeKind::Scalar { .. } => {
                let subtype_path = crate::model::source::child_path(path, "subtype");
                self.record(node, &subtype_path);
                let Some(subtype) = self.checked(node, &subtype_path, Field::TypeName) else {
                    return;
                };
                RangeType {
                    subtype,
                    subtype_opclass: None,
                    collation: None,
                    canonical: None,
                    subtype_diff: None,
                    multirange_type_name: None,
                }
            }
            _ => {
                let Some(def) = self.range_fields(&name, node, path) else {
                    return;
                };
                def
            }
        };
        if self.define(ObjKey::Type(name.clone()), path, node) {
            self.catalog.range_types.insert(name, def);
        }
    }

    fn range_fields(&mut self, name: &QualName, node: &Node, path: &str) -> Option<RangeType> {
        let f = self.fields(node, path, RANGE_KEYS)?;
        let Some((n, p)) = f.get("subtype") else {
            self.error(
                node,
                path,
                format!("range type {name}: missing key `subtype`"),
            );
            return None;
        };
        let subtype = self.checked(n, &p, Field::TypeName)?;
        let function = |l: &mut Self, key: &str| match f.get(key) {
            Some((n, p)) => l.checked(n, &p, Field::FunctionName).map(Some),
            None => Some(None),
        };
        let canonical = function(self, "canonical")?;
        let subtype_diff = function(self, "subtype_diff")?;
        let reference = |l: &mut Self, key: &str| match f.get(key) {
            Some((n, p)) => l.obj_ref(n, &p).map(Some),
            None => Some(None),
        };
        let subtype_opclass = reference(self, "subtype_opclass")?;
        let collation = reference(self, "collation")?;
        let multirange_type_name = match f.get("multirange_type_name") {
            Some((n, p)) => Some(self.string(n, &p)?),
            None => None,
        }
        // PostgreSQL's own choice is not written down: the catalog's model has `None` then.
        .filter(|m| *m != naming::multirange_name(&name.name));
        Some(RangeType {
            subtype,
            subtype_opclass,
            collation,
            canonical,
            subtype_diff,
            multirange_type_name,
        })
    }
}
