//! Where the PostgreSQL server binaries are, and which major version each folder holds.
//!
//! A shadow must run the target's major version: the catalog and `pg_get_*def`'s output differ
//! between majors (16 prints `matches[1]` where 15 prints `processes.matches[1]`, 18 has NOT
//! NULL constraints of its own), and syntax one major accepts another refuses, so a shadow of
//! another version plans false changes or plans what the target cannot run. [`for_major`] never
//! falls back to another version; [`find_bindir`] (any version) serves when the target is
//! itself an embedded cluster.
//!
//! The places, in order: `SCHEMAPLAN_PG_BINDIR`, `pg_config --bindir`, `initdb` on PATH,
//! `/usr/lib/postgresql/<major>/bin` (Debian's), then `<cache>/<major>/bin` where
//! `scripts/pg-versions.sh` installs them ([`cache_dirs`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A folder of server binaries chosen by hand; searched first.
pub const BINDIR_VAR: &str = "SCHEMAPLAN_PG_BINDIR";
/// The cache folder of `scripts/pg-versions.sh` when set there.
pub const CACHE_VAR: &str = "PG_VERSIONS_CACHE";
/// Where `scripts/pg-versions.sh` puts the cache when run as root: the embedded cluster runs as
/// the `postgres` user then, which cannot enter `/root/.cache`.
pub const ROOT_CACHE: &str = "/var/cache/schemaplan/pg";

/// There are no server binaries, or none of the major version asked for.
#[derive(Debug)]
pub struct NoBinaries {
    /// The major version asked for; `None` for any.
    pub major: Option<u32>,
    /// The folders found, with their major version.
    pub found: Vec<(u32, PathBuf)>,
}

impl std::fmt::Display for NoBinaries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let places = format!(
            "{BINDIR_VAR}, `pg_config --bindir`, PATH, /usr/lib/postgresql/<major>/bin and {}",
            cache_dirs()
                .iter()
                .map(|d| format!("{}/<major>/bin", d.display()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let Some(major) = self.major else {
            return write!(
                f,
                "no PostgreSQL server binaries found (looked at {places}); install them \
                 (Debian: apt-get install postgresql) or pass --dev-url"
            );
        };
        let found = if self.found.is_empty() {
            "none".to_string()
        } else {
            self.found
                .iter()
                .map(|(m, d)| format!("{m} in {}", d.display()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(
            f,
            "the target runs PostgreSQL {major}, and there are no PostgreSQL {major} server \
             binaries here for the embedded shadow (looked at {places}; found: {found}); a shadow \
             of another major version plans wrongly, so none is used. Pass --dev-url with a \
             PostgreSQL {major} server, or install its binaries (`scripts/pg-versions.sh {major}`, \
             or point {BINDIR_VAR} at them)"
        )
    }
}

impl std::error::Error for NoBinaries {}

/// The folders `scripts/pg-versions.sh` may have installed into, each holding `<major>/bin`.
pub fn cache_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    // Set, it is the cache, as it is for scripts/pg-versions.sh.
    if let Some(d) = std::env::var_os(CACHE_VAR).filter(|d| !d.is_empty()) {
        return vec![PathBuf::from(d)];
    }
    if let Some(d) = user_cache() {
        dirs.push(d.join("pg"));
    }
    dirs.push(PathBuf::from(ROOT_CACHE));
    dirs
}

/// schemaplan's folder in the user's cache: `$XDG_CACHE_HOME/schemaplan`, else
/// `~/.cache/schemaplan` (`None` without a home).
pub fn user_cache() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| Path::new(&h).join(".cache"))
        })
        .map(|d| d.join("schemaplan"))
}

fn has_server(d: &Path) -> bool {
    d.join("initdb").is_file() && d.join("pg_ctl").is_file() && d.join("postgres").is_file()
}

/// The folders holding a server, in the order of preference the module doc gives, each once.
fn candidates() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    if let Some(d) = std::env::var_os(BINDIR_VAR).filter(|d| !d.is_empty()) {
        out.push(PathBuf::from(d));
    }
    if let Ok(o) = Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
    {
        if o.status.success() {
            out.push(PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let real = fs::canonicalize(dir.join("initdb"))
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf));
            out.extend(real);
        }
    }
    out.extend(versioned(Path::new("/usr/lib/postgresql")));
    for cache in cache_dirs() {
        out.extend(versioned(&cache));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|d| has_server(d) && seen.insert(fs::canonicalize(d).unwrap_or(d.clone())));
    out
}

/// `<root>/<major>/bin` folders, newest major first.
fn versioned(root: &Path) -> Vec<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir(root)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((v, e.path().join("bin")))
        })
        .collect();
    versions.sort_by_key(|v| std::cmp::Reverse(v.0));
    versions.into_iter().map(|(_, d)| d).collect()
}

/// The first folder with server binaries, of any version.
pub fn find_bindir() -> Option<PathBuf> {
    candidates().into_iter().next()
}

/// Any version's folder, as an error when there is none.
pub fn any() -> Result<PathBuf, NoBinaries> {
    find_bindir().ok_or(NoBinaries {
        major: None,
        found: Vec::new(),
    })
}

/// The first folder whose server is of major version `major`; never another version's.
pub fn for_major(major: u32) -> Result<PathBuf, NoBinaries> {
    pick(
        major,
        candidates()
            .into_iter()
            .filter_map(|d| Some((server_major(&d)?, d))),
    )
}

/// The first of `found` (folders with their major version, in order of preference) that is of
/// version `major`.
fn pick(
    major: u32,
    found: impl IntoIterator<Item = (u32, PathBuf)>,
) -> Result<PathBuf, NoBinaries> {
    let mut others = Vec::new();
    for (m, dir) in found {
        if m == major {
            return Ok(dir);
        }
        others.push((m, dir));
    }
    Err(NoBinaries {
        major: Some(major),
        found: others,
    })
}

/// The major version of the server in `bindir`, from `postgres --version`.
pub fn server_major(bindir: &Path) -> Option<u32> {
    let out = Command::new(bindir.join("postgres"))
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| parse_major(&String::from_utf8_lossy(&out.stdout)))
        .flatten()
}

/// The major version in `postgres --version`'s line, `postgres (PostgreSQL) 16.15` (Debian's
/// adds ` (Debian 15.18-0+deb12u1)`; a development build says `18beta1`).
pub fn parse_major(version: &str) -> Option<u32> {
    let rest = version.split("(PostgreSQL)").nth(1)?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The major version of a `server_version_num` (`160015` is 16).
pub fn major_of_version_num(version_num: i32) -> u32 {
    (version_num / 10000).max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majors_from_version_lines() {
        assert_eq!(parse_major("postgres (PostgreSQL) 16.15\n"), Some(16));
        assert_eq!(
            parse_major("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"),
            Some(15)
        );
        assert_eq!(parse_major("postgres (PostgreSQL) 18beta1\n"), Some(18));
        assert_eq!(parse_major("pg_ctl 16.1"), None);
        assert_eq!(major_of_version_num(130023), 13);
        assert_eq!(major_of_version_num(180006), 18);
    }

    #[test]
    fn only_the_asked_major_is_picked() {
        let found = || {
            vec![
                (15, PathBuf::from("/usr/lib/postgresql/15/bin")),
                (16, PathBuf::from("/cache/16/bin")),
                (16, PathBuf::from("/elsewhere/16/bin")),
            ]
        };
        assert_eq!(pick(16, found()).unwrap(), PathBuf::from("/cache/16/bin"));
        let refused = pick(18, found()).unwrap_err().to_string();
        for part in [
            "the target runs PostgreSQL 18",
            "no PostgreSQL 18 server binaries",
            "found: 15 in /usr/lib/postgresql/15/bin, 16 in /cache/16/bin",
            "--dev-url with a PostgreSQL 18 server",
            "scripts/pg-versions.sh 18",
        ] {
            assert!(refused.contains(part), "{part:?} not in: {refused}");
        }
        assert!(
            pick(16, Vec::new())
                .unwrap_err()
                .to_string()
                .contains("found: none")
        );
    }
}
