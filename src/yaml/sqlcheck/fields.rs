//! What each kind of SQL field may hold, checked before any server sees it.
//!
//! The rule is the same for every kind: the text is put where it goes into a statement like the
//! one the renderer writes (a `SELECT` list entry, a `CREATE VIEW … AS`, a function's argument
//! list …), PostgreSQL's parser must read that as exactly one statement of the expected kind,
//! and that statement must equal the one a known-good text gives except at the field's own
//! place. A second statement, a clause added around the field, or a list where one item belongs
//! is then refused with what was found.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

use super::grammar::{self, Mode, Strings};

/// A kind of SQL field, as the YAML has them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field<'a> {
    /// One expression: a check, generated expression, index expression or predicate, policy
    /// `USING`/`WITH CHECK`, trigger `WHEN`, exclusion `WHERE`.
    Expression,
    /// One expression that also stands as a column's or domain's `DEFAULT`.
    Default,
    /// One expression that is also the value of the backfill's `UPDATE … SET column = …`.
    Backfill,
    /// A type name (columns, domains, attributes, sequences).
    TypeName,
    /// A view's query.
    View,
    /// A materialized view's query.
    MaterializedView,
    /// A partitioned table's `PARTITION BY` key.
    PartitionBy,
    /// A partition's bounds (`FOR VALUES …` or `DEFAULT`).
    Bounds,
    /// A function's or procedure's argument list.
    Arguments { procedure: bool },
    /// A function's result type (`SETOF …`, `TABLE (…)` included).
    Returns,
    /// The value of a function's `SET` of a setting written as a list of names (`search_path`).
    ListSetting(&'a str),
    /// A SQL-standard body (`RETURN …` or `BEGIN ATOMIC … END`).
    SqlBody { procedure: bool },
    /// An exclusion constraint's operator (`WITH =`).
    Operator,
    /// An aggregate's argument list (`text`, `float8 ORDER BY anyelement`, `*`).
    AggregateArguments,
    /// The name of a function, optionally schema-qualified (an aggregate's support functions).
    FunctionName,
    /// An operator name, optionally schema-qualified, as `OPERATOR(…)` takes it (an
    /// aggregate's sort operator).
    SortOperator,
    /// The name of a text search template, parser or dictionary, optionally
    /// schema-qualified.
    TextSearchName,
}

/// A statement with a hole for the field: the text before and after it, a text known to fit,
/// the kind of statement it must be, and where in that statement's tree the field lands.
struct Template {
    before: String,
    after: &'static str,
    reference: &'static str,
    statement: &'static str,
    mode: Mode,
    /// Paths (from the statement's node) of what the field itself makes; everything else must
    /// be as the reference text makes it.
    slots: &'static [&'static [&'static str]],
}

impl Template {
    /// The path of `slot` from the top of the statement's tree.
    fn path<'s>(&self, slot: &[&'s str]) -> Vec<&'s str>
    where
        'static: 's,
    {
        std::iter::once(self.statement)
            .chain(slot.iter().copied())
            .collect()
    }

    /// The tree the reference text makes, its slots emptied and positions removed: what every
    /// text in the slot must leave as it is. Kept per thread once read.
    fn expected(&self, strings: Strings) -> Rc<Value> {
        thread_local! {
            static EXPECTED: RefCell<HashMap<(String, Mode, Strings), Rc<Value>>> =
                RefCell::new(HashMap::new());
        }
        let sql = format!("{}{}{}", self.before, self.reference, self.after);
        let key = (sql, self.mode, strings);
        if let Some(v) = EXPECTED.with(|e| e.borrow().get(&key).cloned()) {
            return v;
        }
        let mut tree = grammar::parse(&key.0, self.mode, strings)
            .ok()
            .and_then(|p| p.only_statement())
            .unwrap_or_else(|| panic!("the reference `{}` is one statement", key.0));
        for slot in self.slots {
            grammar::take(&mut tree, &self.path(slot));
        }
        grammar::strip_locations(&mut tree);
        let tree = Rc::new(tree);
        EXPECTED.with(|e| e.borrow_mut().insert(key, tree.clone()));
        tree
    }
}

const TARGET: &[&str] = &["target_list", "0", "node", "ResTarget", "val"];

impl Field<'_> {
    /// What the field must be, as a reader would say it.
    pub(crate) fn allows(&self) -> &'static str {
        match self {
            Field::Expression | Field::Default | Field::Backfill => "one expression",
            Field::TypeName => "one type name",
            Field::View | Field::MaterializedView => "one query (SELECT, VALUES or WITH … SELECT)",
            Field::PartitionBy => "one partition key (RANGE, LIST or HASH (…))",
            Field::Bounds => "one partition bound (FOR VALUES … or DEFAULT)",
            Field::Arguments { .. } => "an argument list",
            Field::Returns => "one result type",
            Field::ListSetting(_) => "a list of names or strings",
            Field::SqlBody { .. } => "one SQL-standard body (RETURN … or BEGIN ATOMIC … END)",
            Field::Operator => "one operator",
            Field::AggregateArguments => "an aggregate's argument list",
            Field::FunctionName => "one function name",
            Field::SortOperator => "one operator name",
            Field::TextSearchName => "one name",
        }
    }

    fn templates(&self) -> Vec<Template> {
        let t = |before: &str, after, reference, statement, slots| Template {
            before: before.to_string(),
            after,
            reference,
            statement,
            mode: Mode::Statements,
            slots,
        };
        // The text is followed by a line break wherever the renderer may put more after it, so
        // that a `--` comment at its end stays a comment of its own.
        let select = t("SELECT ", "\n", "1", "SelectStmt", &[TARGET]);
        // In parentheses as well: a lone expression stays one there (`ALL 1` does not).
        let parenthesized = t("SELECT (", "\n)", "1", "SelectStmt", &[TARGET]);
        match self {
            Field::Expression => vec![select, parenthesized],
            Field::Default => vec![
                select,
                parenthesized,
                // A column's DEFAULT takes a narrower grammar than an expression (`b_expr`): what
                // it leaves over would become more of the column's definition.
                t(
                    "CREATE TABLE t (c int DEFAULT ",
                    "\n)",
                    "1",
                    "CreateStmt",
                    &[&[
                        "table_elts",
                        "0",
                        "node",
                        "ColumnDef",
                        "constraints",
                        "0",
                        "node",
                        "Constraint",
                        "raw_expr",
                    ]],
                ),
            ],
            Field::Backfill => vec![
                select,
                parenthesized,
                t(
                    "UPDATE t SET c = ",
                    "\n WHERE c IS NULL",
                    "1",
                    "UpdateStmt",
                    &[TARGET],
                ),
            ],
            // The type-name grammar's tree is the list of the type's names.
            Field::TypeName => vec![Template {
                mode: Mode::TypeName,
                ..t("", "", "integer", "List", &[&["items"]])
            }],
            Field::View => vec![t(
                "CREATE VIEW v AS\n",
                "\n",
                "SELECT 1",
                "ViewStmt",
                &[&["query"]],
            )],
            Field::MaterializedView => vec![t(
                "CREATE MATERIALIZED VIEW v AS\n",
                "\nWITH DATA",
                "SELECT 1",
                "CreateTableAsStmt",
                &[&["query"]],
            )],
            Field::PartitionBy => vec![t(
                "CREATE TABLE t (a int) PARTITION BY ",
                "\n",
                "LIST (a)",
                "CreateStmt",
                &[&["partspec"]],
            )],
            Field::Bounds => vec![
                t(
                    "CREATE TABLE p PARTITION OF t ",
                    "\n",
                    "DEFAULT",
                    "CreateStmt",
                    &[&["partbound"]],
                ),
                t(
                    "ALTER TABLE t ATTACH PARTITION p ",
                    "\n",
                    "DEFAULT",
                    "AlterTableStmt",
                    &[&[
                        "cmds",
                        "0",
                        "node",
                        "AlterTableCmd",
                        "def",
                        "node",
                        "PartitionCmd",
                        "bound",
                    ]],
                ),
            ],
            Field::Arguments { procedure: false } => vec![t(
                "CREATE FUNCTION f(",
                "\n) RETURNS int LANGUAGE sql AS 'x'",
                "",
                "CreateFunctionStmt",
                &[&["parameters"]],
            )],
            Field::Arguments { procedure: true } => vec![t(
                "CREATE PROCEDURE f(",
                "\n) LANGUAGE sql AS 'x'",
                "",
                "CreateFunctionStmt",
                &[&["parameters"]],
            )],
            // `RETURNS TABLE (…)` makes its columns parameters of the function.
            Field::Returns => vec![t(
                "CREATE FUNCTION f() RETURNS ",
                "\n LANGUAGE sql AS 'x'",
                "int",
                "CreateFunctionStmt",
                &[&["return_type"], &["parameters"]],
            )],
            Field::ListSetting(name) => vec![t(
                &format!(
                    "CREATE FUNCTION f() RETURNS int LANGUAGE sql SET {} TO ",
                    crate::model::quote::ident(name)
                ),
                "\n AS 'x'",
                "public",
                "CreateFunctionStmt",
                &[&[
                    "options",
                    "1",
                    "node",
                    "DefElem",
                    "arg",
                    "node",
                    "VariableSetStmt",
                    "args",
                ]],
            )],
            Field::SqlBody { procedure: false } => vec![t(
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n",
                "\n",
                "RETURN 1",
                "CreateFunctionStmt",
                &[&["sql_body"]],
            )],
            Field::SqlBody { procedure: true } => vec![t(
                "CREATE PROCEDURE f() LANGUAGE sql\n",
                "\n",
                "BEGIN ATOMIC END",
                "CreateFunctionStmt",
                &[&["sql_body"]],
            )],
            Field::Operator => vec![t(
                "ALTER TABLE t ADD EXCLUDE USING gist (c WITH ",
                "\n)",
                "=",
                "AlterTableStmt",
                &[&[
                    "cmds",
                    "0",
                    "node",
                    "AlterTableCmd",
                    "def",
                    "node",
                    "Constraint",
                    "exclusions",
                    "0",
                    "node",
                    "List",
                    "items",
                    "1",
                ]],
            )],
            Field::AggregateArguments | Field::FunctionName | Field::SortOperator => {
                self.aggregate_templates()
            }
            // Where the renderer writes a template or parser, and a dictionary of a mapping.
            Field::TextSearchName => vec![
                t(
                    "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = ",
                    "\n)",
                    "simple",
                    "DefineStmt",
                    &[&["definition", "0", "node", "DefElem", "arg"]],
                ),
                t(
                    "ALTER TEXT SEARCH CONFIGURATION c ALTER MAPPING FOR a WITH ",
                    "\n",
                    "simple",
                    "AlterTsconfigurationStmt",
                    &[&["dicts", "0"]],
                ),
            ],
        }
    }

    /// The templates of an aggregate's fields, written into `CREATE AGGREGATE` as the renderer
    /// writes it.
    fn aggregate_templates(&self) -> Vec<Template> {
        let t = |before: &str, after, reference, statement, slots| Template {
            before: before.to_string(),
            after,
            reference,
            statement,
            mode: Mode::Statements,
            slots,
        };
        match self {
            Field::AggregateArguments => vec![t(
                "CREATE AGGREGATE a(",
                "\n) (SFUNC = f, STYPE = int)",
                "int",
                "DefineStmt",
                &[&["args"]],
            )],
            // Where the renderer writes it, and where only a function's name (no argument
            // list, no type modifiers or array bounds) is a function.
            Field::FunctionName => vec![
                t(
                    "CREATE AGGREGATE a(int) (SFUNC = ",
                    "\n, STYPE = int)",
                    "f",
                    "DefineStmt",
                    &[&["definition", "0", "node", "DefElem", "arg"]],
                ),
                t(
                    "DROP FUNCTION ",
                    "\n",
                    "f",
                    "DropStmt",
                    &[&["objects", "0", "node", "ObjectWithArgs", "objname"]],
                ),
            ],
            Field::SortOperator => vec![t(
                "CREATE AGGREGATE a(int) (SFUNC = f, STYPE = int, SORTOP = OPERATOR(",
                "\n))",
                ">",
                "DefineStmt",
                &[&["definition", "2", "node", "DefElem", "arg"]],
            )],
            _ => Vec::new(),
        }
    }

    /// Whether `;` belongs in the field (between the statements of a `BEGIN ATOMIC` body).
    fn takes_statements(&self) -> bool {
        matches!(self, Field::SqlBody { .. })
    }

    /// Whether the field is read as data: no statement inside it may write.
    fn reads_only(&self) -> bool {
        matches!(
            self,
            Field::Expression
                | Field::Default
                | Field::Backfill
                | Field::View
                | Field::MaterializedView
                | Field::PartitionBy
                | Field::Bounds
        )
    }
}

/// Checks `text` as `field`; the error says what was found instead.
pub(crate) fn check(field: Field<'_>, text: &str) -> Result<(), String> {
    let allows = field.allows();
    if text.contains('\0') {
        return Err(format!(
            "{allows} is allowed, and the text holds a NUL character"
        ));
    }
    let tokens = grammar::tokens(text).map_err(|e| format!("not {allows}: {e}"))?;
    if !field.takes_statements() {
        let pieces = grammar::pieces(text, &tokens);
        if pieces.len() > 1 || grammar::has_semicolon(&tokens) {
            return Err(statements_found(
                allows,
                pieces.iter().map(|&(a, b)| &text[a..b]).collect(),
            ));
        }
    }
    for template in field.templates() {
        for &strings in Strings::of(text) {
            fits(&template, text, strings, field).map_err(|e| match strings {
                Strings::Standard => e,
                Strings::Escaped => format!(
                    "{e} (when standard_conforming_strings is off, as a server may have it: write a backslash in a string as E'\\\\')"
                ),
            })?;
        }
    }
    Ok(())
}

/// "3 statements where one expression is allowed (the second is COPY, the third is CREATE
/// TABLE)"; `pieces` are the statements' texts.
fn statements_found(allows: &str, pieces: Vec<&str>) -> String {
    if pieces.len() < 2 {
        return format!("{allows} is allowed, and `;` ends a statement");
    }
    let rest: Vec<String> = pieces[1..]
        .iter()
        .enumerate()
        .map(|(i, p)| format!("the {} is {}", ordinal(i + 2), grammar::head(p)))
        .collect();
    format!(
        "{} statements where {allows} is allowed ({})",
        pieces.len(),
        rest.join(", ")
    )
}

fn ordinal(n: usize) -> String {
    match n {
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        5 => "fifth".into(),
        n => format!("{n}th"),
    }
}

/// Checks that `text` in `template` is one statement of the template's kind, equal to the
/// reference's except where the field lands.
fn fits(template: &Template, text: &str, strings: Strings, field: Field<'_>) -> Result<(), String> {
    let allows = field.allows();
    let sql = format!("{}{text}{}", template.before, template.after);
    let parsed = match (grammar::parse(&sql, template.mode, strings), strings) {
        (Ok(parsed), _) => parsed,
        (Err(e), Strings::Standard) => return Err(format!("not {allows}: {e}")),
        // A server reading backslashes as escapes cannot read the statement at all (`'\x00'`,
        // `'\u0000'` in a pattern): it refuses the whole query string before running any of
        // it. Only a reading that succeeds must be one statement too.
        (Err(_), Strings::Escaped) => return Ok(()),
    };
    let ranges = parsed.ranges();
    if ranges.len() != 1 {
        let pieces = ranges.iter().map(|&(a, b)| &sql[a..b]).collect();
        return Err(statements_found(allows, pieces));
    }
    let mut found = parsed.only_statement().unwrap_or(Value::Null);
    if grammar::kind(&found) != Some(template.statement) {
        let (a, b) = ranges[0];
        return Err(format!(
            "{allows} is allowed, and the text makes the statement it goes into a {}",
            grammar::head(&sql[a..b])
        ));
    }
    let mut own = Vec::new();
    for slot in template.slots {
        own.push(grammar::take(&mut found, &template.path(slot)).unwrap_or(Value::Null));
    }
    grammar::strip_locations(&mut found);
    let expected = template.expected(strings);
    if let Some(at) = grammar::first_difference(&found, &expected) {
        let at = at
            .strip_prefix(template.statement)
            .map(|s| s.trim_start_matches('.'))
            .unwrap_or(&at);
        return Err(format!(
            "{allows} is allowed, and the text reaches past it into the statement it is written into (it sets `{at}` there)"
        ));
    }
    if field.reads_only() {
        for part in &own {
            if let Some(kind) = grammar::find_kind(
                part,
                &["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"],
            ) {
                let word = kind.trim_end_matches("Stmt").to_ascii_uppercase();
                return Err(format!(
                    "{allows} is allowed, and the text holds {word} (a statement that writes)"
                ));
            }
            if grammar::has_select_into(part) {
                return Err(format!(
                    "{allows} is allowed, and the text holds SELECT … INTO (which creates a table)"
                ));
            }
        }
    }
    Ok(())
}
