//! Functions, procedures and triggers (a trigger names its function, resolved once every
//! function is known).

use std::collections::BTreeMap;

use super::lowerer::Lowerer;
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::{self, Field};

pub(crate) const FUNCTION_KEYS: &[&str] = &[
    "arguments",
    "returns",
    "language",
    "volatility",
    "strict",
    "security",
    "leakproof",
    "parallel",
    "cost",
    "rows",
    "set",
    "body",
    "sql_body",
    "comment",
    "grants",
];
pub(crate) const TRIGGER_KEYS: &[&str] = &[
    "timing",
    "events",
    "update_of",
    "for_each",
    "when",
    "function",
    "arguments",
    "referencing",
    "constraint",
    "deferrable",
    "initially_deferred",
    "enabled",
    "comment",
];
pub(crate) const REFERENCING_KEYS: &[&str] = &["old_table", "new_table"];
pub(crate) const VOLATILITY_WORDS: &[&str] = &["immutable", "stable", "volatile"];
/// `parallel` of a function or an aggregate.
pub(crate) const PARALLEL_WORDS: &[&str] = &["safe", "restricted", "unsafe"];
pub(crate) const SECURITY_WORDS: &[&str] = &["definer", "invoker"];
/// A trigger's `timing`, `for_each` and `enabled` (`true` and `false` may also be booleans).
pub(crate) const TIMING_WORDS: &[&str] = &["before", "after", "instead of"];
pub(crate) const FOR_EACH_WORDS: &[&str] = &["row", "statement"];
pub(crate) const ENABLED_WORDS: &[&str] = &["true", "false", "replica", "always"];
/// A trigger's `events`, in PostgreSQL's order (each compared without regard to case).
pub(crate) const TRIGGER_EVENTS: &[&str] = &["insert", "update", "delete", "truncate"];

impl Lowerer<'_> {
    /// A table's `triggers:`.
    pub(super) fn table_triggers(&mut self, name: &QualName, table: &mut Table, n: &Node, p: &str) {
        table.triggers = self.triggers(name, n, p);
    }

    /// `triggers:` of a table or a view.
    pub(super) fn triggers(
        &mut self,
        name: &QualName,
        n: &Node,
        p: &str,
    ) -> std::collections::BTreeMap<String, Trigger> {
        let mut out = std::collections::BTreeMap::new();
        for (tname, spec, tp) in self.named(n, p) {
            if let Some(trigger) = self.trigger(spec, &tp) {
                let key = ObjKey::Trigger(name.clone(), tname.to_string());
                self.sources.objects.entry(key).or_insert(tp);
                out.insert(tname.to_string(), trigger);
            }
        }
        out
    }

    /// A function or procedure. The key is its name, or its name with the argument list
    /// (`add(a integer, b integer)`), which tells overloads apart and stands for `arguments`.
    pub(super) fn function(
        &mut self,
        schema: &str,
        key: &str,
        kind: RoutineKind,
        node: &Node,
        path: &str,
    ) {
        let Some(f) = self.fields(node, path, FUNCTION_KEYS) else {
            return;
        };
        let (name, key_args) = match key.split_once('(') {
            Some((name, rest)) => {
                let Some(args) = rest.trim_end().strip_suffix(')') else {
                    self.error(
                        node,
                        path,
                        format!("`{key}`: an argument list in the name must end with `)`"),
                    );
                    return;
                };
                (name.trim(), Some(args.trim().to_string()))
            }
            None => (key, None),
        };
        let procedure = kind == RoutineKind::Procedure;
        let arguments = match f.get("arguments") {
            Some((n, p)) => {
                let arguments = self.optional_string(n, &p).unwrap_or_default();
                self.check_text(n, &p, Field::Arguments { procedure }, arguments.trim());
                arguments
            }
            None => {
                let arguments = key_args.unwrap_or_default();
                self.check_text(node, path, Field::Arguments { procedure }, arguments.trim());
                arguments
            }
        };
        let mut function = Function {
            kind,
            arguments: arguments.trim().to_string(),
            returns: None,
            language: "sql".into(),
            volatility: Volatility::Volatile,
            strict: false,
            security_definer: false,
            leakproof: false,
            parallel: Parallel::Unsafe,
            cost: None,
            rows: None,
            settings: BTreeMap::new(),
            body: String::new(),
            sql_body: false,
            comment: self.comment_field(&f),
            grants: Grants::new(),
        };
        if let Some((n, p)) = f.get("grants") {
            function.grants = self.grants(n, &p, &[Privilege::Execute], "a function");
            if function.grants.contains_key(crate::model::PUBLIC_ROLE) {
                self.error(
                    n,
                    &p,
                    "PUBLIC may run every function unless that is revoked: EXECUTE for `public` is not managed",
                );
            }
        }
        match (f.get("returns"), kind) {
            (Some((n, p)), RoutineKind::Function) => {
                function.returns = self.checked(n, &p, Field::Returns)
            }
            (None, RoutineKind::Function) => self.error(
                node,
                path,
                "missing key `returns` (a function's result type)",
            ),
            (Some((n, p)), RoutineKind::Procedure) => {
                self.error(n, &p, "a procedure returns nothing: it takes no `returns`")
            }
            (None, RoutineKind::Procedure) => {}
        }
        if let Some((n, p)) = f.get("language") {
            if let Some(l) = self.sql(n, &p) {
                function.language = l.to_ascii_lowercase();
            }
        }
        if let Some((n, p)) = f.get("volatility") {
            function.volatility = match self.word(n, &p, VOLATILITY_WORDS).as_deref() {
                Some("immutable") => Volatility::Immutable,
                Some("stable") => Volatility::Stable,
                _ => Volatility::Volatile,
            };
        }
        if let Some((n, p)) = f.get("parallel") {
            function.parallel = match self.word(n, &p, PARALLEL_WORDS).as_deref() {
                Some("safe") => Parallel::Safe,
                Some("restricted") => Parallel::Restricted,
                _ => Parallel::Unsafe,
            };
        }
        if let Some((n, p)) = f.get("security") {
            function.security_definer =
                self.word(n, &p, SECURITY_WORDS).as_deref() == Some("definer");
        }
        for (key, slot) in [
            ("strict", &mut function.strict),
            ("leakproof", &mut function.leakproof),
        ] {
            if let Some((n, p)) = f.get(key) {
                *slot = self.bool(n, &p).unwrap_or(false);
            }
        }
        for (key, slot) in [("cost", &mut function.cost), ("rows", &mut function.rows)] {
            if let Some((n, p)) = f.get(key) {
                match self.string(n, &p) {
                    Some(v) if v.trim().parse::<f64>().is_ok_and(|x| x > 0.0) => {
                        *slot = Some(v.trim().to_string())
                    }
                    Some(_) => self.error(n, &p, "expected a positive number"),
                    None => {}
                }
            }
        }
        if let Some((n, p)) = f.get("set") {
            function.settings = self.options(n, &p);
            // The others are written as string literals; these as they stand.
            for (setting, value) in &function.settings {
                if crate::plan::render::LIST_SETTINGS.contains(&setting.as_str()) {
                    if let Err(message) = sqlcheck::check(Field::ListSetting(setting), value) {
                        let at = crate::model::source::child_path(&p, setting);
                        self.diags.push(self.sources.diagnostic(&at, message));
                    }
                }
            }
        }
        // The body is kept exactly as written (not trimmed): it is what PostgreSQL stores.
        match (f.get("body"), f.get("sql_body")) {
            (Some((n, p)), None) => function.body = self.string(n, &p).unwrap_or_default(),
            (None, Some((n, p))) => {
                function.body = self
                    .checked(n, &p, Field::SqlBody { procedure })
                    .unwrap_or_default();
                function.sql_body = true;
            }
            (Some(_), Some((n, p))) => {
                self.error(n, &p, "give either `body` or `sql_body`, not both")
            }
            (None, None) => self.error(node, path, "missing key `body`"),
        }
        let id = FunctionId {
            name: QualName::new(schema, name),
            args: crate::sqltext::body::without_defaults(&function.arguments),
        };
        if self.define(ObjKey::Function(id.clone()), path, node) {
            self.catalog.functions.insert(id, function);
        }
    }

    pub(super) fn trigger(&mut self, node: &Node, path: &str) -> Option<Trigger> {
        let f = self.fields(node, path, TRIGGER_KEYS)?;
        let mut trigger = Trigger {
            timing: TriggerTiming::After,
            events: Vec::new(),
            update_of: Vec::new(),
            for_each_row: false,
            when: None,
            function: QualName::new("", ""),
            arguments: Vec::new(),
            old_table: None,
            new_table: None,
            constraint: false,
            deferrable: false,
            initially_deferred: false,
            enabled: TriggerEnabled::Origin,
            comment: self.comment_field(&f),
        };
        match f.get("timing") {
            Some((n, p)) => {
                trigger.timing = match self.word(n, &p, TIMING_WORDS)?.as_str() {
                    "before" => TriggerTiming::Before,
                    "instead of" => TriggerTiming::InsteadOf,
                    _ => TriggerTiming::After,
                }
            }
            None => self.error(
                node,
                path,
                "missing key `timing` (before, after, instead of)",
            ),
        }
        match f.get("events") {
            Some((n, p)) => {
                let listed = self.names(n, &p)?;
                for e in &listed {
                    let e = e.trim().to_ascii_lowercase();
                    if !TRIGGER_EVENTS.contains(&e.as_str()) {
                        self.error(
                            n,
                            &p,
                            format!("`{e}` is not one of: {}", TRIGGER_EVENTS.join(", ")),
                        );
                        return None;
                    }
                }
                // PostgreSQL keeps events as bits: the order written does not matter.
                trigger.events = TRIGGER_EVENTS
                    .iter()
                    .filter(|e| listed.iter().any(|l| l.trim().eq_ignore_ascii_case(e)))
                    .map(|e| e.to_string())
                    .collect();
            }
            None => self.error(node, path, "missing key `events`"),
        }
        if let Some((n, p)) = f.get("update_of") {
            trigger.update_of = self.names(n, &p)?;
            if !trigger.events.iter().any(|e| e == "update") {
                self.error(n, &p, "`update_of` needs `update` among the events");
            }
        }
        if let Some((n, p)) = f.get("for_each") {
            trigger.for_each_row = self.word(n, &p, FOR_EACH_WORDS)? == "row";
        }
        if let Some((n, p)) = f.get("when") {
            trigger.when = self.expr(n, &p, Field::Expression);
        }
        match f.get("function") {
            Some((n, p)) => {
                let text = self.sql(n, &p)?;
                let text = text.trim_end_matches("()").trim();
                trigger.function = match text.split_once('.') {
                    Some((schema, name)) => QualName::new(schema, name),
                    // Resolved once every function is known (see `resolve_trigger_functions`).
                    None => QualName::new("", text),
                };
            }
            None => self.error(node, path, "missing key `function`"),
        }
        if let Some((n, p)) = f.get("arguments") {
            trigger.arguments = self.names(n, &p)?;
        }
        if let Some((n, p)) = f.get("referencing") {
            let r = self.fields(n, &p, REFERENCING_KEYS)?;
            if let Some((n, p)) = r.get("old_table") {
                trigger.old_table = self.optional_string(n, &p);
            }
            if let Some((n, p)) = r.get("new_table") {
                trigger.new_table = self.optional_string(n, &p);
            }
        }
        if let Some((n, p)) = f.get("constraint") {
            trigger.constraint = self.bool(n, &p)?;
        }
        (trigger.deferrable, trigger.initially_deferred) = self.deferral(&f);
        if let Some((n, p)) = f.get("enabled") {
            trigger.enabled = match &n.kind {
                NodeKind::Scalar { text, .. } if text.eq_ignore_ascii_case("true") => {
                    TriggerEnabled::Origin
                }
                NodeKind::Scalar { text, .. } if text.eq_ignore_ascii_case("false") => {
                    TriggerEnabled::Disabled
                }
                _ => match self.word(n, &p, ENABLED_WORDS)?.as_str() {
                    "replica" => TriggerEnabled::Replica,
                    _ => TriggerEnabled::Always,
                },
            };
        }
        Some(trigger)
    }

    /// A trigger's function written without a schema is looked up in the table's schema, then
    /// in `public` (as other names in the YAML are).
    pub(super) fn resolve_trigger_functions(&mut self) {
        let functions: std::collections::BTreeSet<QualName> = self
            .catalog
            .functions
            .keys()
            .map(|f| f.name.clone())
            .collect();
        let tables = self
            .catalog
            .tables
            .iter_mut()
            .map(|(q, t)| (q, &mut t.triggers));
        let views = self
            .catalog
            .views
            .iter_mut()
            .map(|(q, v)| (q, &mut v.triggers));
        for (table, triggers) in tables.chain(views) {
            for trigger in triggers.values_mut() {
                if trigger.function.schema.is_empty() {
                    let own = QualName::new(table.schema.clone(), trigger.function.name.clone());
                    let public = QualName::new("public", trigger.function.name.clone());
                    trigger.function = if !functions.contains(&own) && functions.contains(&public) {
                        public
                    } else {
                        own
                    };
                }
            }
        }
    }
}
