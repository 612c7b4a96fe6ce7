//! Connection URIs, read as libpq reads them:
//! `postgresql://[user[:password]@][host[:port]][,host[:port]…][/dbname][?keyword=value&…]`
//! (also `postgres://`). Every part may be percent-encoded; a host in square brackets is an IPv6
//! literal; `?ssl=true` means `sslmode=require`. Like libpq, the reader is lenient where the URI
//! syntax is (an empty part means "not given") and strict about encodings and query syntax.

use super::error::ConnError;
use super::keywords;

/// The length of the URI scheme `conninfo` starts with (`postgresql://` or `postgres://`,
/// lower case, as libpq compares), or 0 when it is not a URI.
pub fn prefix_len(conninfo: &str) -> usize {
    ["postgresql://", "postgres://"]
        .iter()
        .find(|p| conninfo.starts_with(*p))
        .map_or(0, |p| p.len())
}

/// The keyword/value pairs of a connection URI, in the order libpq stores them (a later pair
/// overrides an earlier one with the same keyword).
pub fn parse(uri: &str) -> Result<Vec<(&'static str, String)>, ConnError> {
    let b = uri.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    let start = prefix_len(uri);
    let mut p = start;

    // user[:password]@ — present when an `@` comes before any `/`.
    let at = (start..n).find(|&i| b[i] == b'@' || b[i] == b'/');
    if let Some(at) = at.filter(|&i| b[i] == b'@') {
        let colon = (start..at).find(|&i| b[i] == b':').unwrap_or(at);
        store(&mut out, "user", &uri[start..colon])?;
        if colon < at {
            store(&mut out, "password", &uri[colon + 1..at])?;
        }
        p = at + 1;
    }

    // host[:port], separated by commas.
    let mut hosts = String::new();
    let mut ports = String::new();
    let mut stop;
    loop {
        let host;
        if b.get(p) == Some(&b'[') {
            let open = p + 1;
            let close = (open..n).find(|&i| b[i] == b']').ok_or_else(|| {
                ConnError::settings(
                    "end of string reached when looking for matching \"]\" in IPv6 host address in URI",
                )
            })?;
            if close == open {
                return Err(ConnError::settings(
                    "IPv6 host address may not be empty in URI",
                ));
            }
            host = &uri[open..close];
            p = close + 1;
            if p < n && !matches!(b[p], b':' | b'/' | b'?' | b',') {
                let c = uri[p..].chars().next().unwrap_or('?');
                return Err(ConnError::settings(format!(
                    "unexpected character \"{c}\" at position {} in URI (expected \":\" or \"/\")",
                    p + 1
                )));
            }
        } else {
            let from = p;
            p = until(b, p, b":/?,");
            host = &uri[from..p];
        }
        stop = b.get(p).copied();
        hosts.push_str(host);
        if stop == Some(b':') {
            let from = p + 1;
            p = until(b, from, b"/?,");
            ports.push_str(&uri[from..p]);
            stop = b.get(p).copied();
        }
        if stop != Some(b',') {
            break;
        }
        p += 1;
        hosts.push(',');
        ports.push(',');
    }
    // No host name holds "@" after its start (a leading one names an abstract socket): one
    // here is the rest of a user name or password that held a raw "@" (libpq ends the user
    // information at the first one). libpq would fail to resolve it and quote it, password and
    // all; the error says what to do instead, and quotes nothing.
    if hosts
        .split(',')
        .any(|h| h.len() > 1 && h[1..].contains('@'))
    {
        return Err(ConnError::settings(
            "the URI's host part holds \"@\": a user name or password containing \"@\" must be \
             percent-encoded as %40",
        ));
    }
    store(&mut out, "host", &hosts)?;
    store(&mut out, "port", &ports)?;

    // /dbname
    if stop.is_some_and(|c| c != b'?') {
        let from = p + 1;
        p = until(b, from, b"?");
        store(&mut out, "dbname", &uri[from..p])?;
        stop = b.get(p).copied();
    }

    // ?keyword=value&…
    if stop.is_some() {
        query(&uri[p + 1..], &mut out)?;
    }
    Ok(out)
}

/// The first index at or after `from` holding one of `stops`, or the end.
fn until(b: &[u8], from: usize, stops: &[u8]) -> usize {
    (from..b.len())
        .find(|&i| stops.contains(&b[i]))
        .unwrap_or(b.len())
}

/// Stores a part of the URI (percent-decoded) unless it is empty: an empty part means the
/// parameter was not given (so that, for instance, `PGDATABASE` still applies).
fn store(
    out: &mut Vec<(&'static str, String)>,
    keyword: &'static str,
    raw: &str,
) -> Result<(), ConnError> {
    if !raw.is_empty() {
        out.push((keyword, decode_value(keyword, raw)?));
    }
    Ok(())
}

/// `raw` decoded; when `keyword` names a secret, an error does not quote it.
fn decode_value(keyword: &str, raw: &str) -> Result<String, ConnError> {
    decode(raw).map_err(|e| {
        if keywords::is_secret(keyword) {
            ConnError::settings(format!(
                "the {keyword} in the URI is not validly percent-encoded (a \"%\" must be \
                 followed by two hexadecimal digits, and the text must be UTF-8 without %00)"
            ))
        } else {
            e
        }
    })
}

/// The query: `keyword=value` pairs separated by `&`, each side percent-encoded.
fn query(mut rest: &str, out: &mut Vec<(&'static str, String)>) -> Result<(), ConnError> {
    while !rest.is_empty() {
        let (part, next) = rest.split_once('&').unwrap_or((rest, ""));
        rest = next;
        let Some((key, value)) = part.split_once('=') else {
            return Err(ConnError::settings(format!(
                "missing key/value separator \"=\" in URI query parameter: \"{part}\""
            )));
        };
        if value.contains('=') {
            return Err(ConnError::settings(format!(
                "extra key/value separator \"=\" in URI query parameter: \"{key}\""
            )));
        }
        let key = decode(key)?;
        let value = decode_value(&key, value)?;
        // JDBC's spelling, accepted by libpq.
        let (key, value) = if key == "ssl" && value == "true" {
            ("sslmode".to_string(), "require".to_string())
        } else {
            (key, value)
        };
        match keywords::canonical(&key, value) {
            Some(pair) => out.push(pair),
            None => {
                return Err(ConnError::settings(format!(
                    "invalid URI query parameter: \"{key}\""
                )));
            }
        }
    }
    Ok(())
}

/// Percent-decoding as libpq does it: `%` must be followed by two hexadecimal digits, and `%00`
/// is refused. The error quotes the whole encoded value. A value that decodes to bytes that are
/// not UTF-8 is refused too (libpq would pass the bytes on; a Rust string cannot hold them).
pub fn decode(s: &str) -> Result<String, ConnError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let hex = |j: usize| b.get(j).and_then(|&c| (c as char).to_digit(16));
        let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) else {
            return Err(ConnError::settings(format!(
                "invalid percent-encoded token: \"{s}\""
            )));
        };
        let c = (hi << 4 | lo) as u8;
        if c == 0 {
            return Err(ConnError::settings(format!(
                "forbidden value %00 in percent-encoded value: \"{s}\""
            )));
        }
        out.push(c);
        i += 3;
    }
    String::from_utf8(out).map_err(|_| {
        ConnError::settings(format!("percent-encoded value is not valid UTF-8: \"{s}\""))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(uri: &str) -> String {
        match parse(uri) {
            Ok(pairs) => pairs
                .iter()
                .map(|(k, v)| format!("{k}=[{v}]"))
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => format!("ERR: {e}"),
        }
    }

    /// Each row was checked against libpq 15's `PQconninfoParse` (the URI reader has not
    /// changed since): the pairs in the order stored, later ones overriding earlier ones.
    #[test]
    fn uris_parse_as_libpq_parses_them() {
        let table: &[(&str, &str)] = &[
            ("postgresql://", ""),
            ("postgres://", ""),
            ("postgresql:///", ""),
            ("postgresql://@/?", ""),
            ("postgresql://h", "host=[h]"),
            (
                "postgresql://u:p@h1:1,h2,[::1]:3/db?sslmode=require&host=z",
                "user=[u] password=[p] host=[h1,h2,::1] port=[1,,3] dbname=[db] \
                 sslmode=[require] host=[z]",
            ),
            ("postgresql://a,b/db", "host=[a,b] port=[,] dbname=[db]"),
            ("postgresql://:pw@h", "password=[pw] host=[h]"),
            ("postgresql://u:@h", "user=[u] host=[h]"),
            ("postgresql://u:a:b@h", "user=[u] password=[a:b] host=[h]"),
            // An `@` after a `/` is not user information: libpq reads a host and a port.
            (
                "postgresql://app:hun/ter2@host/db",
                "host=[app] port=[hun] dbname=[ter2@host/db]",
            ),
            (
                "postgresql://h/d%20b?application_name=a%26b&ssl=true",
                "host=[h] dbname=[d b] application_name=[a&b] sslmode=[require]",
            ),
            (
                "postgresql://%2Fvar%2Frun%2Fpostgresql/db",
                "host=[/var/run/postgresql] dbname=[db]",
            ),
            (
                "postgresql:///db?host=/tmp&port=5433",
                "dbname=[db] host=[/tmp] port=[5433]",
            ),
            ("postgresql://h:/db", "host=[h] dbname=[db]"),
            (
                "postgresql://h:5432:6/db",
                "host=[h] port=[5432:6] dbname=[db]",
            ),
            (
                "postgresql://[::1],[fe80::1%25eth0]:5/x",
                "host=[::1,fe80::1%eth0] port=[,5] dbname=[x]",
            ),
            ("postgresql://[::1]:5433", "host=[::1] port=[5433]"),
            ("postgresql://h?dbname=x/y", "host=[h] dbname=[x/y]"),
            (
                "postgresql://h/db?%61pplication_name=x",
                "host=[h] dbname=[db] application_name=[x]",
            ),
            (
                "postgresql://h/db?options=-c%20a%3Db",
                "host=[h] dbname=[db] options=[-c a=b]",
            ),
            (
                "postgresql://u@h/db?user=v",
                "user=[u] host=[h] dbname=[db] user=[v]",
            ),
            (
                "postgresql://h/db?requiressl=1",
                "host=[h] dbname=[db] sslmode=[require]",
            ),
            ("postgresql://h/db#frag", "host=[h] dbname=[db#frag]"),
            (
                "postgresql://h/db?password=a+b",
                "host=[h] dbname=[db] password=[a+b]",
            ),
            ("postgresql://h/db?host=", "host=[h] dbname=[db] host=[]"),
            (
                "postgresql://h?a=1&",
                "ERR: invalid URI query parameter: \"a\"",
            ),
            ("postgresql://h/db?port=1&", "host=[h] dbname=[db] port=[1]"),
            ("postgres://%68ost/", "host=[host]"),
            ("postgresql://h/d\u{e9}", "host=[h] dbname=[d\u{e9}]"),
            ("postgresql://h/d%C3%A9", "host=[h] dbname=[d\u{e9}]"),
        ];
        for &(uri, expected) in table {
            assert_eq!(show(uri), expected, "{uri}");
        }
    }

    /// The messages are libpq's, word for word (checked with psql 15).
    #[test]
    fn bad_uris_are_refused_with_libpqs_messages() {
        let table: &[(&str, &str)] = &[
            (
                "postgresql://h/db?foo=bar",
                "invalid URI query parameter: \"foo\"",
            ),
            (
                "postgresql://h/db?ssl=false",
                "invalid URI query parameter: \"ssl\"",
            ),
            (
                "postgresql://h/db?ssl=TRUE",
                "invalid URI query parameter: \"ssl\"",
            ),
            (
                "postgresql://u%zz@h/db",
                "invalid percent-encoded token: \"u%zz\"",
            ),
            ("postgresql://h/%", "invalid percent-encoded token: \"%\""),
            ("postgresql://h/%4", "invalid percent-encoded token: \"%4\""),
            (
                "postgresql://h/%4g",
                "invalid percent-encoded token: \"%4g\"",
            ),
            (
                "postgresql://h/%00",
                "forbidden value %00 in percent-encoded value: \"%00\"",
            ),
            (
                "postgresql://[::1",
                "end of string reached when looking for matching \"]\" in IPv6 host address \
                 in URI",
            ),
            (
                "postgresql://[]/x",
                "IPv6 host address may not be empty in URI",
            ),
            (
                "postgresql://[::1]x/db",
                "unexpected character \"x\" at position 19 in URI (expected \":\" or \"/\")",
            ),
            // Secrets are never quoted back: a raw "@" in a password, a bad encoding in one.
            (
                "postgresql://u:Qm@S3cr3t@127.0.0.1/db",
                "the URI's host part holds \"@\": a user name or password containing \"@\" \
                 must be percent-encoded as %40",
            ),
            (
                "postgresql://u:S3%zzcr3t@h/db",
                "the password in the URI is not validly percent-encoded (a \"%\" must be \
                 followed by two hexadecimal digits, and the text must be UTF-8 without %00)",
            ),
            (
                "postgresql://h/db?sslpassword=S3%ffcr3t",
                "the sslpassword in the URI is not validly percent-encoded (a \"%\" must be \
                 followed by two hexadecimal digits, and the text must be UTF-8 without %00)",
            ),
            (
                "postgresql://h/db?a",
                "missing key/value separator \"=\" in URI query parameter: \"a\"",
            ),
            (
                "postgresql://h/db?a=b=c",
                "extra key/value separator \"=\" in URI query parameter: \"a\"",
            ),
            (
                "postgresql://h/db?&",
                "missing key/value separator \"=\" in URI query parameter: \"\"",
            ),
            (
                "postgresql://h/a/b?c=d",
                "invalid URI query parameter: \"c\"",
            ),
            (
                "postgresql://h/db?x%zz=1",
                "invalid percent-encoded token: \"x%zz\"",
            ),
            (
                "postgresql://h/db?user=%ff",
                "percent-encoded value is not valid UTF-8: \"%ff\"",
            ),
        ];
        for &(uri, message) in table {
            assert_eq!(show(uri), format!("ERR: {message}"), "{uri}");
        }
    }

    #[test]
    fn only_the_two_lower_case_schemes_are_uris() {
        for (s, len) in [
            ("postgresql://h", 13),
            ("postgres://h", 11),
            ("POSTGRES://h", 0),
            ("postgre://h", 0),
            ("mysql://h", 0),
            (" postgres://h", 0),
            ("host=h", 0),
        ] {
            assert_eq!(prefix_len(s), len, "{s}");
        }
    }
}
