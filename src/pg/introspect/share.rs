//! Reading the catalog on several sessions at once, as `pg_dump -j` does: the reading
//! transaction exports its snapshot, each helper session imports it and takes a share of the
//! queries, and every query still sees the same catalog.
//!
//! The builder resolves most rows through maps earlier queries filled (namespaces, relations →
//! columns …), so helpers run only queries whose rows can be read without them — the columns
//! (a fifth of the rows, printed defaults) and `pg_depend` (the most rows) — into owned values
//! the builder places when it reaches them ([`Share`]). The builder's own session meanwhile reads
//! everything else. A share no helper has taken yet when the builder needs it, or whose helper
//! failed, the builder reads itself: the result is the same model whichever session read what,
//! and a read with no helper at all is the one-session read.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use postgres::Client;

use super::columns::{RelationColumns, read_columns};
use super::dependencies::{Dependency, read_dependencies};
use super::session::{IntrospectError, Session};
use crate::pg::conn::Target;

/// How long the reading session waits for its helpers to connect and import its snapshot
/// before it reads alone (a pooler may queue a second connection behind the first, a host may
/// not answer). It runs nothing meanwhile: whatever it ran could fail and end the exporting
/// transaction before the import, and once every helper has imported, nothing the reading
/// session does can take the snapshot from them.
const IMPORT_WAIT: Duration = Duration::from_secs(1);

/// Below this many relations (tables, views, materialized views) a helper's connection is not
/// worth having: measured on two cores, 550 relations read in 0.21 s with a helper or without;
/// GitLab's 1,415 in 0.55 s with one and 0.83 without (`inspect`).
const MIN_RELATIONS: i64 = 1000;

/// Helper sessions beside the reading one. On two cores a second helper (the columns and
/// `pg_depend` on a session each) read no faster than one: the columns are about as long as
/// everything the builder reads itself, and both cores are busy already.
const HELPERS: usize = 1;

/// Where helper sessions come from: another session on the database a read is on, as the same
/// user with the same settings, or `None` when one cannot be had (the read then goes on
/// alone, as it does on any failure of a helper).
#[derive(Clone)]
pub struct Sessions {
    open: Arc<dyn Fn() -> Option<Client> + Send + Sync>,
    /// At most this many helpers.
    helpers: usize,
    /// No helper for a read of fewer relations.
    min_relations: i64,
}

impl Sessions {
    /// Sessions `open` opens.
    pub fn new(open: impl Fn() -> Option<Client> + Send + Sync + 'static) -> Sessions {
        Sessions {
            open: Arc::new(open),
            helpers: HELPERS,
            min_relations: MIN_RELATIONS,
        }
    }

    /// Sessions opened with `target`'s settings (the reading session's own).
    pub fn to(target: &Target) -> Sessions {
        let target = target.clone();
        Sessions::new(move || target.connect().ok().map(|c| c.client))
    }

    /// At most `helpers` helpers (0: the one-session read).
    pub fn helpers(mut self, helpers: usize) -> Sessions {
        self.helpers = helpers;
        self
    }

    /// Helpers only for a read of at least `relations` relations (tests read small schemas
    /// with helpers from 0).
    pub fn from_relations(mut self, relations: i64) -> Sessions {
        self.min_relations = relations;
        self
    }

    /// Whether a read of `relations` relations is worth a helper.
    pub(super) fn worth_it(&self, relations: i64) -> bool {
        self.helpers > 0 && relations >= self.min_relations
    }
}

/// A query a helper may run for the builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Share {
    Columns,
    Dependencies,
}

/// What a helper read for one share.
pub(super) enum Payload {
    Columns(Vec<RelationColumns>),
    Dependencies(Vec<Dependency>),
}

/// Where a share stands.
enum Slot {
    /// Nobody has it yet.
    Open,
    /// A helper is reading it.
    Taken,
    /// A helper read it; the builder has not taken it yet.
    Read(Payload),
    /// The builder has it: taken from a helper, or read itself.
    Claimed,
}

/// What the builder and its helpers share.
struct Board {
    shares: Vec<(Share, Slot)>,
    /// Per helper: `None` while it connects and imports, then whether it could.
    imported: Vec<Option<bool>>,
    /// The builder stopped waiting for imports: a helper that imports now takes nothing.
    closed: bool,
    /// Queries the helpers ran.
    queries: usize,
}

struct Shared {
    board: Mutex<Board>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Board> {
        // A helper that panicked left nothing half-written that matters: its share is read again.
        self.board
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What a helper reads with: the read's schemas and server version.
#[derive(Clone)]
pub(super) struct Job {
    pub(super) schemas: Vec<String>,
    pub(super) server_version: i32,
}

/// The reading session's side: its helpers (none for a one-session read).
pub(super) struct Helpers {
    shared: Option<Arc<Shared>>,
    /// Those that imported the snapshot, joined when the read is done.
    working: Vec<JoinHandle<()>>,
}

impl Helpers {
    /// No helper: the builder reads every share itself.
    pub(super) fn none() -> Helpers {
        Helpers {
            shared: None,
            working: Vec::new(),
        }
    }

    /// Starts helpers on `snapshot` for `shares` (in the order the builder needs them), and
    /// returns once each has imported it or failed to, or after [`IMPORT_WAIT`]: until then the
    /// exporting transaction must stay as it is, so the caller runs nothing before.
    pub(super) fn start(
        sessions: &Sessions,
        snapshot: String,
        shares: &[Share],
        job: Job,
    ) -> Helpers {
        let count = sessions.helpers.min(shares.len());
        let shared = Arc::new(Shared {
            board: Mutex::new(Board {
                shares: shares.iter().map(|&s| (s, Slot::Open)).collect(),
                imported: vec![None; count],
                closed: false,
                queries: 0,
            }),
            changed: Condvar::new(),
        });
        let handles: Vec<Option<JoinHandle<()>>> = (0..count)
            .map(|index| {
                let (shared, open) = (shared.clone(), sessions.open.clone());
                let (snapshot, job) = (snapshot.clone(), job.clone());
                let helper = move || help(index, &*open, &snapshot, &job, &shared);
                std::thread::Builder::new()
                    .name("introspect helper".into())
                    .spawn(helper)
                    .ok()
            })
            .collect();
        let imported = wait_for_imports(&shared, &handles);
        // A helper that did not import in time is left to end on its own (it takes nothing).
        let working = (handles.into_iter().zip(imported))
            .filter_map(|(h, ok)| h.filter(|_| ok))
            .collect::<Vec<_>>();
        Helpers {
            shared: (!working.is_empty()).then_some(shared),
            working,
        }
    }

    /// How many sessions read: the builder's and its helpers'.
    pub(super) fn sessions(&self) -> usize {
        1 + self.working.len()
    }

    /// What a helper read for `share`, waiting while one reads it; `None` when the builder is
    /// to read it itself (no helper took it, or its helper failed).
    pub(super) fn take(&self, share: Share) -> Option<Payload> {
        let shared = self.shared.as_ref()?;
        let mut board = shared.lock();
        loop {
            let (_, slot) = board.shares.iter_mut().find(|(s, _)| *s == share)?;
            match std::mem::replace(slot, Slot::Claimed) {
                Slot::Read(payload) => return Some(payload),
                Slot::Open | Slot::Claimed => return None,
                Slot::Taken => *slot = Slot::Taken,
            }
            board = (shared.changed.wait(board)).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Waits for the helpers to end (each ends once no share is open) and returns how many
    /// queries they ran.
    pub(super) fn finish(mut self) -> usize {
        for handle in self.working.drain(..) {
            let _ = handle.join();
        }
        self.shared.as_ref().map_or(0, |s| s.lock().queries)
    }
}

impl Drop for Helpers {
    /// On an error of the builder's own, the helpers take no further share and are left to end
    /// their current query on their own.
    fn drop(&mut self) {
        if let Some(shared) = &self.shared {
            for (_, slot) in shared.lock().shares.iter_mut() {
                if matches!(slot, Slot::Open) {
                    *slot = Slot::Claimed;
                }
            }
        }
    }
}

/// Waits until every started helper has imported the snapshot or failed, for at most
/// [`IMPORT_WAIT`]; then closes the door on the rest. Returns which imported.
fn wait_for_imports(shared: &Shared, handles: &[Option<JoinHandle<()>>]) -> Vec<bool> {
    let deadline = Instant::now() + IMPORT_WAIT;
    let mut board = shared.lock();
    for (state, handle) in board.imported.iter_mut().zip(handles) {
        if handle.is_none() {
            *state = Some(false);
        }
    }
    while board.imported.iter().any(Option::is_none) {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            break;
        };
        board = match shared.changed.wait_timeout(board, left) {
            Ok((board, _)) => board,
            Err(poisoned) => poisoned.into_inner().0,
        };
    }
    board.closed = true;
    board.imported.iter().map(|s| *s == Some(true)).collect()
}

/// A helper: connects, imports the snapshot, says so, then reads open shares in order until
/// none is left. On any failure it stops; the share it held is read by the builder.
fn help(
    index: usize,
    open: &(dyn Fn() -> Option<Client> + Send + Sync),
    snapshot: &str,
    job: &Job,
    shared: &Shared,
) {
    let mut client = open();
    let session = client
        .as_mut()
        .and_then(|c| Session::importing(c, snapshot).ok());
    let admitted = {
        let mut board = shared.lock();
        let admitted = !board.closed && session.is_some();
        if !board.closed {
            board.imported[index] = Some(admitted);
        }
        shared.changed.notify_all();
        admitted
    };
    let (true, Some(mut s)) = (admitted, session) else {
        return;
    };
    while let Some(share) = next_share(shared) {
        // A panic (a row the conversion did not expect) is a failure like another: the builder
        // reads the share again itself, and meets it on its own thread.
        let read = std::panic::catch_unwind(AssertUnwindSafe(|| run(&mut s, share, job)));
        let read = read.ok().and_then(Result::ok);
        let failed = read.is_none();
        let mut board = shared.lock();
        if let Some((_, slot)) = board.shares.iter_mut().find(|(s, _)| *s == share) {
            *slot = read.map_or(Slot::Open, Slot::Read);
        }
        board.queries += usize::from(!failed);
        shared.changed.notify_all();
        if failed {
            return;
        }
    }
    let _ = s.commit();
}

/// The first share nobody has taken, now the caller's.
fn next_share(shared: &Shared) -> Option<Share> {
    let mut board = shared.lock();
    let (share, slot) = board
        .shares
        .iter_mut()
        .find(|(_, slot)| matches!(slot, Slot::Open))?;
    *slot = Slot::Taken;
    Some(*share)
}

/// Reads one share on a helper's session, keeping every row.
fn run(s: &mut Session<'_>, share: Share, job: &Job) -> Result<Payload, IntrospectError> {
    Ok(match share {
        Share::Columns => {
            let mut read = Vec::new();
            read_columns(s, &job.schemas, job.server_version, &mut |r| read.push(r))?;
            Payload::Columns(read)
        }
        Share::Dependencies => {
            let mut read = Vec::new();
            read_dependencies(s, &mut |d| read.push(d))?;
            Payload::Dependencies(read)
        }
    })
}
