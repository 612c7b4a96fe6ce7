//! libpq connection parameters: parsing the two forms of connection string, and filling what
//! they leave out from a service file, the environment and the defaults.

use std::collections::BTreeMap;

use super::error::ConnError;
use super::keywords;
use super::uri;

/// Connection parameters by libpq keyword (`host`, `port`, `dbname`, `sslmode`, …), each with
/// its value as a string, exactly as libpq keeps them. Keys are always canonical keywords
/// (URI aliases such as `ssl=true` are translated when parsed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    values: BTreeMap<String, String>,
}

impl Params {
    pub fn get(&self, keyword: &str) -> Option<&str> {
        self.values.get(keyword).map(String::as_str)
    }

    pub fn set(&mut self, keyword: &str, value: impl Into<String>) {
        self.values.insert(keyword.to_string(), value.into());
    }

    pub fn remove(&mut self, keyword: &str) -> Option<String> {
        self.values.remove(keyword)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Whether `keyword` was given at all, even as an empty string (libpq tells the two apart:
    /// `host=''` stops `PGHOST` from applying, and then means the default host).
    pub fn is_set(&self, keyword: &str) -> bool {
        self.values.contains_key(keyword)
    }

    /// The value of `keyword` when it is set and not empty: what most of libpq's rules test.
    pub fn nonempty(&self, keyword: &str) -> Option<&str> {
        self.get(keyword).filter(|v| !v.is_empty())
    }

    /// The application name the server will see: `application_name` when it is set and not
    /// empty, else `fallback_application_name` when that is, else none (as libpq sends them).
    pub fn application_name(&self) -> Option<&str> {
        self.nonempty("application_name")
            .or_else(|| self.nonempty("fallback_application_name"))
    }

    /// These parameters with `fallback_application_name` set to `name` unless the string
    /// already set one: how a program names itself without overriding the user's choice
    /// (`application_name` in the string, the service or `PGAPPNAME` still wins). schemaplan
    /// calls `parse(s)?.with_fallback_application_name("schemaplan")` before [`resolve`].
    ///
    /// [`resolve`]: super::resolve::resolve
    pub fn with_fallback_application_name(mut self, name: &str) -> Params {
        if !self.is_set("fallback_application_name") {
            self.set("fallback_application_name", name);
        }
        self
    }
}

/// Parses a connection string as libpq's `PQconnectdb` does: a URI when it starts with
/// `postgresql://` or `postgres://`, else `keyword = value` pairs. Only what the string says
/// is returned; [`resolve`](super::resolve::resolve) adds the service, the environment and the
/// defaults.
pub fn parse(conninfo: &str) -> Result<Params, ConnError> {
    let pairs = if uri::prefix_len(conninfo) > 0 {
        uri::parse(conninfo)?
    } else {
        parse_pairs(conninfo)?
    };
    let mut params = Params::default();
    for (keyword, value) in pairs {
        params.set(keyword, value);
    }
    Ok(params)
}

/// `isspace()` in the C locale.
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r')
}

/// `keyword = value …`: blanks may surround `=`; a value is either a run of non-blanks or
/// single-quoted; in both a backslash takes the next character literally (`\'`, `\\`, `\ `).
/// An empty string has no parameters. Errors come in the order libpq finds them, so an unknown
/// keyword is reported before a later syntax error.
fn parse_pairs(s: &str) -> Result<Vec<(&'static str, String)>, ConnError> {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if is_space(chars[i]) {
            i += 1;
            continue;
        }
        let from = i;
        while i < n && chars[i] != '=' && !is_space(chars[i]) {
            i += 1;
        }
        let name: String = chars[from..i].iter().collect();
        while i < n && is_space(chars[i]) {
            i += 1;
        }
        if i == n || chars[i] != '=' {
            // A word right after a secret's value is most likely the rest of a password with an
            // unquoted blank: it is not quoted back.
            let after_secret = out
                .last()
                .is_some_and(|(k, _): &(&str, String)| keywords::is_secret(k));
            return Err(ConnError::settings(if after_secret {
                "missing \"=\" after the value of a password in connection info string (a \
                 password holding blanks or quotes must be quoted: password='…', with \\' for a \
                 quote)"
                    .to_string()
            } else {
                format!("missing \"=\" after \"{name}\" in connection info string")
            }));
        }
        i += 1;
        while i < n && is_space(chars[i]) {
            i += 1;
        }
        let mut value = String::new();
        if i < n && chars[i] == '\'' {
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(ConnError::settings(
                            "unterminated quoted string in connection info string",
                        ));
                    }
                    Some('\\') => {
                        if let Some(&c) = chars.get(i + 1) {
                            value.push(c);
                        }
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        value.push(c);
                        i += 1;
                    }
                }
            }
        } else {
            while i < n && !is_space(chars[i]) {
                if chars[i] == '\\' {
                    i += 1;
                }
                if let Some(&c) = chars.get(i) {
                    value.push(c);
                }
                i += 1;
            }
        }
        match keywords::canonical(&name, value) {
            Some(pair) => out.push(pair),
            None => {
                return Err(ConnError::settings(format!(
                    "invalid connection option \"{name}\""
                )));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> String {
        match parse(s) {
            Ok(p) => p
                .iter()
                .map(|(k, v)| format!("{k}=[{v}]"))
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => format!("ERR: {e}"),
        }
    }

    /// Each row was checked against libpq 15's `PQconninfoParse` (parameters shown sorted by
    /// keyword).
    #[test]
    fn keyword_value_strings_parse_as_libpq_parses_them() {
        let table: &[(&str, &str)] = &[
            ("", ""),
            ("   ", ""),
            ("host=h", "host=[h]"),
            (
                "  host = 'a b\\' c\\\\d'  port=5 ",
                "host=[a b' c\\d] port=[5]",
            ),
            ("host=a\\ b", "host=[a b]"),
            ("host=\\", "host=[]"),
            ("host=a host=b", "host=[b]"),
            // Blanks after `=` are skipped even before the next keyword.
            ("host= port=5", "host=[port=5]"),
            ("host=a=b", "host=[a=b]"),
            ("host='' port=''", "host=[] port=[]"),
            ("host='a'port=5", "host=[a] port=[5]"),
            ("host=x\tdbname=y\nuser=z", "dbname=[y] host=[x] user=[z]"),
            ("host=x\x0Bdbname=y", "dbname=[y] host=[x]"),
            ("requiressl=1", "sslmode=[require]"),
            ("requiressl=0 sslmode=verify-full", "sslmode=[verify-full]"),
            ("sslmode=verify-full requiressl=0", "sslmode=[prefer]"),
            ("dbname='postgres://u@h/d'", "dbname=[postgres://u@h/d]"),
            ("application_name=caf\u{e9}", "application_name=[caf\u{e9}]"),
            (
                "options='-c search_path=a,b'",
                "options=[-c search_path=a,b]",
            ),
            // Another scheme is not a URI: libpq reads it as keyword=value and fails.
            (
                "mysql://h",
                "ERR: missing \"=\" after \"mysql://h\" in connection info string",
            ),
            (
                "POSTGRES://u@h/d?sslmode=require",
                "ERR: invalid connection option \"POSTGRES://u@h/d?sslmode\"",
            ),
            // URIs go to the URI reader.
            ("postgresql://h:1/d", "dbname=[d] host=[h] port=[1]"),
        ];
        for &(s, expected) in table {
            assert_eq!(show(s), expected, "{s:?}");
        }
    }

    /// Messages worded as libpq's (checked with `PQconninfoParse` and psql 15).
    #[test]
    fn bad_strings_are_refused_with_libpqs_messages() {
        let table: &[(&str, &str)] = &[
            ("foo=bar", "invalid connection option \"foo\""),
            (
                "sslmode=require Host=x",
                "invalid connection option \"Host\"",
            ),
            ("=x", "invalid connection option \"\""),
            (
                // libpq would quote the rest of the password ("'s'"); it is never shown.
                "password='it''s'",
                "missing \"=\" after the value of a password in connection info string (a \
                 password holding blanks or quotes must be quoted: password='…', with \\' for a \
                 quote)",
            ),
            ("ssl=true", "invalid connection option \"ssl\""),
            (
                "host",
                "missing \"=\" after \"host\" in connection info string",
            ),
            (
                "host 'x'",
                "missing \"=\" after \"host\" in connection info string",
            ),
            (
                "host=a port",
                "missing \"=\" after \"port\" in connection info string",
            ),
            (
                "host='abc",
                "unterminated quoted string in connection info string",
            ),
            (
                "host='a\\",
                "unterminated quoted string in connection info string",
            ),
            (
                "host='a\\'",
                "unterminated quoted string in connection info string",
            ),
            // Found in order: the unknown keyword comes first.
            ("foo=1 host='x", "invalid connection option \"foo\""),
            (
                "host='x foo=1",
                "unterminated quoted string in connection info string",
            ),
        ];
        for &(s, message) in table {
            assert_eq!(show(s), format!("ERR: {message}"), "{s:?}");
        }
    }

    #[test]
    fn set_empty_and_unset_are_told_apart() {
        let p = parse("host='' port=5").unwrap();
        assert!(p.is_set("host"));
        assert_eq!(p.get("host"), Some(""));
        assert_eq!(p.nonempty("host"), None);
        assert_eq!(p.nonempty("port"), Some("5"));
        assert!(!p.is_set("dbname"));
    }

    #[test]
    fn application_name_and_its_fallback() {
        let table: &[(&str, Option<&str>)] = &[
            ("", Some("schemaplan")),
            ("application_name=mine", Some("mine")),
            ("application_name=''", Some("schemaplan")),
            ("fallback_application_name=theirs", Some("theirs")),
            (
                "fallback_application_name=theirs application_name=mine",
                Some("mine"),
            ),
            ("fallback_application_name=''", None),
        ];
        for &(s, expected) in table {
            let p = parse(s)
                .unwrap()
                .with_fallback_application_name("schemaplan");
            assert_eq!(p.application_name(), expected, "{s}");
        }
        assert_eq!(parse("").unwrap().application_name(), None);
    }
}
