//! Aggregates (`aggregates:` of a schema). The key is the name with the argument list
//! (`group_concat(text)`, `first_of(float8 ORDER BY text)`), or the name alone with
//! `arguments:`.

use super::lowerer::Lowerer;
use crate::model::*;
use crate::sqltext::tokenize::{Kind, tokenize};
use crate::yaml::node::Node;
use crate::yaml::sqlcheck::Field;

pub(crate) const AGGREGATE_KEYS: &[&str] = &[
    "arguments",
    "sfunc",
    "stype",
    "sspace",
    "finalfunc",
    "finalfunc_extra",
    "finalfunc_modify",
    "combinefunc",
    "serialfunc",
    "deserialfunc",
    "initcond",
    "msfunc",
    "minvfunc",
    "mstype",
    "msspace",
    "mfinalfunc",
    "mfinalfunc_extra",
    "mfinalfunc_modify",
    "minitcond",
    "sortop",
    "parallel",
    "hypothetical",
    "comment",
];
/// `finalfunc_modify` and `mfinalfunc_modify`, as `word` compares them (`_` read as a space):
/// PostgreSQL's READ_ONLY, SHAREABLE and READ_WRITE, which `inspect` writes lowercased.
pub(crate) const FINAL_MODIFY_WORDS: &[&str] = &["read only", "shareable", "read write"];

/// Whether an argument list has `ORDER BY` (an ordered-set aggregate's).
fn has_order_by(arguments: &str) -> bool {
    let words: Vec<String> = tokenize(arguments)
        .iter()
        .filter(|t| !t.is_trivia())
        .map(|t| match t.kind {
            Kind::Word => t.text(arguments).to_ascii_lowercase(),
            _ => String::new(),
        })
        .collect();
    words.windows(2).any(|w| w[0] == "order" && w[1] == "by")
}

impl Lowerer<'_> {
    pub(super) fn aggregate(&mut self, schema: &str, key: &str, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, AGGREGATE_KEYS) else {
            return;
        };
        let (name, key_args) = match key.split_once('(') {
            Some((name, rest)) => match rest.trim_end().strip_suffix(')') {
                Some(args) => (name.trim(), Some(args.trim().to_string())),
                None => {
                    self.error(
                        node,
                        path,
                        format!("`{key}`: an argument list in the name must end with `)`"),
                    );
                    return;
                }
            },
            None => (key, None),
        };
        let arguments = match (f.get("arguments"), key_args) {
            (Some((n, p)), None) => self.checked(n, &p, Field::AggregateArguments),
            (None, Some(args)) => {
                self.check_text(node, path, Field::AggregateArguments, &args);
                Some(args)
            }
            (Some((n, p)), Some(_)) => {
                self.error(
                    n,
                    &p,
                    "the key already gives the argument list: leave `arguments` out",
                );
                None
            }
            (None, None) => {
                self.error(
                    node,
                    path,
                    format!(
                        "`{key}`: an aggregate needs its argument list, in the key (`{key}(text)`) or as `arguments`"
                    ),
                );
                None
            }
        };
        let Some(arguments) = arguments else { return };
        let mut a = Aggregate {
            kind: if has_order_by(&arguments) {
                AggregateKind::OrderedSet
            } else {
                AggregateKind::Normal
            },
            arguments,
            comment: self.comment_field(&f),
            ..Aggregate::default()
        };
        match (f.get("sfunc"), f.get("stype")) {
            (Some((sn, sp)), Some((tn, tp))) => {
                a.sfunc = self
                    .checked(sn, &sp, Field::FunctionName)
                    .unwrap_or_default();
                a.stype = self.checked(tn, &tp, Field::TypeName).unwrap_or_default();
            }
            _ => self.error(
                node,
                path,
                "an aggregate needs `sfunc` (its state transition function) and `stype` (its state type)",
            ),
        }
        for (key, slot) in [
            ("finalfunc", &mut a.finalfunc),
            ("combinefunc", &mut a.combinefunc),
            ("serialfunc", &mut a.serialfunc),
            ("deserialfunc", &mut a.deserialfunc),
            ("msfunc", &mut a.msfunc),
            ("minvfunc", &mut a.minvfunc),
            ("mfinalfunc", &mut a.mfinalfunc),
        ] {
            if let Some((n, p)) = f.get(key) {
                *slot = self.checked(n, &p, Field::FunctionName);
            }
        }
        if let Some((n, p)) = f.get("mstype") {
            a.mstype = self.checked(n, &p, Field::TypeName);
        }
        if let Some((n, p)) = f.get("sortop") {
            a.sortop = self.checked(n, &p, Field::SortOperator);
        }
        // Initial conditions are values, written as string literals.
        for (key, slot) in [
            ("initcond", &mut a.initcond),
            ("minitcond", &mut a.minitcond),
        ] {
            if let Some((n, p)) = f.get(key) {
                *slot = self.string(n, &p);
            }
        }
        for (key, slot) in [("sspace", &mut a.sspace), ("msspace", &mut a.msspace)] {
            if let Some((n, p)) = f.get(key) {
                match self.int(n, &p).map(i32::try_from) {
                    Some(Ok(v)) if v > 0 => *slot = Some(v),
                    Some(_) => self.error(n, &p, "expected a positive number of bytes"),
                    None => {}
                }
            }
        }
        for (key, slot) in [
            ("finalfunc_extra", &mut a.finalfunc_extra),
            ("mfinalfunc_extra", &mut a.mfinalfunc_extra),
        ] {
            if let Some((n, p)) = f.get(key) {
                *slot = self.bool(n, &p).unwrap_or(false);
            }
        }
        if let Some((n, p)) = f.get("hypothetical") {
            if self.bool(n, &p) == Some(true) {
                if a.kind != AggregateKind::OrderedSet {
                    self.error(
                        n,
                        &p,
                        "a hypothetical-set aggregate takes its aggregated arguments after `ORDER BY`",
                    );
                }
                a.kind = AggregateKind::Hypothetical;
            }
        }
        for (key, slot) in [
            ("finalfunc_modify", &mut a.finalfunc_modify),
            ("mfinalfunc_modify", &mut a.mfinalfunc_modify),
        ] {
            if let Some((n, p)) = f.get(key) {
                *slot = match self.word(n, &p, FINAL_MODIFY_WORDS).as_deref() {
                    Some("read only") => Some(FinalModify::ReadOnly),
                    Some("shareable") => Some(FinalModify::Shareable),
                    Some("read write") => Some(FinalModify::ReadWrite),
                    _ => None,
                };
            }
        }
        if let Some((n, p)) = f.get("parallel") {
            a.parallel = match self
                .word(n, &p, super::functions::PARALLEL_WORDS)
                .as_deref()
            {
                Some("safe") => Parallel::Safe,
                Some("restricted") => Parallel::Restricted,
                _ => Parallel::Unsafe,
            };
        }
        let id = FunctionId {
            name: QualName::new(schema, name),
            args: a.arguments.clone(),
        };
        if self.define(ObjKey::Function(id.clone()), path, node) {
            self.catalog.aggregates.insert(id, a);
        }
    }
}
