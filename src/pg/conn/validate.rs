//! The checks libpq makes on resolved parameters before it tries any host, with its wording:
//! enumerated values (`sslmode`, `target_session_attrs`, …), the combinations it refuses
//! (`sslnegotiation=direct` or `sslrootcert=system` with a weak `sslmode`), TLS version bounds,
//! `require_auth` lists, and integers read as libpq reads them.

use std::time::Duration;

use super::error::ConnError;
use super::params::{Params, is_space};

/// An integer parameter read as libpq's `pqParseIntParam` reads it (`strtol`): blanks around
/// it are allowed, so is a sign; anything else, or a value outside a 32-bit `int`, is refused
/// with `invalid integer value "x" for connection option "keyword"`.
pub fn parse_int(value: &str, keyword: &str) -> Result<i32, ConnError> {
    let invalid = || {
        ConnError::settings(format!(
            "invalid integer value \"{value}\" for connection option \"{keyword}\""
        ))
    };
    let t = value.trim_matches(is_space);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    t.parse::<i32>().map_err(|_| invalid())
}

/// `keyword`'s integer value, when it is set (an empty value is refused, as libpq does).
/// For `keepalives`, `keepalives_idle`, `keepalives_interval`, `keepalives_count` and
/// `tcp_user_timeout`, which libpq reads only for TCP connections.
pub fn int_option(params: &Params, keyword: &str) -> Result<Option<i32>, ConnError> {
    params
        .get(keyword)
        .map(|v| parse_int(v, keyword))
        .transpose()
}

/// `connect_timeout` as libpq applies it: unset, zero or negative means wait forever; a
/// positive value is in seconds, and at least 2.
pub fn connect_timeout(params: &Params) -> Result<Option<Duration>, ConnError> {
    Ok(int_option(params, "connect_timeout")?
        .filter(|&s| s > 0)
        .map(|s| Duration::from_secs(s.max(2) as u64)))
}

/// libpq's checks of resolved parameters, in libpq's order (`connectOptions2`), so that of
/// two mistakes the one psql reports is the one reported here. A missing parameter is taken
/// as its default.
pub fn check(params: &Params) -> Result<(), ConnError> {
    if let Some(list) = params.nonempty("require_auth") {
        check_require_auth(list)?;
    }
    one_of(params, "channel_binding", &["disable", "prefer", "require"])?;
    let sslmode = params.get("sslmode").unwrap_or("prefer");
    one_of(
        params,
        "sslmode",
        &[
            "disable",
            "allow",
            "prefer",
            "require",
            "verify-ca",
            "verify-full",
        ],
    )?;
    one_of(params, "sslnegotiation", &["postgres", "direct"])?;
    if params.get("sslnegotiation") == Some("direct")
        && !matches!(sslmode, "require" | "verify-ca" | "verify-full")
    {
        return Err(ConnError::settings(format!(
            "weak sslmode \"{sslmode}\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", or \"verify-full\")"
        )));
    }
    if params.get("sslrootcert") == Some("system") && sslmode != "verify-full" {
        return Err(ConnError::settings(format!(
            "weak sslmode \"{sslmode}\" may not be used with sslrootcert=system (use \"verify-full\")"
        )));
    }
    let min = tls_version(params, "ssl_min_protocol_version")?;
    let max = tls_version(params, "ssl_max_protocol_version")?;
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            return Err(ConnError::settings("invalid SSL protocol version range"));
        }
    }
    one_of(params, "sslcertmode", &["disable", "allow", "require"])?;
    one_of(params, "gssencmode", &["disable", "prefer", "require"])?;
    one_of(
        params,
        "target_session_attrs",
        &[
            "any",
            "read-write",
            "read-only",
            "primary",
            "standby",
            "prefer-standby",
        ],
    )?;
    one_of(params, "load_balance_hosts", &["disable", "random"])?;
    Ok(())
}

/// `keyword`, when set, must be one of `allowed` (compared exactly, as libpq does).
fn one_of(params: &Params, keyword: &str, allowed: &[&str]) -> Result<(), ConnError> {
    match params.get(keyword) {
        Some(v) if !allowed.contains(&v) => Err(ConnError::settings(format!(
            "invalid {keyword} value: \"{v}\""
        ))),
        _ => Ok(()),
    }
}

/// The rank of a TLS version bound (`TLSv1` < `TLSv1.1` < `TLSv1.2` < `TLSv1.3`, any case), or
/// `None` when it is unset or empty (no bound).
fn tls_version(params: &Params, keyword: &str) -> Result<Option<usize>, ConnError> {
    let Some(v) = params.nonempty(keyword) else {
        return Ok(None);
    };
    ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
        .iter()
        .position(|t| t.eq_ignore_ascii_case(v))
        .map(Some)
        .ok_or_else(|| ConnError::settings(format!("invalid {keyword} value: \"{v}\"")))
}

/// `require_auth`: a comma-separated list of `password`, `md5`, `gss`, `sspi`,
/// `scram-sha-256` and `none`, either all plain (only these are allowed) or all negated with
/// `!` (all but these), none twice.
fn check_require_auth(list: &str) -> Result<(), ConnError> {
    const PASSWORD: u32 = 1;
    const MD5: u32 = 2;
    const GSS: u32 = 4;
    const GSS_CONT: u32 = 8;
    const SSPI: u32 = 16;
    const SASL: u32 = 32 | 64 | 128;
    let mut negated = false;
    let mut allowed = 0u32;
    let mut auth_required = true;
    for (i, part) in list.split(',').enumerate() {
        let mut method = part;
        if let Some(rest) = part.strip_prefix('!') {
            if i == 0 {
                auth_required = false;
                allowed = u32::MAX;
            } else if !negated {
                return Err(ConnError::settings(format!(
                    "negative require_auth method \"{part}\" cannot be mixed with non-negative methods"
                )));
            }
            negated = true;
            method = rest;
        } else if negated {
            return Err(ConnError::settings(format!(
                "require_auth method \"{part}\" cannot be mixed with negative methods"
            )));
        }
        let bits = match method {
            "password" => PASSWORD,
            "md5" => MD5,
            "gss" => GSS | GSS_CONT,
            "sspi" => SSPI | GSS_CONT,
            "scram-sha-256" => SASL,
            "none" => 0,
            _ => {
                return Err(ConnError::settings(format!(
                    "invalid require_auth value: \"{method}\""
                )));
            }
        };
        let duplicate = if method == "none" {
            let was = auth_required;
            auth_required = negated;
            was == negated
        } else if negated {
            let dup = allowed & bits == 0;
            allowed &= !bits;
            dup
        } else {
            let dup = allowed & bits == bits;
            allowed |= bits;
            dup
        };
        if duplicate {
            return Err(ConnError::settings(format!(
                "require_auth method \"{part}\" is specified more than once"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::conn::params::parse;

    #[test]
    fn integers_are_read_as_strtol_reads_them() {
        let table: &[(&str, Option<i32>)] = &[
            ("5432", Some(5432)),
            (" 5433 ", Some(5433)),
            ("\t7\n", Some(7)),
            ("+5", Some(5)),
            ("-1", Some(-1)),
            ("0", Some(0)),
            ("2147483647", Some(i32::MAX)),
            ("-2147483648", Some(i32::MIN)),
            ("2147483648", None),
            ("99999999999", None),
            ("", None),
            ("  ", None),
            ("+", None),
            ("- 5", None),
            ("0x10", None),
            ("5 5", None),
            ("abc", None),
            ("1.5", None),
            ("\u{661}", None),
        ];
        for &(value, expected) in table {
            match (parse_int(value, "port"), expected) {
                (Ok(n), Some(e)) => assert_eq!(n, e, "{value:?}"),
                (Err(e), None) => assert_eq!(
                    e.to_string(),
                    format!("invalid integer value \"{value}\" for connection option \"port\"")
                ),
                (got, _) => panic!("{value:?}: {got:?}"),
            }
        }
    }

    #[test]
    fn connect_timeout_as_libpq_applies_it() {
        let table: &[(&str, Result<Option<u64>, &str>)] = &[
            ("", Ok(None)),
            ("connect_timeout=10", Ok(Some(10))),
            ("connect_timeout=' 3 '", Ok(Some(3))),
            ("connect_timeout=1", Ok(Some(2))),
            ("connect_timeout=0", Ok(None)),
            ("connect_timeout=-5", Ok(None)),
            (
                "connect_timeout=abc",
                Err("invalid integer value \"abc\" for connection option \"connect_timeout\""),
            ),
            (
                "connect_timeout=''",
                Err("invalid integer value \"\" for connection option \"connect_timeout\""),
            ),
        ];
        for (s, expected) in table {
            let got = connect_timeout(&parse(s).unwrap())
                .map(|d| d.map(|d| d.as_secs()))
                .map_err(|e| e.to_string());
            assert_eq!(got, expected.map_err(str::to_string), "{s}");
        }
        let p = parse("keepalives_idle=30 keepalives=x").unwrap();
        assert_eq!(int_option(&p, "keepalives_idle").unwrap(), Some(30));
        assert_eq!(int_option(&p, "keepalives_count").unwrap(), None);
        assert_eq!(
            int_option(&p, "keepalives").unwrap_err().to_string(),
            "invalid integer value \"x\" for connection option \"keepalives\""
        );
    }

    /// The messages were checked with psql 15 where it has the keyword (sslnegotiation,
    /// sslcertmode, load_balance_hosts, require_auth and sslrootcert=system came later: their
    /// wording is libpq 16/17's).
    #[test]
    fn bad_values_are_refused_in_libpqs_words() {
        let table: &[(&str, Option<&str>)] = &[
            ("sslmode=require", None),
            ("sslmode=foo", Some("invalid sslmode value: \"foo\"")),
            (
                "sslmode=Require",
                Some("invalid sslmode value: \"Require\""),
            ),
            ("sslmode=''", Some("invalid sslmode value: \"\"")),
            (
                "channel_binding=x",
                Some("invalid channel_binding value: \"x\""),
            ),
            ("gssencmode=x", Some("invalid gssencmode value: \"x\"")),
            ("sslcertmode=x", Some("invalid sslcertmode value: \"x\"")),
            (
                "sslnegotiation=x",
                Some("invalid sslnegotiation value: \"x\""),
            ),
            (
                "target_session_attrs=x",
                Some("invalid target_session_attrs value: \"x\""),
            ),
            ("target_session_attrs=prefer-standby", None),
            (
                "load_balance_hosts=x",
                Some("invalid load_balance_hosts value: \"x\""),
            ),
            ("load_balance_hosts=random", None),
            ("sslnegotiation=direct sslmode=require", None),
            ("sslnegotiation=direct sslmode=verify-ca", None),
            (
                "sslnegotiation=direct",
                Some(
                    "weak sslmode \"prefer\" may not be used with sslnegotiation=direct \
                     (use \"require\", \"verify-ca\", or \"verify-full\")",
                ),
            ),
            (
                "sslnegotiation=direct sslmode=allow",
                Some(
                    "weak sslmode \"allow\" may not be used with sslnegotiation=direct \
                     (use \"require\", \"verify-ca\", or \"verify-full\")",
                ),
            ),
            ("sslrootcert=system sslmode=verify-full", None),
            (
                "sslrootcert=system sslmode=require",
                Some(
                    "weak sslmode \"require\" may not be used with sslrootcert=system \
                     (use \"verify-full\")",
                ),
            ),
            // The sslmode is checked before the combinations.
            (
                "sslnegotiation=direct sslmode=bad",
                Some("invalid sslmode value: \"bad\""),
            ),
            ("ssl_min_protocol_version=tlsv1.3", None),
            (
                "ssl_min_protocol_version=x",
                Some("invalid ssl_min_protocol_version value: \"x\""),
            ),
            (
                "ssl_max_protocol_version=TLSv1.4",
                Some("invalid ssl_max_protocol_version value: \"TLSv1.4\""),
            ),
            (
                "ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2",
                Some("invalid SSL protocol version range"),
            ),
            (
                "ssl_min_protocol_version=TLSv1.2 ssl_max_protocol_version=TLSv1",
                Some("invalid SSL protocol version range"),
            ),
            (
                "ssl_min_protocol_version=TLSv1 ssl_max_protocol_version=TLSv1",
                None,
            ),
            (
                "ssl_min_protocol_version='' ssl_max_protocol_version=TLSv1",
                None,
            ),
        ];
        for &(s, expected) in table {
            let got = check(&parse(s).unwrap()).err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), expected, "{s}");
        }
    }

    #[test]
    fn require_auth_lists() {
        let table: &[(&str, Option<&str>)] = &[
            ("scram-sha-256", None),
            ("password,md5,scram-sha-256,gss,sspi,none", None),
            ("!password,!md5", None),
            ("!none", None),
            ("!gss,!sspi", None),
            ("gss,sspi", None),
            ("x", Some("invalid require_auth value: \"x\"")),
            ("!x", Some("invalid require_auth value: \"x\"")),
            ("password,", Some("invalid require_auth value: \"\"")),
            (
                "password,!md5",
                Some(
                    "negative require_auth method \"!md5\" cannot be mixed with \
                     non-negative methods",
                ),
            ),
            (
                "!md5,password",
                Some("require_auth method \"password\" cannot be mixed with negative methods"),
            ),
            (
                "md5,md5",
                Some("require_auth method \"md5\" is specified more than once"),
            ),
            (
                "!md5,!md5",
                Some("require_auth method \"!md5\" is specified more than once"),
            ),
            (
                "none,none",
                Some("require_auth method \"none\" is specified more than once"),
            ),
            (
                "!none,!none",
                Some("require_auth method \"!none\" is specified more than once"),
            ),
        ];
        for &(list, expected) in table {
            let got = check_require_auth(list).err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), expected, "{list}");
        }
        // An empty list is no requirement.
        assert!(check(&parse("require_auth=''").unwrap()).is_ok());
    }
}
