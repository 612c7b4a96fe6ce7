//! `:name` placeholders in a hook's SQL (`:lo`, `:hi`, the keys of a batch). Pure.

use super::tokenize::{Kind, tokenize};

/// Where `:name` placeholders stand in `sql` (byte ranges, with the name), outside string
/// literals, quoted identifiers, dollar quotes and comments, and not in a `::` cast.
///
/// A placeholder is a `:` right before a word; its name is the word's leading ASCII letters,
/// digits and `_` (so `:lo$x` names `lo`, and `:été` is none). `a[1:2]` slices an array.
pub fn placeholders(sql: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let tokens = tokenize(sql);
    tokens
        .windows(2)
        .filter_map(|pair| {
            let (colon, word) = (pair[0], pair[1]);
            if !colon.is_punct(sql, ":") || word.kind != Kind::Word {
                return None;
            }
            let text = word.text(sql);
            let len = text
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (len > 0).then(|| (colon.start..word.start + len, &text[..len]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sql: &str) -> Vec<&str> {
        placeholders(sql).into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn placeholders_outside_quotes_casts_and_comments() {
        let sql = "SELECT ':lo', \":hi\", x::lo, $$ :lo $$ -- :hi\n FROM t WHERE id BETWEEN :lo AND :hi /* :x */ AND a[1:2] = $1";
        let names: Vec<&str> = placeholders(sql).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, vec!["lo", "hi"]);
    }

    #[test]
    fn ranges_cover_the_colon_and_the_name() {
        let sql = "WHERE id > :lo AND id <= :hi_1;";
        let found = placeholders(sql);
        assert_eq!(found.len(), 2);
        assert_eq!(&sql[found[0].0.clone()], ":lo");
        assert_eq!(&sql[found[1].0.clone()], ":hi_1");
        assert_eq!(names("x=:lo$y"), vec!["lo"]);
        assert_eq!(names("a[x:y] :::z"), vec!["y", "z"]);
        assert_eq!(names(": lo :1 :é :="), Vec::<&str>::new());
    }

    #[test]
    fn no_placeholders_inside_anything_quoted_or_commented() {
        // Nested comments, tagged dollar quotes, E'' strings with escaped quotes, U&'' strings.
        assert_eq!(
            names(
                "/* a /* b */ :lo */ $f$ :lo $$ :hi $f$ E'\\' :lo' U&'\\0041 :hi' \"x\"\":lo\" :hi"
            ),
            vec!["hi"]
        );
        // Unclosed: everything after the opening is inside.
        assert_eq!(names(":lo '  :hi"), vec!["lo"]);
        assert_eq!(names(":lo $q$ :hi"), vec!["lo"]);
        assert_eq!(names(":lo /* :hi"), vec!["lo"]);
        // A dollar right after a word is part of it, so `a$$` opens nothing.
        assert_eq!(names("a$$ :lo"), vec!["lo"]);
    }
}
