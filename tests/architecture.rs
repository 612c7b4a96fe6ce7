//! The layer rule of ARCHITECTURE.md, checked on every run by reading `src/`.
//!
//! Layers, lowest first; a file may import only from its own layer's folder or from a layer
//! ranked below it, and no two source files may import each other, directly or around a cycle:
//!
//! | rank | layer |
//! | --- | --- |
//! | 0 | `stdx` |
//! | 1 | `model` |
//! | 2 | `sqltext` |
//! | 3 | `plan` |
//! | 4 | `yaml`, `pg` (never each other) |
//! | 5 | `error` |
//! | 6 | `pipeline` |
//! | 7 | `cli` (the binary: `main.rs`, `cli/`) |
//!
//! Also checked: no source file over 1,000 lines and no function over 200 lines.
//!
//! What counts as an import: every path through `crate::`, `super::`, `self::` or (in the
//! binary) `schemaplan::`, and every path through a child module a file declares (`mod x;` then
//! `x::…`). Comments, strings and character literals are skipped. A path is charged to the
//! deepest module file it names, so `crate::plan::diff::Warning` is an import of
//! `plan/diff.rs` (or `plan/diff/mod.rs`), and `crate::plan::Plan` one of `plan/mod.rs`.
//! Declaring a child module is not an import of it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layer rule, written once.
const LAYERS: &[(&str, u8)] = &[
    ("stdx", 0),
    ("model", 1),
    ("sqltext", 2),
    ("plan", 3),
    ("yaml", 4),
    ("pg", 4),
    ("error", 5),
    ("pipeline", 6),
    ("cli", 7),
];

const MAX_FILE_LINES: usize = 1000;
const MAX_FN_LINES: usize = 200;

/// One source file, as a module path (`plan::diff::tables`), with its text.
struct Source {
    /// Module path inside its crate, `""` for a crate root.
    module: String,
    /// `lib` or `bin`: which crate the file belongs to.
    krate: &'static str,
    file: PathBuf,
    text: String,
}

fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let rel = file
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .to_string();
            let krate = if rel == "main.rs" || rel.starts_with("cli/") {
                "bin"
            } else {
                "lib"
            };
            let module = module_of(&rel);
            let text = fs::read_to_string(&file).unwrap();
            Source {
                module,
                krate,
                file: PathBuf::from("src").join(rel),
                text,
            }
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `plan/diff/mod.rs` → `plan::diff`; `lib.rs`, `main.rs` → `""`.
fn module_of(rel: &str) -> String {
    let stem = rel.strip_suffix(".rs").unwrap();
    let stem = stem.strip_suffix("/mod").unwrap_or(stem);
    if stem == "lib" || stem == "main" {
        String::new()
    } else {
        stem.replace('/', "::")
    }
}

fn rank(module: &str) -> Option<(&'static str, u8)> {
    let top = module.split("::").next().unwrap_or("");
    LAYERS
        .iter()
        .find(|(name, _)| *name == top)
        .map(|(name, rank)| (*name, *rank))
}

/// The text with comments, string and character literals blanked out (newlines kept, so line
/// numbers stay right).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, s: &[u8]| {
        for &c in s {
            out.push(if c == b'\n' { '\n' } else { ' ' });
        }
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            let mut j = 0;
            while j < rest.len() {
                if rest[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, &rest[..j]);
            i += j;
        } else if let Some(len) = raw_string_len(rest) {
            blank(&mut out, &rest[..len]);
            i += len;
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            let len = (j + 1).min(rest.len());
            blank(&mut out, &rest[..len]);
            i += len;
        } else if rest[0] == b'\'' {
            // A character literal ('a', '\n', '\u{1f}') or a lifetime ('a).
            let len = char_literal_len(rest);
            blank(&mut out, &rest[..len]);
            i += len.max(1);
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`, `br"…"`) starting here.
fn raw_string_len(s: &[u8]) -> Option<usize> {
    let start = if s.starts_with(b"br") {
        2
    } else if s.starts_with(b"r") {
        1
    } else {
        return None;
    };
    let hashes = s[start..].iter().take_while(|&&c| c == b'#').count();
    if s.get(start + hashes) != Some(&b'"') {
        return None;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let body = start + hashes + 1;
    let end = s[body..]
        .windows(close.len())
        .position(|w| w == close.as_slice())?;
    Some(body + end + close.len())
}

fn char_literal_len(s: &[u8]) -> usize {
    if s.get(1) == Some(&b'\\') {
        let close = s[2..].iter().position(|&c| c == b'\'').map(|p| p + 3);
        return close.unwrap_or(1);
    }
    // 'x' (one UTF-8 character), otherwise a lifetime: keep it.
    let text = std::str::from_utf8(&s[1..]).unwrap_or("");
    match text.chars().next() {
        Some(c) if text[c.len_utf8()..].starts_with('\'') => 1 + c.len_utf8() + 1,
        _ => 0,
    }
}

/// An import: the line it is on and the module path it names (resolved, crate-relative).
struct Import {
    line: usize,
    krate: &'static str,
    path: Vec<String>,
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path a file names through `crate`, `super`, `self`, `schemaplan` or a declared child
/// module, with `use` groups (`a::{b, c::{d}}`) expanded.
fn imports(source: &Source) -> Vec<Import> {
    let code = code_only(&source.text);
    let chars: Vec<char> = code.chars().collect();
    let children: BTreeSet<String> = child_modules(&code);
    // Inline modules (`mod tests { … }`) shift what `super` and `self` mean.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut line = 1;
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
        }
        if c == '{' {
            depth += 1;
        } else if c == '}' {
            depth -= 1;
            if inline.last().is_some_and(|(_, d)| *d == depth) {
                inline.pop();
            }
        }
        if !is_ident(c) || (i > 0 && (is_ident(chars[i - 1]) || chars[i - 1] == ':')) {
            i += 1;
            continue;
        }
        let word_end = (i..chars.len())
            .find(|&j| !is_ident(chars[j]))
            .unwrap_or(chars.len());
        let word: String = chars[i..word_end].iter().collect();
        if word == "mod" {
            // `mod name {` opens an inline module.
            let rest: String = chars[word_end..chars.len().min(word_end + 80)]
                .iter()
                .collect();
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|&c| is_ident(c))
                .collect();
            let after = rest.trim_start()[name.len()..].trim_start();
            if after.starts_with('{') {
                inline.push((name, depth));
            }
            i = word_end;
            continue;
        }
        let rooted = matches!(word.as_str(), "crate" | "super" | "self" | "schemaplan")
            || children.contains(&word);
        let is_path = chars.get(word_end) == Some(&':') && chars.get(word_end + 1) == Some(&':');
        if !rooted || !is_path {
            i = word_end;
            continue;
        }
        let (paths, end) = parse_path(&chars, i);
        let here: Vec<String> = module_segments(&source.module)
            .into_iter()
            .chain(inline.iter().map(|(n, _)| n.clone()))
            .collect();
        for p in paths {
            if let Some((krate, path)) = resolve(source, &here, inline.len(), &children, &p) {
                out.push(Import { line, krate, path });
            }
        }
        // The newlines inside a multi-line `use` group.
        line += chars[i..end].iter().filter(|&&c| c == '\n').count();
        i = end;
    }
    out
}

fn module_segments(module: &str) -> Vec<String> {
    if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").map(String::from).collect()
    }
}

/// `mod x;` declarations of a file (the children whose paths it may name bare).
fn child_modules(code: &str) -> BTreeSet<String> {
    code.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.trim().to_string())
        })
        .collect()
}

/// Reads the path starting at `start` (`crate::a::{b, c::d}`), returning every full path it
/// names (segments up to the first that is not a lowercase identifier) and where it ends.
fn parse_path(chars: &[char], start: usize) -> (Vec<Vec<String>>, usize) {
    let mut i = start;
    let mut prefix: Vec<String> = Vec::new();
    loop {
        let end = (i..chars.len())
            .find(|&j| !is_ident(chars[j]))
            .unwrap_or(chars.len());
        if end > i {
            prefix.push(chars[i..end].iter().collect());
        }
        i = end;
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            i += 2;
            while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                i += 1;
            }
            if chars.get(i) == Some(&'{') {
                let close = matching_brace(chars, i);
                let inner: String = chars[i + 1..close].iter().collect();
                let mut paths = Vec::new();
                for item in split_top_level(&inner) {
                    let item_chars: Vec<char> = item.trim().chars().collect();
                    if item_chars.is_empty() {
                        continue;
                    }
                    let (sub, _) = parse_path(&item_chars, 0);
                    for s in sub {
                        let mut p = prefix.clone();
                        p.extend(s.into_iter().filter(|seg| seg != "self"));
                        paths.push(p);
                    }
                }
                return (paths, close + 1);
            }
            continue;
        }
        // `a::{self, b}` names `a` itself.
        if prefix.len() > 1 && prefix.last().is_some_and(|s| s == "self") {
            prefix.pop();
        }
        return (vec![prefix], i);
    }
}

fn matching_brace(chars: &[char], open: usize) -> usize {
    let mut depth = 0;
    for (j, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    chars.len() - 1
}

fn split_top_level(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// The crate and crate-relative module path a path names, or None when it names nothing of
/// ours (a local binding that happens to share a child module's name cannot: children are
/// modules).
fn resolve(
    source: &Source,
    here: &[String],
    inline_depth: usize,
    children: &BTreeSet<String>,
    path: &[String],
) -> Option<(&'static str, Vec<String>)> {
    let first = path.first()?;
    let rest = &path[1..];
    match first.as_str() {
        "crate" => Some((source.krate, rest.to_vec())),
        "schemaplan" => Some(("lib", rest.to_vec())),
        "self" => Some((source.krate, [here, rest].concat())),
        "super" => {
            let mut base = here.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            Some((source.krate, [base.as_slice(), rest].concat()))
        }
        name if children.contains(name) && inline_depth == 0 => {
            Some((source.krate, [here, path].concat()))
        }
        _ => None,
    }
}

/// The deepest module of `modules` that `path` goes through.
fn charged_to(
    modules: &BTreeMap<(&str, String), usize>,
    krate: &str,
    path: &[String],
) -> Option<usize> {
    (0..=path.len()).rev().find_map(|n| {
        let m = path[..n].join("::");
        modules.get(&(krate, m)).copied()
    })
}

struct Graph {
    sources: Vec<Source>,
    /// (from, to, line) for every import between two different files.
    edges: Vec<(usize, usize, usize)>,
}

fn graph() -> Graph {
    let sources = sources();
    let modules: BTreeMap<(&str, String), usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.krate, s.module.clone()), i))
        .collect();
    let mut edges = Vec::new();
    for (from, source) in sources.iter().enumerate() {
        for import in imports(source) {
            if let Some(to) = charged_to(&modules, import.krate, &import.path) {
                if to != from {
                    edges.push((from, to, import.line));
                }
            }
        }
    }
    Graph { sources, edges }
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let g = graph();
    let mut wrong = Vec::new();
    for &(from, to, line) in &g.edges {
        let a = &g.sources[from];
        let b = &g.sources[to];
        let layer_a = if a.krate == "bin" {
            Some(("cli", 7))
        } else {
            rank(&a.module)
        };
        let Some((name_a, rank_a)) = layer_a else {
            wrong.push(format!(
                "{}: not in any layer (lib.rs holds only the module list)",
                a.file.display()
            ));
            continue;
        };
        if b.module.is_empty() {
            wrong.push(format!(
                "{}:{line}: imports from the crate root",
                a.file.display()
            ));
            continue;
        }
        let Some((name_b, rank_b)) = rank(&b.module) else {
            wrong.push(format!("{}: not in any layer", b.file.display()));
            continue;
        };
        if name_a != name_b && rank_b >= rank_a {
            wrong.push(format!(
                "{}:{line}: `{name_a}` (layer {rank_a}) imports `{}` (`{name_b}`, layer {rank_b})",
                a.file.display(),
                b.module
            ));
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports against the layer rule:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_cycle_among_source_files() {
    let g = graph();
    let n = g.sources.len();
    let mut next: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for &(from, to, _) in &g.edges {
        next[from].insert(to);
    }
    let cycles: Vec<String> = strongly_connected(&next)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let names: Vec<String> = c
                .iter()
                .map(|&i| g.sources[i].file.display().to_string())
                .collect();
            format!("cycle among {} files: {}", c.len(), names.join(", "))
        })
        .collect();
    assert!(cycles.is_empty(), "{}", cycles.join("\n"));
}

/// Tarjan's strongly connected components, iteratively.
fn strongly_connected(next: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    let n = next.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut counter = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, Vec<usize>)> = vec![(root, next[root].iter().copied().collect())];
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some((v, pending)) = work.last_mut() {
            let v = *v;
            if let Some(w) = pending.pop() {
                if index[w] == usize::MAX {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, next[w].iter().copied().collect()));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some((parent, _)) = work.last() {
                low[*parent] = low[*parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort();
                out.push(component);
            }
        }
    }
    out
}

#[test]
fn no_source_file_over_1000_lines_and_no_function_over_200() {
    let mut wrong = Vec::new();
    for source in sources() {
        let lines = source.text.lines().count();
        if lines > MAX_FILE_LINES {
            wrong.push(format!("{}: {lines} lines", source.file.display()));
        }
        for (name, line, length) in functions(&source.text) {
            if length > MAX_FN_LINES {
                wrong.push(format!(
                    "{}:{line}: fn {name} is {length} lines",
                    source.file.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "too long:\n{}", wrong.join("\n"));
}

/// Every function with a body: its name, first line and length in lines.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code = code_only(text);
    let chars: Vec<char> = code.chars().collect();
    let line_at = |index: usize| chars[..index].iter().filter(|&&c| c == '\n').count() + 1;
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < chars.len() {
        let is_fn = chars[i] == 'f'
            && chars[i + 1] == 'n'
            && chars[i + 2].is_whitespace()
            && (i == 0 || !is_ident(chars[i - 1]));
        if !is_fn {
            i += 1;
            continue;
        }
        let name: String = chars[i + 3..]
            .iter()
            .skip_while(|c| c.is_whitespace())
            .take_while(|&&c| is_ident(c))
            .collect();
        // The body opens at the first `{` not inside the signature's parentheses or angle
        // brackets; a `;` first means a declaration without a body.
        let mut j = i + 3;
        let mut parens = 0i32;
        let mut body = None;
        while j < chars.len() {
            match chars[j] {
                '(' | '[' => parens += 1,
                ')' | ']' => parens -= 1,
                ';' if parens == 0 => break,
                '{' if parens == 0 => {
                    body = Some(j);
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        if let Some(open) = body {
            let close = matching_brace(&chars, open);
            out.push((name, line_at(i), line_at(close) - line_at(i) + 1));
        }
        i += 3;
    }
    out
}

#[test]
fn the_checker_sees_imports_it_must_see() {
    // The checker itself must not pass by seeing nothing: the model is imported by the planner,
    // and the planner by the pipeline.
    let g = graph();
    let file = |m: &str| {
        g.sources
            .iter()
            .position(|s| s.krate == "lib" && s.module == m)
            .unwrap_or_else(|| panic!("no module {m}"))
    };
    let imported = |from: &str, to: &str| {
        let (a, b) = (file(from), file(to));
        g.edges.iter().any(|&(x, y, _)| x == a && y == b)
    };
    assert!(imported("pipeline", "model"));
    assert!(g.edges.len() > 100, "only {} imports seen", g.edges.len());
    // A string or comment naming a path is not an import.
    let fake = Source {
        module: "model".into(),
        krate: "lib",
        file: PathBuf::from("src/model/mod.rs"),
        text: "// crate::pg::db\nconst A: &str = \"crate::pg::db\";\nconst B: &str = r#\"crate::pg\"#;\nuse crate::plan::{diff::{self, Warning}, render};\nmod tests { use super::super::pg::x; }\n".into(),
    };
    let paths: Vec<String> = imports(&fake).iter().map(|i| i.path.join("::")).collect();
    assert_eq!(
        paths,
        ["plan::diff", "plan::diff::Warning", "plan::render", "pg::x"]
    );
}
