//! PostgreSQL's own grammar, through the `pg_query` crate (libpg_query: the server's scanner and
//! parser compiled as a library): parse trees as JSON values, tokens, and the small operations
//! the checks need on them. A hand-written scanner would have to agree with PostgreSQL on every
//! corner of its lexical rules (nested comments, dollar quotes, `E''` strings, `U&` names); the
//! server's own code agrees by construction.

use pg_query::protobuf::{KeywordKind, ScanToken, Token};
use serde_json::Value;

/// How backslashes in `'…'` strings are read: PostgreSQL's default (`standard_conforming_strings
/// = on`), or as escapes (`off`, which a server, database or role may still set). A field must
/// be what its kind allows both ways, since the server it reaches may read it either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Strings {
    Standard,
    Escaped,
}

impl Strings {
    /// The readings `text` may have: backslashes in strings are what the two differ on, so
    /// text without one reads the same both ways.
    pub(super) fn of(text: &str) -> &'static [Strings] {
        if text.contains('\\') {
            &[Strings::Standard, Strings::Escaped]
        } else {
            &[Strings::Standard]
        }
    }
}

/// Which grammar reads the text: whole statements, or a type name alone (the grammar
/// PostgreSQL's `parse_type`-style functions use).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Mode {
    Statements,
    TypeName,
}

/// The statements of `sql` as PostgreSQL's parser reads them, or its error message.
pub(super) fn parse(sql: &str, mode: Mode, strings: Strings) -> Result<Parsed, String> {
    let mut options = match mode {
        Mode::Statements => pg_query::ParserOptions::DEFAULT,
        Mode::TypeName => pg_query::ParserOptions::TYPE_NAME,
    };
    if strings == Strings::Escaped {
        options |= pg_query::ParserOptions::DISABLE_STANDARD_CONFORMING_STRINGS;
    }
    let result = pg_query::parse(sql, options);
    if strings == Strings::Escaped && result.is_err() {
        // libpg_query sets the reading of strings for a parse and puts it back only when the
        // parse succeeds; its scanner (`tokens`) reads with whatever was left. A parse that
        // succeeds puts the standard reading back.
        let _ = pg_query::parse("SELECT 1", pg_query::ParserOptions::DEFAULT);
    }
    let result = result.map_err(message)?;
    Ok(Parsed {
        tree: result.protobuf,
        len: sql.len(),
    })
}

/// A parse result: the statements, each with the range of the text it was read from.
pub(super) struct Parsed {
    tree: pg_query::protobuf::ParseResult,
    len: usize,
}

impl Parsed {
    /// The byte range of each statement in the text parsed.
    pub(super) fn ranges(&self) -> Vec<(usize, usize)> {
        self.tree
            .stmts
            .iter()
            .map(|s| {
                let start = (s.stmt_location.max(0) as usize).min(self.len);
                // A length of 0 means "to the end of the text".
                let end = match s.stmt_len {
                    0 => self.len,
                    n => (start + n.max(0) as usize).min(self.len),
                };
                (start, end)
            })
            .collect()
    }

    /// The one statement's node as JSON (`{"SelectStmt": {…}}`), when there is one statement.
    pub(super) fn only_statement(&self) -> Option<Value> {
        let [stmt] = self.tree.stmts.as_slice() else {
            return None;
        };
        let node = stmt.stmt.as_ref()?.node.as_ref()?;
        serde_json::to_value(node).ok()
    }
}

/// The tokens of `sql` (comments included), or the scanner's error (an unterminated string,
/// quoted name, dollar quote or comment).
pub(super) fn tokens(sql: &str) -> Result<Vec<ScanToken>, String> {
    // Text with no token at all is answered here: for it the library hands back no token
    // array, which it then reads as a slice (undefined behaviour, an abort in debug builds).
    if sql
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
    {
        return Ok(Vec::new());
    }
    pg_query::scan_tokens(sql).map_err(message)
}

fn message(e: pg_query::Error) -> String {
    match e {
        pg_query::Error::Parse(m) | pg_query::Error::Scan(m) => m,
        other => other.to_string(),
    }
}

fn is_comment(t: &ScanToken) -> bool {
    t.token == Token::SqlComment as i32 || t.token == Token::CComment as i32
}

/// Whether a `;` token is among `tokens`.
pub(super) fn has_semicolon(tokens: &[ScanToken]) -> bool {
    tokens.iter().any(|t| t.token == Token::Ascii59 as i32)
}

/// Byte ranges of `sql` between its `;` tokens (the scanner's: a `;` in a string, name or
/// comment is no token of its own), leaving out pieces that hold only comments or nothing.
pub(super) fn pieces(sql: &str, tokens: &[ScanToken]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut has_token = false;
    for t in tokens {
        if t.token == Token::Ascii59 as i32 {
            if has_token {
                out.push((start, t.start as usize));
            }
            start = t.end as usize;
            has_token = false;
        } else if !is_comment(t) {
            has_token = true;
        }
    }
    if has_token {
        out.push((start, sql.len()));
    }
    out
}

/// How a statement begins, as a reader would name it: its first keyword (`COPY`, `SELECT`),
/// with the keywords after it for `CREATE`, `ALTER` and `DROP` (`CREATE TABLE`, `DROP ROLE`,
/// `CREATE OR REPLACE FUNCTION`), or its first word when it begins with no keyword.
pub(super) fn head(statement: &str) -> String {
    let Ok(tokens) = tokens(statement) else {
        return first_words(statement);
    };
    let mut words = Vec::new();
    for t in tokens.iter().filter(|t| !is_comment(t)) {
        let text = &statement[t.start as usize..t.end as usize];
        let keyword = t.keyword_kind != KeywordKind::NoKeyword as i32;
        if words.is_empty() && !keyword {
            return text.chars().take(40).collect();
        }
        if !keyword || words.len() == 4 {
            break;
        }
        words.push(text.to_ascii_uppercase());
        if !matches!(words[0].as_str(), "CREATE" | "ALTER" | "DROP") {
            break;
        }
    }
    words.join(" ")
}

fn first_words(statement: &str) -> String {
    statement
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name of a node's kind (`SelectStmt`, `CopyStmt`): the one key of its object.
pub(super) fn kind(node: &Value) -> Option<&str> {
    node.as_object()
        .and_then(|o| o.keys().next())
        .map(String::as_str)
}

/// Removes every source position from a tree (`location`, `stmt_location`, `stmt_len` …), so
/// that two trees compare by structure alone.
pub(super) fn strip_locations(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| !k.ends_with("location") && k != "stmt_len");
            for child in map.values_mut() {
                strip_locations(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_locations),
        _ => {}
    }
}

/// Takes the subtree at `path` (object keys and array indexes) out of `v`, leaving `null`.
pub(super) fn take(v: &mut Value, path: &[&str]) -> Option<Value> {
    let mut at = v;
    for step in path {
        at = match at {
            Value::Object(map) => map.get_mut(*step)?,
            Value::Array(items) => items.get_mut(step.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(std::mem::take(at))
}

/// The path of the first place where `a` and `b` differ (`from_clause`,
/// `target_list[0].ResTarget.name`), for saying where a text went beyond its place.
pub(super) fn first_difference(a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                let vb = y.get(k).unwrap_or(&Value::Null);
                if let Some(rest) = first_difference(va, vb) {
                    return Some(join(k, &rest));
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).cloned()
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if let Some(rest) = first_difference(va, vb) {
                    return Some(join(&format!("[{i}]"), &rest));
                }
            }
            (x.len() != y.len()).then(|| format!("[{}]", x.len().min(y.len())))
        }
        _ => (a != b).then(String::new),
    }
}

fn join(step: &str, rest: &str) -> String {
    // The protobuf wrappers (`node`) say nothing to a reader.
    let step = if step == "node" { "" } else { step };
    match (step.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => step.to_string(),
        (false, false) if rest.starts_with('[') => format!("{step}{rest}"),
        (false, false) => format!("{step}.{rest}"),
    }
}

/// The first node of one of `kinds` anywhere in `v`, by its kind's name.
pub(super) fn find_kind<'v>(v: &'v Value, kinds: &[&str]) -> Option<&'v str> {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if kinds.contains(&k.as_str()) {
                    return Some(k.as_str());
                }
                if let Some(found) = find_kind(child, kinds) {
                    return Some(found);
                }
            }
            None
        }
        Value::Array(items) => items.iter().find_map(|i| find_kind(i, kinds)),
        _ => None,
    }
}

/// Whether a `SELECT … INTO` (which creates a table) is anywhere in `v`.
pub(super) fn has_select_into(v: &Value) -> bool {
    match v {
        Value::Object(map) => map
            .iter()
            .any(|(k, child)| (k == "into_clause" && !child.is_null()) || has_select_into(child)),
        Value::Array(items) => items.iter().any(has_select_into),
        _ => false,
    }
}

/// The PL/pgSQL statements of the `DO` block `sql` (its body read by PL/pgSQL's own parser, as
/// the server would run it), with line numbers left out; `None` when `sql` is no `DO` block the
/// parsers read.
pub(super) fn do_block(sql: &str) -> Option<Value> {
    let node = parse(sql, Mode::Statements, Strings::Standard)
        .ok()?
        .only_statement()?;
    let body = node["DoStmt"]["args"]
        .as_array()?
        .iter()
        .map(|a| &a["node"]["DefElem"])
        .find(|d| d["defname"] == "as")?["arg"]["node"]["String"]["sval"]
        .as_str()?;
    // PL/pgSQL's parser reads function bodies: the block becomes one, quoted as a literal.
    let function = format!(
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS {}",
        crate::model::quote::literal(body)
    );
    let mut block = pg_query::parse_plpgsql(&function).ok()?;
    strip_keys(&mut block, &["lineno"]);
    Some(block)
}

fn strip_keys(v: &mut Value, keys: &[&str]) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| !keys.contains(&k.as_str()));
            map.values_mut().for_each(|c| strip_keys(c, keys));
        }
        Value::Array(items) => items.iter_mut().for_each(|c| strip_keys(c, keys)),
        _ => {}
    }
}

/// The SQL texts of the statements a PL/pgSQL tree runs (`PLpgSQL_expr` of `execsql`), in
/// order, each taken out of the tree (left as `null`), so that what remains is the block's shape.
pub(super) fn take_block_statements(v: &mut Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(exec) = map.get_mut("PLpgSQL_stmt_execsql") {
                if let Some(query) = exec
                    .get_mut("sqlstmt")
                    .and_then(|s| s.get_mut("PLpgSQL_expr"))
                    .and_then(|e| e.get_mut("query"))
                {
                    out.push(query.as_str().unwrap_or("").to_string());
                    *query = Value::Null;
                }
            }
            map.values_mut().for_each(|c| take_block_statements(c, out));
        }
        Value::Array(items) => items.iter_mut().for_each(|c| take_block_statements(c, out)),
        _ => {}
    }
}
