//! The password file (`~/.pgpass`, or the one `passfile` / `PGPASSFILE` names), read as libpq
//! reads it for each host it tries: lines `hostname:port:database:username:password`, `*`
//! matching anything in the first four fields, `\:` and `\\` escaping, `#` starting a comment
//! line, and the first matching line winning. A file that is not a regular file, or that the
//! group or others may access, is ignored with libpq's warning.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use super::env::Env;
use super::hosts::{HostSpec, is_socket_path};
use super::keywords::{DEFAULT_HOST, DEFAULT_SOCKET_DIR};
use super::params::Params;

/// What the password file gives for one host.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasswordLookup {
    pub password: Option<String>,
    /// A warning to print (as libpq prints it on stderr) when the file was ignored.
    pub warning: Option<String>,
}

/// The password file libpq would read for `params` (resolved, see
/// [`resolve`](super::resolve::resolve)): `passfile` when set and not empty, else
/// `~/.pgpass`. For the hint libpq adds when a password from the file is refused
/// (`password retrieved from file "…"`).
pub fn file(params: &Params, env: &Env) -> Option<PathBuf> {
    match params.nonempty("passfile") {
        Some(f) => Some(PathBuf::from(f)),
        None => env.home.as_ref().map(|home| home.join(".pgpass")),
    }
}

/// The password for connecting to `host` with the resolved `params`, when the parameters give
/// none (`password` unset or empty). The user and database are the resolved ones; a socket in
/// the default directory matches `localhost`, another socket directory matches itself; a
/// host given only by `hostaddr` matches by its address. The port is compared as a number's
/// usual spelling. A matching line with an empty password gives no password (libpq then has
/// none either) and ends the search.
pub fn lookup(params: &Params, host: &HostSpec, env: &Env) -> PasswordLookup {
    let none = PasswordLookup::default();
    if params.nonempty("password").is_some() {
        return none;
    }
    let (Some(path), Some(dbname), Some(user)) = (
        file(params, env),
        params.nonempty("dbname"),
        params.nonempty("user"),
    ) else {
        return none;
    };
    let mut hostname = host.name();
    if hostname.is_empty() || (is_socket_path(hostname) && hostname == DEFAULT_SOCKET_DIR) {
        hostname = DEFAULT_HOST;
    }
    // A FIFO or device is never opened (libpq opens first; opening a FIFO would block).
    let Ok(meta) = std::fs::metadata(&path) else {
        return none;
    };
    let warn = |what: &str| PasswordLookup {
        password: None,
        warning: Some(format!(
            "WARNING: password file \"{}\" {what}",
            path.display()
        )),
    };
    if !meta.is_file() {
        return warn("is not a plain file");
    }
    let Ok(mut f) = File::open(&path) else {
        return none;
    };
    let mode = f
        .metadata()
        .map_or(meta.permissions().mode(), |m| m.permissions().mode());
    if mode & 0o077 != 0 {
        return warn("has group or world access; permissions should be u=rw (0600) or less");
    }
    let mut text = Vec::new();
    if f.read_to_end(&mut text).is_err() {
        return none;
    }
    let port = host.port.to_string();
    let password = find(&text, [hostname, &port, dbname, user]);
    PasswordLookup {
        password: password.filter(|p| !p.is_empty()),
        warning: None,
    }
}

/// The password of the first line of `text` whose four fields match `keys`
/// (host, port, database, user).
fn find(text: &[u8], keys: [&str; 4]) -> Option<String> {
    for line in text.split(|&b| b == b'\n') {
        if line.first() == Some(&b'#') {
            continue;
        }
        let end = line
            .iter()
            .rposition(|&b| b != b'\r' && b != b'\n')
            .map_or(0, |i| i + 1);
        let mut rest = &line[..end];
        if rest.is_empty() {
            continue;
        }
        let matched = keys
            .iter()
            .all(|key| match field_matches(rest, key.as_bytes()) {
                Some(after) => {
                    rest = after;
                    true
                }
                None => false,
            });
        if matched {
            return Some(password(rest));
        }
    }
    None
}

/// When the first field of `line` is `*` or equals `token` (with `\` escaping the next
/// character), the rest of the line after the field's `:`.
fn field_matches<'a>(line: &'a [u8], token: &[u8]) -> Option<&'a [u8]> {
    if line.starts_with(b"*:") {
        return Some(&line[2..]);
    }
    let (mut i, mut t) = (0, 0);
    while i < line.len() {
        let mut escaped = false;
        if line[i] == b'\\' {
            i += 1;
            escaped = true;
        }
        let c = line.get(i);
        if c == Some(&b':') && !escaped && t == token.len() {
            return Some(&line[i + 1..]);
        }
        if t == token.len() || c != Some(&token[t]) {
            return None;
        }
        i += 1;
        t += 1;
    }
    None
}

/// The password field: up to an unescaped `:`, with `\` escapes removed.
fn password(field: &[u8]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < field.len() && field[i] != b':' {
        if field[i] == b'\\' && i + 1 < field.len() {
            i += 1;
        }
        out.push(field[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::conn::hosts::hosts;
    use crate::pg::conn::params::parse;
    use crate::pg::conn::resolve::resolve;
    use std::path::Path;

    const FILE: &str = "# comment
localhost:5432:db1:u1:pw-local
/tmp:5432:db1:u1:pw-tmp
h\\:x:*:*:u1:pw-colonhost
*:5433:*:u1:pw\\:with\\\\colon:trailing
h2:*:*:*:pw2
  h3:*:*:*:leading-space
*:*:*:u2:first
*:*:*:u2:second
127.0.0.1:*:*:*:byaddr
h5:*:*:*:
h6:*:*:u6
h7:*:*:*:crlf\r
#h8:*:*:*:commented
h9:*:d\\*:*:literal-star
h9:*:*:*:star
";

    fn write(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    fn env_for(file: &Path) -> Env {
        Env {
            user: Some("osuser".to_string()),
            ..Env::empty()
        }
        .with("PGPASSFILE", file.to_str().unwrap())
    }

    /// The password for the first host of `conninfo`.
    fn first(conninfo: &str, env: &Env) -> PasswordLookup {
        let params = resolve(parse(conninfo).unwrap(), env).unwrap();
        let host = &hosts(&params).unwrap()[0];
        lookup(&params, host, env)
    }

    /// Each row was checked with libpq 15 (`PGPASSFILE=f`, `PQconnectStart`, `PQpass`).
    #[test]
    fn lines_match_as_in_libpq() {
        let dir = tempfile::tempdir().unwrap();
        let env = env_for(&write(dir.path(), "pgpass", FILE, 0o600));
        let table: &[(&str, Option<&str>)] = &[
            (
                "host=/var/run/postgresql user=u1 dbname=db1",
                Some("pw-local"),
            ),
            ("user=u1 dbname=db1", Some("pw-local")),
            ("host=localhost user=u1 dbname=db1", Some("pw-local")),
            ("host=/tmp user=u1 dbname=db1", Some("pw-tmp")),
            ("host=/var/run/postgresql/ user=u1 dbname=db1", None),
            ("host=h:x user=u1", Some("pw-colonhost")),
            ("host=any port=5433 user=u1", Some("pw:with\\colon")),
            ("host=any port=5434 user=u1", None),
            ("host=h2 user=zz", Some("pw2")),
            ("host=h3 user=zz", None),
            ("host=q user=u2", Some("first")),
            ("hostaddr=127.0.0.1 user=q", Some("byaddr")),
            ("hostaddr=127.0.0.1 host=named user=q", None),
            ("host=h5 user=q", None),
            ("host=h6 user=u6", None),
            ("host=h7 user=q", Some("crlf")),
            ("host=h8 user=q", None),
            ("host=h9 user=q dbname=d*", Some("literal-star")),
            ("host=h9 user=q dbname=dx", Some("star")),
            ("host=h2 user=zz password=given", None),
            ("host=h2 user=zz password=''", Some("pw2")),
            ("postgresql://u2@h/db", Some("first")),
            ("postgresql://u2:given@h/db", None),
        ];
        for &(conninfo, expected) in table {
            let got = first(conninfo, &env);
            assert_eq!(got.password.as_deref(), expected, "{conninfo}");
            assert_eq!(got.warning, None, "{conninfo}");
        }
        // The file from `passfile` in the string wins over PGPASSFILE.
        let other = write(dir.path(), "other", "*:*:*:*:from-other\n", 0o600);
        let conninfo = format!("host=h2 user=zz passfile={}", other.display());
        assert_eq!(
            first(&conninfo, &env).password.as_deref(),
            Some("from-other")
        );
    }

    #[test]
    fn each_host_has_its_own_line() {
        let dir = tempfile::tempdir().unwrap();
        let env = env_for(&write(
            dir.path(),
            "pgpass",
            "a:5432:*:*:pa\nb:6000:*:*:pb\n",
            0o600,
        ));
        let params = resolve(parse("host=a,b,c port=5432,6000,5432").unwrap(), &env).unwrap();
        let got: Vec<Option<String>> = hosts(&params)
            .unwrap()
            .iter()
            .map(|h| lookup(&params, h, &env).password)
            .collect();
        assert_eq!(got, [Some("pa".into()), Some("pb".into()), None]);
    }

    #[test]
    fn the_file_is_found_and_checked_as_libpq_does() {
        let dir = tempfile::tempdir().unwrap();
        let text = "*:*:*:*:secret\n";
        let open = write(dir.path(), "open", text, 0o640);
        let world = write(dir.path(), "world", text, 0o604);
        let owner_only = write(dir.path(), "ro", text, 0o400);
        let home = dir.path().join("home");
        std::fs::create_dir(&home).unwrap();
        write(&home, ".pgpass", "*:*:*:*:from-home\n", 0o600);
        let group_warning = |p: &Path| {
            format!(
                "WARNING: password file \"{}\" has group or world access; permissions should \
                 be u=rw (0600) or less",
                p.display()
            )
        };
        for path in [&open, &world] {
            let got = first("host=h", &env_for(path));
            assert_eq!(got.password, None);
            assert_eq!(got.warning, Some(group_warning(path)));
        }
        assert_eq!(
            first("host=h", &env_for(&owner_only)).password.as_deref(),
            Some("secret")
        );
        let got = first("host=h", &env_for(dir.path()));
        assert_eq!(got.password, None);
        assert_eq!(
            got.warning,
            Some(format!(
                "WARNING: password file \"{}\" is not a plain file",
                dir.path().display()
            ))
        );
        // A missing file is ignored without a word.
        let missing = first("host=h", &env_for(&dir.path().join("missing")));
        assert_eq!(missing, PasswordLookup::default());
        // Without PGPASSFILE or passfile: ~/.pgpass; without a home, nothing.
        let at_home = Env {
            home: Some(home.clone()),
            user: Some("u".into()),
            ..Env::empty()
        };
        assert_eq!(
            first("host=h", &at_home).password.as_deref(),
            Some("from-home")
        );
        let params = resolve(parse("").unwrap(), &at_home).unwrap();
        assert_eq!(file(&params, &at_home), Some(home.join(".pgpass")));
        let homeless = Env {
            user: Some("u".into()),
            ..Env::empty()
        };
        assert_eq!(first("host=h", &homeless), PasswordLookup::default());
        // `passfile=''` means the default file, not PGPASSFILE.
        let env = env_for(&owner_only);
        let env = Env {
            home: Some(home.clone()),
            ..env
        };
        assert_eq!(
            first("host=h passfile=''", &env).password.as_deref(),
            Some("from-home")
        );
    }

    #[test]
    fn fields_and_passwords_unescape_as_in_libpq() {
        let table: &[(&str, &str, Option<&str>)] = &[
            ("*:rest", "anything", Some("rest")),
            ("abc:rest", "abc", Some("rest")),
            ("abc:rest", "ab", None),
            ("ab:rest", "abc", None),
            ("a\\:b:rest", "a:b", Some("rest")),
            ("a\\\\b:rest", "a\\b", Some("rest")),
            ("\\*:rest", "*", Some("rest")),
            ("*x:rest", "*x", Some("rest")),
            ("abc", "abc", None),
            ("abc\\", "abc", None),
            (":rest", "", Some("rest")),
        ];
        for &(line, token, expected) in table {
            let got = field_matches(line.as_bytes(), token.as_bytes())
                .map(|r| String::from_utf8_lossy(r).into_owned());
            assert_eq!(got.as_deref(), expected, "{line} / {token}");
        }
        for (field, expected) in [
            ("plain", "plain"),
            ("a\\:b:c", "a:b"),
            ("a\\\\b", "a\\b"),
            ("trailing\\", "trailing\\"),
            ("", ""),
            ("x:y", "x"),
        ] {
            assert_eq!(password(field.as_bytes()), expected, "{field}");
        }
    }
}
