//! Connection services (`service=name` or `PGSERVICE`), read from the service files as libpq
//! reads them: `PGSERVICEFILE` (else `~/.pg_service.conf` when it exists), then
//! `pg_service.conf` in `PGSYSCONFDIR` (else Debian's compiled-in `/etc/postgresql-common`).
//! A file is INI-like: `[name]` starts a section, `keyword=value` lines set parameters (the
//! first setting wins, and never over what the connection string gave), `#` starts a comment.

use std::path::{Path, PathBuf};

use super::env::Env;
use super::error::ConnError;
use super::keywords::{self, DEFAULT_SYSCONFDIR};
use super::params::{Params, is_space};

/// Fills the parameters `params` does not set from the service it names (`service`, else
/// `PGSERVICE`). Nothing happens when neither names one.
pub fn apply(params: &mut Params, env: &Env) -> Result<(), ConnError> {
    let Some(service) = params
        .get("service")
        .or_else(|| env.vars.get("PGSERVICE").map(String::as_str))
        .map(str::to_string)
    else {
        return Ok(());
    };
    let user_file = match env.vars.get("PGSERVICEFILE") {
        Some(file) => Some(PathBuf::from(file)),
        None => env
            .home
            .as_ref()
            .map(|home| home.join(".pg_service.conf"))
            .filter(|f| f.exists()),
    };
    if let Some(file) = user_file {
        if let Some(settings) = read(&file, &service)? {
            set_missing(params, settings);
            return Ok(());
        }
    }
    let sysconfdir = env
        .vars
        .get("PGSYSCONFDIR")
        .map_or(DEFAULT_SYSCONFDIR, String::as_str);
    let file = PathBuf::from(format!("{sysconfdir}/pg_service.conf"));
    if file.exists() {
        if let Some(settings) = read(&file, &service)? {
            set_missing(params, settings);
            return Ok(());
        }
    }
    Err(ConnError::settings(format!(
        "definition of service \"{service}\" not found"
    )))
}

fn set_missing(params: &mut Params, settings: Vec<(&'static str, String)>) {
    for (keyword, value) in settings {
        if !params.is_set(keyword) {
            params.set(keyword, value);
        }
    }
}

/// The settings of `service` in `file`, or `None` when the file has no such section.
fn read(file: &Path, service: &str) -> Result<Option<Vec<(&'static str, String)>>, ConnError> {
    let text = std::fs::read(file).map_err(|_| {
        ConnError::settings(format!("service file \"{}\" not found", file.display()))
    })?;
    parse(&file.display().to_string(), &text, service)
}

/// libpq reads a service file line by line into a 1,024-byte buffer: a line of 1,023 bytes or
/// more (with its newline) is refused.
const MAX_LINE: usize = 1023;

/// The settings of section `service` in the text of service file `name`: in file order, the
/// first setting of a keyword first. Only the lines of that section are checked (as libpq
/// does), and only its first occurrence counts.
pub fn parse(
    name: &str,
    text: &[u8],
    service: &str,
) -> Result<Option<Vec<(&'static str, String)>>, ConnError> {
    let error = |what: &str, line: usize| {
        ConnError::settings(format!("{what} in service file \"{name}\", line {line}"))
    };
    let mut found = false;
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for (i, raw) in text.split_inclusive(|&b| b == b'\n').enumerate() {
        let number = i + 1;
        if raw.len() >= MAX_LINE {
            return Err(ConnError::settings(format!(
                "line {number} too long in service file \"{name}\""
            )));
        }
        let line = String::from_utf8_lossy(raw);
        let line = line.trim_matches(is_space);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            if found {
                break;
            }
            found = rest
                .strip_prefix(service)
                .is_some_and(|after| after.starts_with(']'));
            continue;
        }
        if !found {
            continue;
        }
        if line.starts_with("ldap") {
            return Err(error("LDAP lookups are not supported", number));
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(error("syntax error", number));
        };
        if key == "service" {
            return Err(error("nested service specifications not supported", number));
        }
        let Some(keyword) = keywords::find(key) else {
            return Err(error("syntax error", number));
        };
        if !out.iter().any(|(k, _)| *k == keyword.name) {
            out.push((keyword.name, value.to_string()));
        }
    }
    Ok(found.then_some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::conn::params::parse as parse_conninfo;

    fn settings(text: &str, service: &str) -> String {
        match parse("f", text.as_bytes(), service) {
            Ok(Some(pairs)) => pairs
                .iter()
                .map(|(k, v)| format!("{k}=[{v}]"))
                .collect::<Vec<_>>()
                .join(" "),
            Ok(None) => "not found".to_string(),
            Err(e) => format!("ERR: {e}"),
        }
    }

    /// Checked against libpq 15 (`PGSERVICEFILE=f psql "service=x"` and `PQconninfo`).
    #[test]
    fn service_files_read_as_libpq_reads_them() {
        let table: &[(&str, &str, &str)] = &[
            ("[x]\nhost=/svc\nport=7\n", "x", "host=[/svc] port=[7]"),
            ("[x]\nhost=/svc\nport=7", "x", "host=[/svc] port=[7]"),
            ("[x]\r\nhost=/svc\r\n", "x", "host=[/svc]"),
            ("# c\n\n  [x]  \n\t host=a b \n", "x", "host=[a b]"),
            ("[x]\nhost= a\n", "x", "host=[ a]"),
            ("[x]\nhost=\n", "x", "host=[]"),
            ("[x]\nhost=a=b\n", "x", "host=[a=b]"),
            ("[x]\nhost=a\nhost=b\n[x]\nport=3\n", "x", "host=[a]"),
            ("[x] trailing\nuser=u\n", "x", "user=[u]"),
            ("[xy]\nhost=xy\n[x]\nhost=x\n", "x", "host=[x]"),
            ("[x]\nhost=x\n", "xy", "not found"),
            ("[X]\nhost=x\n", "x", "not found"),
            ("", "x", "not found"),
            // Lines outside the section are not checked.
            ("[other]\nbogus line\n[x]\nhost=h\n", "x", "host=[h]"),
            ("[x]\nhost=h\n[other]\nbogus\n", "x", "host=[h]"),
            ("[x]\n# host=no\nhost=yes\n", "x", "host=[yes]"),
            ("[]\nhost=h\n", "", "host=[h]"),
            ("[x]\nsslmode=bad\n", "x", "sslmode=[bad]"),
        ];
        for &(text, service, expected) in table {
            assert_eq!(settings(text, service), expected, "{text:?} [{service}]");
        }
    }

    #[test]
    fn bad_service_files_are_refused_in_libpqs_words() {
        let table: &[(&str, &str)] = &[
            ("[x]\nhost\n", "syntax error in service file \"f\", line 2"),
            (
                "[x]\nfoo=bar\n",
                "syntax error in service file \"f\", line 2",
            ),
            (
                " [x]\n port = 7\n",
                "syntax error in service file \"f\", line 2",
            ),
            (
                "[x]\nrequiressl=1\n",
                "syntax error in service file \"f\", line 2",
            ),
            (
                "# c\n[x]\nhost=h\nservice=y\n",
                "nested service specifications not supported in service file \"f\", line 4",
            ),
            (
                "[x]\nldap://ldap.example/dc=x?y\n",
                "LDAP lookups are not supported in service file \"f\", line 2",
            ),
        ];
        for &(text, message) in table {
            assert_eq!(settings(text, "x"), format!("ERR: {message}"), "{text:?}");
        }
        let long = format!("[x]\nhost={}\n", "h".repeat(1017));
        assert_eq!(long.lines().nth(1).unwrap().len() + 1, 1023);
        assert_eq!(
            settings(&long, "x"),
            "ERR: line 2 too long in service file \"f\""
        );
        let fits = format!("[x]\nhost={}\n", "h".repeat(1016));
        assert!(settings(&fits, "x").starts_with("host=[hhh"));
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn show(p: &Params) -> String {
        p.iter()
            .map(|(k, v)| format!("{k}=[{v}]"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_files_are_looked_for_in_libpqs_order() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let sys = dir.path().join("sys");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&sys).unwrap();
        let own = write(dir.path(), "own.conf", "[a]\nhost=own\n[b]\nhost=own-b\n");
        write(&home, ".pg_service.conf", "[a]\nhost=home\n[c]\nport=1\n");
        write(&sys, "pg_service.conf", "[a]\nhost=sys\n[d]\nhost=sys-d\n");
        let base = Env {
            home: Some(home.clone()),
            ..Env::empty()
        }
        .with("PGSYSCONFDIR", sys.to_str().unwrap());
        let with_file = base.clone().with("PGSERVICEFILE", own.to_str().unwrap());
        let run = |conninfo: &str, env: &Env| {
            let mut p = parse_conninfo(conninfo).unwrap();
            match apply(&mut p, env) {
                Ok(()) => show(&p),
                Err(e) => format!("ERR: {e}"),
            }
        };
        let table: &[(&str, &Env, &str)] = &[
            ("host=x", &with_file, "host=[x]"),
            ("service=a", &with_file, "host=[own] service=[a]"),
            (
                "service=b port=9",
                &with_file,
                "host=[own-b] port=[9] service=[b]",
            ),
            // Not in PGSERVICEFILE: the system file; ~/.pg_service.conf is not read then.
            ("service=d", &with_file, "host=[sys-d] service=[d]"),
            (
                "service=c",
                &with_file,
                "ERR: definition of service \"c\" not found",
            ),
            ("service=a", &base, "host=[home] service=[a]"),
            ("service=c", &base, "port=[1] service=[c]"),
            ("service=d", &base, "host=[sys-d] service=[d]"),
            // What the string says wins over the service.
            ("service=a host=mine", &base, "host=[mine] service=[a]"),
            ("service=a host=''", &base, "host=[] service=[a]"),
            (
                "service=nope",
                &base,
                "ERR: definition of service \"nope\" not found",
            ),
        ];
        for &(conninfo, env, expected) in table {
            assert_eq!(run(conninfo, env), expected, "{conninfo}");
        }
        // PGSERVICE names the service when the string does not.
        assert_eq!(run("", &base.clone().with("PGSERVICE", "c")), "port=[1]");
        // An empty PGSERVICE is a service named "" (libpq: `definition of service "" not
        // found`).
        assert_eq!(
            run("", &base.clone().with("PGSERVICE", "")),
            "ERR: definition of service \"\" not found"
        );
        let missing = dir.path().join("missing.conf");
        let env = base
            .clone()
            .with("PGSERVICEFILE", missing.to_str().unwrap());
        assert_eq!(
            run("service=a", &env),
            format!("ERR: service file \"{}\" not found", missing.display())
        );
        // No home and no system file: not found.
        let bare = Env::empty().with("PGSYSCONFDIR", dir.path().join("none").to_str().unwrap());
        assert_eq!(
            run("service=a", &bare),
            "ERR: definition of service \"a\" not found"
        );
    }
}
