//! Ctrl-C: what schemaplan made for itself — scratch databases, embedded clusters — is removed
//! before the process exits with code 130. (A `kill -9` is covered for clusters by their
//! watchdog; a scratch database on a `--dev-url` server is then left behind, named
//! `schemaplan_<purpose>_<pid>_<n>`.)

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};

static SCRATCH: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
static CLUSTERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler (once per process). If the program set a handler of its own first, the
/// cluster watchdogs still clean up after exit.
pub fn install() {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            INTERRUPTED.store(true, Ordering::SeqCst);
            let scratch: Vec<(String, String)> =
                SCRATCH.lock().map(|l| l.clone()).unwrap_or_default();
            for (maintenance, name) in scratch {
                crate::pg::db::drop_database(&maintenance, &name);
            }
            let clusters: Vec<PathBuf> = CLUSTERS.lock().map(|l| l.clone()).unwrap_or_default();
            for dir in clusters {
                crate::pg::cluster::stop_and_remove(&dir);
            }
            eprintln!("interrupted");
            std::process::exit(130);
        });
    });
}

/// Called by the main thread before it exits: once Ctrl-C was pressed, the handler is cleaning
/// up (the main thread may have failed only because its database went away) and exits with
/// 130 itself; the main thread waits for it instead of exiting with its own code.
pub fn wait_if_interrupted() {
    if INTERRUPTED.load(Ordering::SeqCst) {
        std::thread::sleep(std::time::Duration::from_secs(60));
        std::process::exit(130);
    }
}

pub fn register_scratch(maintenance: &str, name: &str) {
    install();
    lock(&SCRATCH).push((maintenance.to_string(), name.to_string()));
}

pub fn forget_scratch(name: &str) {
    lock(&SCRATCH).retain(|(_, n)| n != name);
}

pub fn register_cluster(dir: &Path) {
    install();
    lock(&CLUSTERS).push(dir.to_path_buf());
}

pub fn forget_cluster(dir: &Path) {
    lock(&CLUSTERS).retain(|d| d != dir);
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
