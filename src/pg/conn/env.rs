//! What libpq reads from the process besides the connection string: environment variables,
//! the home directory (`~/.pgpass`, `~/.pg_service.conf`, `~/.postgresql/`), and the operating
//! system user (the default user name). Read once at the edge and passed in, so that every
//! rule that uses it can be tested with an environment of its own.

use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    /// Environment variables by name (only those libpq reads matter).
    pub vars: BTreeMap<String, String>,
    /// The home directory, when known.
    pub home: Option<PathBuf>,
    /// The operating system user name, when known.
    pub user: Option<String>,
}

impl Env {
    /// The environment of this process.
    pub fn from_process() -> Env {
        let vars = std::env::vars()
            .filter(|(k, _)| k.starts_with("PG") || k == "HOME")
            .collect();
        Env {
            vars,
            home: std::env::var_os("HOME").map(PathBuf::from),
            user: os_user(),
        }
    }

    /// An environment with nothing set (tests add what they need).
    pub fn empty() -> Env {
        Env::default()
    }

    /// A variable's value, when set and not empty. (libpq counts a variable set to the empty
    /// string as set — `PGSSLMODE=` is an invalid sslmode — so resolution reads `vars`
    /// directly; this is for questions such as "does the environment name a host?".)
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The same environment with `name` set to `value`.
    pub fn with(mut self, name: &str, value: &str) -> Env {
        self.vars.insert(name.to_string(), value.to_string());
        self
    }
}

/// The name of the user this process runs as (from the password database, as libpq does).
fn os_user() -> Option<String> {
    // SAFETY: getpwuid returns a pointer into static storage or null; the name is copied out
    // at once, before any other call could overwrite it.
    unsafe {
        let pw = libc::getpwuid(libc::geteuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            return None;
        }
        Some(
            std::ffi::CStr::from_ptr((*pw).pw_name)
                .to_string_lossy()
                .into_owned(),
        )
    }
}
