//! The fleet's own record: a JSON file (the fleet file's `state:`) with every `fleet apply`
//! run — the plans it made, and per target its wave, plan, status and run id in the target's
//! history. A rerun reads it to carry an unfinished fleet run on; `fleet status` prints it;
//! `fleet rollback` undoes a run from it. Written whole after each target (to a temporary file
//! renamed over the old one, so a kill leaves the old or the new record, never half of one),
//! and held by one `fleet apply` at a time through a lock file beside it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::plan::steps::SavedPlan;

/// Every fleet run recorded, oldest first.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub runs: Vec<FleetRun>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Under way, or stopped by a kill: a rerun carries it on.
    Running,
    /// Stopped at a failed or unreachable target: a rerun carries it on.
    Halted,
    Completed,
    RolledBack,
    /// Left unfinished by `fleet apply --new-run`: never carried on.
    Abandoned,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// Not begun.
    Pending,
    /// Its plan is being applied (a kill leaves it so; the rerun finds its run in the
    /// target's history).
    Running,
    /// Its plan ran to the end (this run or an earlier apply).
    Applied,
    /// Nothing to do.
    Unchanged,
    Failed,
    Unreachable,
    RolledBack,
}

impl TargetStatus {
    /// Nothing left to do for this target in its run.
    pub fn done(self) -> bool {
        matches!(self, TargetStatus::Applied | TargetStatus::Unchanged)
    }
}

/// One `fleet apply`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FleetRun {
    /// 1, 2, … in the file.
    pub id: u32,
    /// Seconds since 1970 (UTC).
    pub started: u64,
    pub finished: Option<u64>,
    pub desired_digest: String,
    pub tool_version: String,
    /// `--phase` (expand, backfill, contract or all).
    pub phase: String,
    pub status: RunStatus,
    /// The plans, by key (several targets share one).
    pub plans: BTreeMap<String, SavedPlan>,
    pub targets: Vec<TargetRecord>,
}

/// What happened to one target in a run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TargetRecord {
    pub name: String,
    /// 1-based; canaries are wave 1 when there are any.
    pub wave: usize,
    /// The key of its plan in `plans` (none: not planned).
    pub plan: Option<String>,
    pub status: TargetStatus,
    /// Its run in the target's own history (`schemaplan.migrations`).
    pub migration: Option<i64>,
    /// Steps applied by this run.
    pub steps: usize,
    pub message: Option<String>,
}

impl FleetRun {
    /// Whether a rerun carries it on.
    pub fn unfinished(&self) -> bool {
        matches!(self.status, RunStatus::Running | RunStatus::Halted)
    }

    pub fn target(&self, name: &str) -> Option<&TargetRecord> {
        self.targets.iter().find(|t| t.name == name)
    }

    pub fn target_mut(&mut self, name: &str) -> Option<&mut TargetRecord> {
        self.targets.iter_mut().find(|t| t.name == name)
    }
}

/// The key a saved plan is kept under: a hash of all of it (two targets of different schemas
/// may have plans of the same steps, but not the same saved plan).
pub fn plan_key(saved: &SavedPlan) -> String {
    crate::stdx::sha256_hex(saved.to_json().as_bytes())[..16].to_string()
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Reads the state file (an empty record when there is none yet).
pub fn load(path: &Path) -> Result<State, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            Error::Usage(format!(
                "{}: not a fleet state file schemaplan can read: {e}",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
        Err(source) => Err(Error::Read {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// Writes the state file whole: to a temporary file, flushed, then renamed over the old one.
pub fn save(path: &Path, state: &State) -> Result<(), Error> {
    let failed = |source| Error::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let temporary = path.with_extension("json.tmp");
    let text = serde_json::to_string_pretty(state).expect("the state serializes");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&temporary).map_err(failed)?;
        f.write_all(text.as_bytes()).map_err(failed)?;
        f.sync_all().map_err(failed)?;
    }
    std::fs::rename(&temporary, path).map_err(failed)
}

/// The lock file of a state file, held while a `fleet apply` or `fleet rollback` runs.
pub struct StateLock {
    path: PathBuf,
}

impl StateLock {
    /// Takes the lock: refused while a live process holds it; taken over from a process that
    /// is gone (killed).
    pub fn take(state: &Path) -> Result<StateLock, Error> {
        let path = state.with_extension("lock");
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                path: dir.display().to_string(),
                source,
            })?;
        }
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    use std::io::Write;
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(StateLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let alive = holder.trim().parse::<u32>().is_ok_and(|pid| {
                        pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists()
                    });
                    if alive {
                        return Err(Error::Usage(format!(
                            "another fleet run (pid {}) holds {}; wait for it to end",
                            holder.trim(),
                            path.display()
                        )));
                    }
                    // Left by a process that is gone.
                    let _ = std::fs::remove_file(&path);
                }
                Err(source) => {
                    return Err(Error::Write {
                        path: path.display().to_string(),
                        source,
                    });
                }
            }
        }
        Err(Error::Usage(format!("cannot take {}", path.display())))
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_state_reads_back_and_a_live_lock_refuses() {
        let dir = std::env::temp_dir().join(format!("fleet-state-{}", std::process::id()));
        let path = dir.join("state.json");
        assert!(load(&path).unwrap().runs.is_empty());
        let state = State {
            runs: vec![FleetRun {
                id: 1,
                started: 5,
                finished: None,
                desired_digest: "d".into(),
                tool_version: "v".into(),
                phase: "all".into(),
                status: RunStatus::Halted,
                plans: BTreeMap::new(),
                targets: vec![TargetRecord {
                    name: "eu".into(),
                    wave: 1,
                    plan: None,
                    status: TargetStatus::Unreachable,
                    migration: None,
                    steps: 0,
                    message: Some("refused".into()),
                }],
            }],
        };
        save(&path, &state).unwrap();
        let back = load(&path).unwrap();
        assert!(back.runs[0].unfinished());
        assert_eq!(back.runs[0].targets[0].status, TargetStatus::Unreachable);
        let lock = StateLock::take(&path).unwrap();
        // This process holds it; a lock file naming a live other process refuses.
        std::fs::write(path.with_extension("lock"), "1").unwrap();
        assert!(StateLock::take(&path).is_err());
        std::fs::write(path.with_extension("lock"), "999999999").unwrap();
        let again = StateLock::take(&path).unwrap();
        drop(again);
        drop(lock);
        assert!(!path.with_extension("lock").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
