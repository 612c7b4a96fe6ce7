//! Connection strings without their secrets, for every message that names one: the password
//! and `sslpassword` are replaced by `***` in URIs (user information and query) and in
//! `keyword = value` strings (quoted or not). Whatever the input, valid or not, nothing panics
//! and a secret in any of those places is hidden; what is not a secret is kept as written.

use super::keywords::is_secret;
use super::params::is_space;

const HIDDEN: &str = "***";

/// How deep a value holding a connection string of its own is looked into
/// (`dbname='postgresql://u:pw@h/db'`).
const MAX_DEPTH: usize = 3;

/// `conninfo` with every password hidden.
pub fn redact(conninfo: &str) -> String {
    redact_at(conninfo, 0)
}

fn redact_at(s: &str, depth: usize) -> String {
    match authority_start(s) {
        Some(start) => redact_uri(s, start, depth),
        None => redact_pairs(s, depth),
    }
}

/// Where the part after `scheme://` starts, when `s` (after leading blanks) is a URI of any
/// scheme: redaction does not depend on whether libpq would accept the string.
fn authority_start(s: &str) -> Option<usize> {
    let lead = s.len() - s.trim_start().len();
    let sep = lead + s[lead..].find("://")?;
    let scheme = &s[lead..sep];
    let plain = !scheme.is_empty() && !scheme.chars().any(|c| c.is_whitespace() || c == '=');
    plain.then_some(sep + 3)
}

/// `scheme://user:password@host/db?password=…`. A password may hold `/`, `?`, `:` or `@`
/// (libpq would misread some of those, but the secret is in the string all the same) and a
/// query value may hold `@`, so the string can be read more than one way: the secrets of
/// every reading are hidden. The user information is taken to end at the last `@` before the
/// `?` that follows the first `@`; the query to start at the first `?`, or at the first `?`
/// after the user information.
fn redact_uri(uri: &str, start: usize, depth: usize) -> String {
    let rest = &uri[start..];
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut after_userinfo = 0;
    if let Some(first_at) = rest.find('@') {
        let query = rest[first_at..]
            .find('?')
            .map_or(rest.len(), |q| first_at + q);
        let at = rest[..query].rfind('@').unwrap_or(first_at);
        if let Some(colon) = rest[..at].find(':') {
            edits.push((start + colon + 1, start + at, HIDDEN.to_string()));
        }
        after_userinfo = at + 1;
    }
    for from in [0, after_userinfo] {
        if let Some(q) = rest[from..].find('?') {
            query_edits(uri, start + from + q + 1, depth, &mut edits);
        }
    }
    apply(uri, edits)
}

/// The edits hiding the secrets of the query starting at `from`: `key=value` parts separated
/// by `&`, keys compared after percent-decoding.
fn query_edits(uri: &str, from: usize, depth: usize, edits: &mut Vec<(usize, usize, String)>) {
    let mut pos = from;
    for part in uri[from..].split('&') {
        if let Some((key, value)) = part.split_once('=') {
            let value_from = pos + key.len() + 1;
            let value_to = value_from + value.len();
            if is_secret(&decode_lossy(key)) {
                edits.push((value_from, value_to, HIDDEN.to_string()));
            } else if let Some(redacted) = redact_nested(&decode_lossy(value), depth) {
                edits.push((value_from, value_to, encode(&redacted)));
            }
        }
        pos += part.len() + 1;
    }
}

/// `s` with each byte range of `edits` replaced by its text; overlapping edits become one
/// hidden range.
fn apply(s: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort();
    edits.dedup();
    let mut merged: Vec<(usize, usize, String)> = Vec::new();
    for (from, to, text) in edits {
        match merged.last_mut() {
            Some(last) if from < last.1 || (from == last.0 && to == last.1) => {
                last.1 = last.1.max(to);
                last.2 = HIDDEN.to_string();
            }
            _ => merged.push((from, to, text)),
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut pos = 0;
    for (from, to, text) in merged {
        out.push_str(&s[pos..from]);
        out.push_str(&text);
        pos = to;
    }
    out.push_str(&s[pos..]);
    out
}

/// `value` redacted, when it looks like a connection string and redacting changes it.
fn redact_nested(value: &str, depth: usize) -> Option<String> {
    if depth >= MAX_DEPTH || !(value.contains("://") || value.contains('=')) {
        return None;
    }
    let redacted = redact_at(value, depth + 1);
    (redacted != value).then_some(redacted)
}

/// `keyword = value` pairs, read as libpq reads them but without ever failing: a value may be
/// quoted (an unterminated quote runs to the end), a backslash escapes the next character, and
/// a word without `=` after a secret keyword is taken for its value.
fn redact_pairs(s: &str, depth: usize) -> String {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let n = chars.len();
    let at = |i: usize| chars.get(i).map_or(s.len(), |&(p, _)| p);
    let blank = |i: usize| chars.get(i).is_some_and(|&(_, c)| is_space(c));
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut secret_pending = false;
    while i < n {
        let from = i;
        while blank(i) {
            i += 1;
        }
        out.push_str(&s[at(from)..at(i)]);
        if i == n {
            break;
        }
        // A URI among the pairs (libpq would refuse the string; it is shown all the same).
        let mut token_end = i;
        while token_end < n && !blank(token_end) {
            token_end += 1;
        }
        let token = &s[at(i)..at(token_end)];
        if !secret_pending
            && token
                .find("://")
                .is_some_and(|sep| !token[..sep].contains('='))
        {
            if depth < MAX_DEPTH {
                out.push_str(&redact_at(token, depth + 1));
            } else {
                out.push_str(HIDDEN);
            }
            i = token_end;
            continue;
        }
        let key_from = i;
        while i < n && chars[i].1 != '=' && !blank(i) {
            i += 1;
        }
        let key = &s[at(key_from)..at(i)];
        let gap = i;
        while blank(i) {
            i += 1;
        }
        if i < n && chars[i].1 == '=' {
            i += 1;
            while blank(i) {
                i += 1;
            }
            out.push_str(&s[at(key_from)..at(i)]);
            let (end, value) = scan_value(&chars, i);
            let raw = &s[at(i)..at(end)];
            if secret_pending || is_secret(key) {
                out.push_str(HIDDEN);
            } else {
                match redact_nested(&value, depth) {
                    Some(redacted) => out.push_str(&quote(&redacted)),
                    None => out.push_str(raw),
                }
            }
            secret_pending = false;
            i = end;
        } else {
            if secret_pending {
                out.push_str(HIDDEN);
            } else {
                match redact_nested(key, depth) {
                    Some(redacted) => out.push_str(&redacted),
                    None => out.push_str(key),
                }
            }
            secret_pending = is_secret(key);
            i = gap;
        }
    }
    out
}

/// The value starting at `i`: where it ends, and its text without quotes and escapes.
fn scan_value(chars: &[(usize, char)], mut i: usize) -> (usize, String) {
    let mut value = String::new();
    let quoted = chars.get(i).is_some_and(|&(_, c)| c == '\'');
    if quoted {
        i += 1;
    }
    while let Some(&(_, c)) = chars.get(i) {
        if c == '\\' {
            if let Some(&(_, next)) = chars.get(i + 1) {
                value.push(next);
            }
            i += 2;
            continue;
        }
        if quoted && c == '\'' {
            return (i + 1, value);
        }
        if !quoted && is_space(c) {
            break;
        }
        value.push(c);
        i += 1;
    }
    (i.min(chars.len()), value)
}

/// `value` single-quoted for a `keyword = value` string.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Percent-decoding that never fails: a `%` not followed by two hexadecimal digits stays.
fn decode_lossy(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| b.get(j).and_then(|&c| (c as char).to_digit(16));
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi << 4 | lo) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encoding of everything but URI's unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~*".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `pg::db::redact` covered, unchanged.
    #[test]
    fn passwords_never_show() {
        let table: &[(&str, &str)] = &[
            (
                "postgres://app:s3cret@db.example:5432/prod",
                "postgres://app:***@db.example:5432/prod",
            ),
            (
                "postgresql://app@db/prod?password=s3cret&sslmode=disable",
                "postgresql://app@db/prod?password=***&sslmode=disable",
            ),
            (
                "host=db user=app password=s3cret dbname=prod",
                "host=db user=app password=*** dbname=prod",
            ),
            (
                "host=db password='a b' dbname=prod",
                "host=db password=*** dbname=prod",
            ),
            ("postgres://app@db/prod", "postgres://app@db/prod"),
            (
                "host=db password = hunter2 dbname=prod",
                "host=db password = *** dbname=prod",
            ),
            (
                "host=db\tpassword='it\\'s secret' dbname=prod",
                "host=db\tpassword=*** dbname=prod",
            ),
            (
                "postgres://app:hun/ter2@host/db",
                "postgres://app:***@host/db",
            ),
        ];
        for &(input, expected) in table {
            assert_eq!(redact(input), expected, "{input}");
        }
    }

    #[test]
    fn every_form_of_secret_is_hidden() {
        let table: &[(&str, &str)] = &[
            // URIs
            ("postgresql://:pw@h/db", "postgresql://:***@h/db"),
            ("postgresql://u:@h", "postgresql://u:***@h"),
            ("postgresql://u:p@ss@h/db", "postgresql://u:***@h/db"),
            (
                "postgresql://u:p?ss@h/db?a=1",
                "postgresql://u:***@h/db?a=1",
            ),
            ("postgresql://u:p:w@h", "postgresql://u:***@h"),
            (
                "postgresql://u:pw@h/db?application_name=a@b",
                "postgresql://u:***@h/db?application_name=a@b",
            ),
            (
                "postgresql://h/db?sslpassword=k&password=p&user=u",
                "postgresql://h/db?sslpassword=***&password=***&user=u",
            ),
            (
                "postgresql://h/db?pass%77ord=p&PASSWORD=q",
                "postgresql://h/db?pass%77ord=***&PASSWORD=***",
            ),
            ("postgresql://h/db?password", "postgresql://h/db?password"),
            (
                "postgresql://h/db?password=",
                "postgresql://h/db?password=***",
            ),
            (
                "jdbc:postgresql://u:pw@h/db",
                "jdbc:postgresql://u:***@h/db",
            ),
            ("POSTGRES://u:pw@h", "POSTGRES://u:***@h"),
            ("  postgres://u:pw@h", "  postgres://u:***@h"),
            ("postgresql://h:5432/db", "postgresql://h:5432/db"),
            ("postgresql://[::1]:5432/db", "postgresql://[::1]:5432/db"),
            // keyword = value
            ("sslpassword=k sslkey=/k", "sslpassword=*** sslkey=/k"),
            ("password=''", "password=***"),
            ("password=", "password=***"),
            ("password='unterminated and more", "password=***"),
            ("password=a\\ b host=h", "password=*** host=h"),
            ("host=h password 'oops'", "host=h password ***"),
            ("Password=x", "Password=***"),
            ("host='a b' port=5", "host='a b' port=5"),
            (
                "host=h\u{e9} password=\u{e9}t\u{e9}",
                "host=h\u{e9} password=***",
            ),
            ("passfile=/p", "passfile=/p"),
            // connection strings inside values
            (
                "dbname='postgresql://u:pw@h/db' host=x",
                "dbname='postgresql://u:***@h/db' host=x",
            ),
            (
                "dbname='password=pw host=h'",
                "dbname='password=*** host=h'",
            ),
            (
                "dbname=postgresql://u:pw@h",
                "dbname='postgresql://u:***@h'",
            ),
            (
                "postgresql://h/db?dbname=postgresql%3A%2F%2Fu%3Apw%40h",
                "postgresql://h/db?dbname=postgresql%3A%2F%2Fu%3A***%40h",
            ),
            ("postgres://u:pw@h junk", "postgres://u:***@h junk"),
            ("'postgres://u:pw@h", "'postgres://u:***@h"),
            (
                "postgresql://h:5432/db?password=S3@CR",
                "postgresql://h:***",
            ),
            (
                "postgresql://u:p?ss@h/db?a=1&password=x",
                "postgresql://u:***@h/db?a=1&password=***",
            ),
            ("host=h postgres://u:pw@h", "host=h postgres://u:***@h"),
            // nothing to hide
            ("", ""),
            ("host=h dbname=d", "host=h dbname=d"),
            ("dbname='a=b'", "dbname='a=b'"),
        ];
        for &(input, expected) in table {
            assert_eq!(redact(input), expected, "{input}");
        }
    }

    /// Strings built from the pieces connection strings are made of, valid or not: none makes
    /// redaction panic, and a marked secret never survives in any of the forms.
    #[test]
    fn never_panics_and_never_leaks() {
        let pieces = [
            "postgres://",
            "postgresql://",
            "u",
            ":",
            "@",
            "/",
            "?",
            "&",
            "=",
            "password",
            "sslpassword",
            "'",
            "\\",
            " ",
            "\t",
            "\u{e9}",
            "%",
            "%4",
            "%zz",
            "%40",
            "[",
            "]",
            ",",
            "host",
            "dbname",
            "://",
            "\u{1F600}",
            "\n",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 12) as usize;
            let s: String = (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let _ = redact(&s);
        }
        let secrets = ["S3CR3T", "S3 CR3T", "S3'CR3T", "S3@CR/3T", "S3?CR:3T"];
        for secret in secrets {
            let escaped = secret.replace('\\', "\\\\").replace('\'', "\\'");
            let forms = [
                format!("postgresql://user:{secret}@host/db"),
                format!("postgres://u:{secret}@h:1,h2/db?sslmode=require"),
                format!("postgresql://h/db?password={secret}"),
                format!("postgresql://h/db?user=u&sslpassword={secret}&a=b"),
                format!("host=h password='{escaped}' dbname=d"),
                format!("password = '{escaped}'"),
                format!("sslpassword='{escaped}"),
                format!("dbname='postgresql://u:{}@h'", escaped),
            ];
            let mut forms = forms.to_vec();
            if !secret.contains([' ', '\'']) {
                forms.push(format!(
                    "host=h postgresql://u:{secret}@h/db?password={secret}&a=b"
                ));
                forms.push(format!("postgresql://h:5432/db?a=1&password={secret}"));
                forms.push(format!("postgresql://h/db?sslpassword={secret}#x"));
            }
            for form in forms {
                let out = redact(&form);
                assert!(!out.contains("S3"), "{form} -> {out}");
                assert!(!out.contains("CR"), "{form} -> {out}");
            }
        }
    }
}
