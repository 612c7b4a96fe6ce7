//! Ctrl-C: what schemaplan made for itself — scratch databases, embedded clusters — is removed
//! before the process exits with code 130. (A `kill -9` is covered for clusters by their
//! watchdog; a scratch database on a `--dev-url` server is then left behind, named
//! `schemaplan_<purpose>_<pid>_<n>`.)
//!
//! A registry of cleanup closures: it knows neither databases nor clusters. Whoever makes
//! something registers how to remove it and forgets it once removed. Cleanups run newest
//! first, so a scratch database goes before the cluster it lives on.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, Once};

type Cleanup = Box<dyn Fn() + Send>;

static CLEANUPS: Mutex<Vec<(u64, Cleanup)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static HANDLER: Once = Once::new();
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The exit code of a process interrupted by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_CODE: i32 = 130;

/// A registered cleanup, to be forgotten once what it removes is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CleanupId(u64);

/// Installs the handler (once per process). If the program set a handler of its own first, the
/// cluster watchdogs still clean up after exit.
pub fn install() {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            INTERRUPTED.store(true, Ordering::SeqCst);
            let cleanups: Vec<(u64, Cleanup)> = std::mem::take(&mut *lock());
            for (_, cleanup) in cleanups.iter().rev() {
                cleanup();
            }
            eprintln!("interrupted");
            std::process::exit(EXIT_CODE);
        });
    });
}

/// Called by the main thread before it exits: once Ctrl-C was pressed, the handler is cleaning
/// up (the main thread may have failed only because its database went away) and exits with
/// 130 itself; the main thread waits for it instead of exiting with its own code.
pub fn wait_if_interrupted() {
    if INTERRUPTED.load(Ordering::SeqCst) {
        std::thread::sleep(std::time::Duration::from_secs(60));
        std::process::exit(EXIT_CODE);
    }
}

/// Runs `cleanup` if the process is interrupted before `forget` is called with the id.
pub fn register(cleanup: impl Fn() + Send + 'static) -> CleanupId {
    install();
    let id = NEXT_ID.fetch_add(1, Ordering::SeqCst);
    lock().push((id, Box::new(cleanup)));
    CleanupId(id)
}

/// What `id` cleans up is gone (or kept on purpose): do not run its cleanup.
pub fn forget(id: CleanupId) {
    lock().retain(|(i, _)| *i != id.0);
}

fn lock() -> std::sync::MutexGuard<'static, Vec<(u64, Cleanup)>> {
    CLEANUPS.lock().unwrap_or_else(|e| e.into_inner())
}
