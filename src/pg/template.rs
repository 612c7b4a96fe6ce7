//! Initialised data directories kept for reuse: `initdb` takes most of an embedded cluster's
//! start (about a second), copying what it wrote takes a tenth of that. The first cluster of a
//! given server build and bootstrap user keeps a copy of its fresh data directory in the cache;
//! later ones start from a copy of that copy.
//!
//! The cache is `$SCHEMAPLAN_CACHE_DIR` (empty: no cache), else `$XDG_CACHE_HOME/schemaplan`,
//! else `~/.cache/schemaplan`: a place CI caches can keep. A template is named by a hash of
//! what initdb's output depends on, and appears whole or not at all (written aside, then
//! renamed), so that clusters started side by side never read half a template.

use std::fs;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Bumped when the initdb command line changes: templates made by another one are not reused.
const INITDB_FORM: &str = "initdb -A trust -E UTF8 --locale=C --no-sync; v1";

/// The folder templates are kept in, from the environment; `None` when caching is off or no
/// home is known.
pub fn cache_from_env() -> Option<PathBuf> {
    match std::env::var_os("SCHEMAPLAN_CACHE_DIR") {
        Some(dir) if dir.is_empty() => None,
        Some(dir) => Some(PathBuf::from(dir)),
        None => crate::pg::binaries::user_cache(),
    }
}

/// Where the template of the server in `bindir` with bootstrap user `superuser` is kept under
/// `cache`. The server build is told by its `postgres` binary's path, size and time: an upgraded
/// package gets a template of its own.
pub fn location(cache: &Path, bindir: &Path, superuser: &str) -> Option<PathBuf> {
    let server = fs::metadata(bindir.join("postgres")).ok()?;
    let identity = format!(
        "{INITDB_FORM}\n{}\n{}\n{}\n{superuser}",
        bindir.display(),
        server.size(),
        server.mtime()
    );
    let hash = crate::stdx::sha256_hex(identity.as_bytes());
    Some(cache.join("templates").join(&hash[..24]))
}

/// Copies the template at `template` to the (absent) data directory `data`, owned by `owner`
/// when given. `Ok(false)` when there is no template yet; on an error, `data` is removed again
/// so that initdb can take over.
pub fn restore(template: &Path, data: &Path, owner: Option<(u32, u32)>) -> io::Result<bool> {
    if !template.join("PG_VERSION").is_file() {
        return Ok(false);
    }
    let copied = copy_tree(template, data, owner);
    if copied.is_err() {
        let _ = fs::remove_dir_all(data);
    }
    copied.map(|()| true)
}

/// Keeps a copy of the fresh data directory `data` as the template at `template`, unless one is
/// there already. Best effort: a cluster runs as well without it.
pub fn keep(data: &Path, template: &Path) {
    if template.exists() {
        return;
    }
    let Some(parent) = template.parent() else {
        return;
    };
    let aside = parent.join(format!(
        ".{}.{}",
        template.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let made = fs::create_dir_all(parent)
        .and_then(|()| fs::set_permissions(parent, fs::Permissions::from_mode(0o700)))
        .and_then(|()| copy_tree(data, &aside, None))
        .and_then(|()| fs::rename(&aside, template));
    if made.is_err() {
        // Another process may have put its template there first: either one is as good.
        let _ = fs::remove_dir_all(&aside);
    }
}

/// Copies the tree at `from` to `to` (which must not exist), keeping permission bits, owned by
/// `owner` when given.
fn copy_tree(from: &Path, to: &Path, owner: Option<(u32, u32)>) -> io::Result<()> {
    fs::create_dir(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &target, owner)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &target)?;
            chown(&target, owner)?;
        }
        // initdb writes no links or sockets into a data directory.
    }
    fs::set_permissions(to, fs::metadata(from)?.permissions())?;
    chown(to, owner)
}

fn chown(path: &Path, owner: Option<(u32, u32)>) -> io::Result<()> {
    match owner {
        Some((uid, gid)) => std::os::unix::fs::chown(path, Some(uid), Some(gid)),
        None => Ok(()),
    }
}
