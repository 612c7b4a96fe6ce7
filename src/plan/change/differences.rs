//! What an alteration would still change, field by field: for reports that must say what
//! differs, not only that something does (the rehearsal's "the result still differs"). A change
//! that carries the state it finds (`from`) and the state it makes (`to`) is compared field by
//! field on their printed structure, so every kind, present and future, is covered without a
//! table of its own.

use super::kinds::Change;

impl Change {
    /// One line per field whose value differs between the state found and the state wanted:
    /// `identity › options › start: 1 found, 100 wanted`. Empty for a change that carries no
    /// `from` and `to` (a create or a drop says all there is in its kind and object).
    pub fn field_differences(&self) -> Vec<String> {
        let printed = format!("{self:#?}");
        let lines: Vec<&str> = printed.lines().collect();
        let (Some(from), Some(to)) = (field(&lines, "from"), field(&lines, "to")) else {
            return Vec::new();
        };
        let (from, to) = (leaves(&merge_wrappers(from)), leaves(&merge_wrappers(to)));
        if from == to {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (path, value) in &from {
            match to.iter().find(|(p, _)| p == path) {
                Some((_, wanted)) if wanted != value => {
                    out.push(format!("{path}: {value} found, {wanted} wanted"));
                }
                None => out.push(format!("{path}: {value} found, not wanted")),
                Some(_) => {}
            }
        }
        for (path, wanted) in &to {
            if !from.iter().any(|(p, _)| p == path) {
                out.push(format!("{path}: {wanted} wanted, not found"));
            }
        }
        out
    }
}

/// The lines of the variant's field `name` (pretty `Debug`: fields at four spaces), the field's
/// own name cut from the first.
fn field(lines: &[&str], name: &str) -> Option<Vec<String>> {
    let head = format!("    {name}: ");
    let start = lines.iter().position(|l| l.starts_with(&head))?;
    let first = lines[start][head.len()..].to_string();
    let mut block = vec![first.clone()];
    if first.ends_with(['{', '[', '(']) {
        for line in &lines[start + 1..] {
            let line = line.strip_prefix("    ").unwrap_or(line);
            block.push(line.to_string());
            if !line.starts_with(' ') {
                break;
            }
        }
    }
    Some(block)
}

/// `Some(\n    1,\n)` printed back on one line as `Some(1)`: a wrapper of one scalar is part of
/// the value, not a level of the path.
fn merge_wrappers(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let inner = lines.get(i + 1).map(|l| l.trim());
        let close = lines.get(i + 2).map(|l| l.trim());
        if let (true, Some(inner), Some(close @ (")" | "),"))) = (line.ends_with('('), inner, close)
        {
            if !inner.ends_with(['{', '[', '(']) {
                let comma = if close.ends_with(',') { "," } else { "" };
                out.push(format!("{line}{}){comma}", inner.trim_end_matches(',')));
                i += 3;
                continue;
            }
        }
        out.push(line.clone());
        i += 1;
    }
    out
}

/// Each scalar of a printed value with the path of fields leading to it
/// (`identity › options › start`), list items numbered.
fn leaves(block: &[String]) -> Vec<(String, String)> {
    if let [only] = block {
        return vec![(
            "value".into(),
            only.trim().trim_end_matches(',').to_string(),
        )];
    }
    let mut path: Vec<(usize, String)> = Vec::new();
    let mut out = Vec::new();
    let mut items: Vec<usize> = Vec::new();
    for line in block {
        let indent = line.len() - line.trim_start().len();
        let text = line.trim().trim_end_matches(',');
        while path.last().is_some_and(|(i, _)| *i >= indent) {
            path.pop();
        }
        if matches!(text, "}" | "]" | ")" | "") {
            items.truncate(path.len());
            continue;
        }
        let (name, value) = match text.split_once(": ") {
            Some((n, v)) if !n.contains([' ', '"', '(']) => (n.to_string(), v.to_string()),
            // A value's type opening (`Column {`, `Some(`): no field of its own.
            _ if text.ends_with(['{', '[', '(']) => (String::new(), text.to_string()),
            _ => {
                // A list item: numbered within its list.
                items.resize(path.len() + 1, 0);
                items[path.len()] += 1;
                (format!("[{}]", items[path.len()]), text.to_string())
            }
        };
        let opens = value.ends_with(['{', '[', '(']);
        if opens {
            path.push((indent, name));
        } else {
            let mut full: Vec<&str> = path
                .iter()
                .map(|(_, n)| n.as_str())
                .filter(|n| !n.is_empty())
                .collect();
            full.push(&name);
            let path = full.join(" › ");
            out.push((
                if path.is_empty() {
                    "value".into()
                } else {
                    path
                },
                value,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::model::*;
    use crate::plan::change::{Change, Using};

    fn identity_column(start: i64) -> Column {
        let mut c = Column::new("id", "bigint");
        c.not_null = true;
        c.identity = Some(Box::new(Identity {
            always: true,
            options: SequenceOptions {
                start: Some(start),
                ..SequenceOptions::default()
            },
            sequence: None,
        }));
        c
    }

    /// The hidden case that named nothing: an identity's `START WITH` back to its default.
    #[test]
    fn a_nested_field_is_named_with_its_path() {
        let change = Change::AlterColumn {
            table: QualName::new("public", "t"),
            from: identity_column(1),
            to: identity_column(100),
            using: Using::Implicit,
            using_reverse: Using::Implicit,
            renumber: None,
            renumber_reverse: None,
        };
        assert_eq!(
            change.field_differences(),
            ["identity › options › start: Some(1) found, Some(100) wanted"]
        );
    }

    #[test]
    fn scalars_lists_and_absent_fields() {
        let comment = Change::SetComment {
            target: crate::plan::change::CommentTarget::Table(QualName::new("public", "t")),
            from: None,
            to: Some("hello".into()),
        };
        assert_eq!(
            comment.field_differences(),
            ["value: None found, Some(\"hello\") wanted"]
        );
        let values = Change::AddEnumValues {
            name: QualName::new("public", "e"),
            from: vec!["a".into()],
            to: vec!["a".into(), "b".into()],
        };
        assert_eq!(values.field_differences(), ["[2]: \"b\" wanted, not found"]);
        let create = Change::CreateSchema {
            name: "s".into(),
            schema: Schema::default(),
        };
        assert!(create.field_differences().is_empty());
    }
}
