//! An embedded, throwaway PostgreSQL cluster started from the local server binaries. It serves as
//! the shadow database (and as the target when `plan` is given no database) and is removed when
//! dropped, on Ctrl-C, and — through a watchdog process — even when schemaplan is killed.
//!
//! PostgreSQL refuses to run as root; when schemaplan runs as root, the cluster runs as the
//! `postgres` user.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::pg::binaries::{self, NoBinaries};
use crate::pg::interrupt::{self, CleanupId};
use crate::pg::template;

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(transparent)]
    NoBinaries(#[from] NoBinaries),
    #[error(
        "running as root, but there is no `postgres` user to run the embedded cluster as; \
         install PostgreSQL's server package (it creates the user) or pass --dev-url"
    )]
    NoPostgresUser,
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{what} failed:\n{output}")]
    Command { what: String, output: String },
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ClusterError {
    let what = what.into();
    move |source| ClusterError::Io { what, source }
}

/// How to set up an embedded cluster beyond the defaults of [`EmbeddedCluster::start`] (unix
/// socket only, initdb's `pg_hba.conf`): for tests that need a server over TCP, with TLS, or
/// with settings of their own.
#[derive(Clone, Debug, Default)]
pub struct ClusterOptions {
    /// Also listen on 127.0.0.1, at a free port.
    pub tcp: bool,
    /// Lines appended to `postgresql.conf` (`ssl = on`, `ssl_cert_file = 'server.crt'`, …).
    pub settings: Vec<String>,
    /// The whole of `pg_hba.conf`, replacing initdb's.
    pub hba: Option<String>,
    /// Files written into the data directory before the server starts (relative paths in
    /// `settings` are resolved against it), owned by the user the server runs as.
    pub files: Vec<ClusterFile>,
    /// The folder of the server binaries; when `None`, the first found of any version
    /// ([`binaries::find_bindir`]). A shadow for a target passes its major's
    /// ([`binaries::for_major`]).
    pub bindir: Option<PathBuf>,
    /// Where initialised data directories are kept for reuse (`pg::template`); `None`: where
    /// the environment says ([`template::cache_from_env`]).
    pub template_cache: Option<PathBuf>,
}

/// A file for the server to read (a certificate, a key), written into its data directory.
#[derive(Clone, Debug)]
pub struct ClusterFile {
    /// The file name inside the data directory.
    pub name: String,
    pub contents: Vec<u8>,
    /// Permission bits (a server key must be 0600).
    pub mode: u32,
}

/// The address the server listens on when [`ClusterOptions::tcp`] is set.
pub const TCP_HOST: &str = "127.0.0.1";

/// How many free ports are tried before giving up when another process takes the one picked.
const PORT_ATTEMPTS: usize = 8;

pub struct EmbeddedCluster {
    /// Holds the data directory and the socket; removed on drop.
    dir: PathBuf,
    bindir: PathBuf,
    /// uid and gid the server runs as, when schemaplan runs as root.
    run_as: Option<(u32, u32)>,
    /// The server's port: over TCP when it listens there, and in the unix socket's name.
    pub port: u16,
    /// Whether the server also listens on [`TCP_HOST`].
    tcp: bool,
    stopped: bool,
    /// What removes the cluster if the process is interrupted.
    cleanup: Option<CleanupId>,
    /// The bootstrap superuser, which the connection strings name.
    superuser: String,
    /// The postmaster, reaped once stopped.
    server: Option<std::process::Child>,
}

/// The bootstrap superuser of a cluster started with the default options (tests connect as it).
pub const SUPERUSER: &str = "postgres";

/// The bootstrap superuser of schemaplan's own clusters ([`EmbeddedCluster::start_own`]). Not
/// `postgres`: a target's objects are often owned by a role of that name, and the rehearsal's
/// copy of them must belong to a role the shadow role may act for — an ordinary role, created
/// there like any other role the target names. A superuser owner would give SQL from the YAML
/// a superuser's rights through its SECURITY DEFINER functions, and the shadow role cannot act
/// for one.
pub const BOOTSTRAP_USER: &str = "schemaplan_bootstrap";

impl EmbeddedCluster {
    /// Creates and starts a cluster in a fresh temporary directory.
    pub fn start() -> Result<EmbeddedCluster, ClusterError> {
        EmbeddedCluster::start_with(ClusterOptions::default())
    }

    /// Creates and starts a cluster for schemaplan's own use (the shadow, and `plan`'s empty
    /// target), whose bootstrap superuser is [`BOOTSTRAP_USER`].
    pub fn start_own() -> Result<EmbeddedCluster, ClusterError> {
        EmbeddedCluster::start_own_with(ClusterOptions::default())
    }

    /// [`EmbeddedCluster::start_own`] set up as `options` say (the binaries of a given major
    /// version, for a target's shadow).
    pub fn start_own_with(options: ClusterOptions) -> Result<EmbeddedCluster, ClusterError> {
        EmbeddedCluster::start_as(options, BOOTSTRAP_USER)
    }

    /// Creates and starts a cluster set up as `options` say.
    pub fn start_with(options: ClusterOptions) -> Result<EmbeddedCluster, ClusterError> {
        EmbeddedCluster::start_as(options, SUPERUSER)
    }

    /// Creates and starts a cluster set up as `options` say, whose bootstrap superuser is
    /// `superuser`.
    fn start_as(options: ClusterOptions, superuser: &str) -> Result<EmbeddedCluster, ClusterError> {
        let bindir = match &options.bindir {
            Some(d) => d.clone(),
            None => binaries::any()?,
        };
        let run_as = if unsafe { libc::geteuid() } == 0 {
            Some(postgres_user().ok_or(ClusterError::NoPostgresUser)?)
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("schemaplan-")
            .tempdir_in(cluster_parent())
            .map_err(io("creating a temporary directory"))?
            .keep();
        let mut cluster = EmbeddedCluster {
            dir,
            bindir,
            run_as,
            port: 5432,
            tcp: options.tcp,
            stopped: false,
            cleanup: None,
            server: None,
            superuser: superuser.to_string(),
        };
        let dir = cluster.dir.clone();
        cluster.cleanup = Some(interrupt::register(move || stop_and_remove(&dir)));
        // From here on, dropping `cluster` cleans up whatever was made.
        cluster.init(&options)?;
        cluster.start_server()?;
        Ok(cluster)
    }

    fn init(&mut self, options: &ClusterOptions) -> Result<(), ClusterError> {
        // First of all, so that even a kill during initdb leaves nothing behind.
        self.spawn_watchdog()?;
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(&self.dir, Some(uid), Some(gid))
                .map_err(io("handing the cluster directory to the postgres user"))?;
        }
        fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o700))
            .map_err(io("protecting the cluster directory"))?;
        let data = self.data_dir();
        let template = options
            .template_cache
            .clone()
            .or_else(template::cache_from_env)
            .and_then(|cache| template::location(&cache, &self.bindir, &self.superuser));
        let restored = template
            .as_deref()
            .is_some_and(|t| template::restore(t, &data, self.run_as).unwrap_or(false));
        if !restored {
            self.run(
                "initdb",
                Command::new(self.bindir.join("initdb"))
                    .arg("-D")
                    .arg(&data)
                    .args([
                        "-U",
                        self.superuser.as_str(),
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--locale=C",
                    ])
                    .arg("--no-sync"),
            )?;
            if let Some(t) = &template {
                template::keep(&data, t);
            }
        }
        // Settings for a disposable server: no durability, unix socket only unless asked for
        // TCP, and room in the lock table for large schemas (one transaction creating thousands
        // of objects). The port is appended when the server starts.
        let mut settings = format!(
            "\n# schemaplan embedded cluster\nlisten_addresses = '{}'\nunix_socket_directories = '{}'\n\
             fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n\
             max_connections = 40\nmax_locks_per_transaction = 4096\nlog_min_messages = fatal\n",
            if self.tcp { TCP_HOST } else { "" },
            self.dir.display(),
        );
        for line in &options.settings {
            settings.push_str(line);
            settings.push('\n');
        }
        self.append_conf(&settings)?;
        if let Some(hba) = &options.hba {
            self.write_server_file("pg_hba.conf", hba.as_bytes(), 0o600)?;
        }
        for file in &options.files {
            self.write_server_file(&file.name, &file.contents, file.mode)?;
        }
        Ok(())
    }

    fn append_conf(&self, text: &str) -> Result<(), ClusterError> {
        fs::OpenOptions::new()
            .append(true)
            .open(self.data_dir().join("postgresql.conf"))
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(io("writing postgresql.conf"))
    }

    /// Writes a file into the data directory, owned by the user the server runs as.
    fn write_server_file(
        &self,
        name: &str,
        contents: &[u8],
        mode: u32,
    ) -> Result<(), ClusterError> {
        let path = self.data_dir().join(name);
        let what = format!("writing {}", path.display());
        fs::write(&path, contents).map_err(io(what.clone()))?;
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(&path, Some(uid), Some(gid)).map_err(io(what.clone()))?;
        }
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).map_err(io(what))
    }

    /// Starts the server. Over TCP, a free port is picked (bound to port 0 and released); when
    /// another process takes it before the server binds it, another one is tried.
    fn start_server(&mut self) -> Result<(), ClusterError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            if self.tcp {
                self.port = free_port()?;
            }
            self.append_conf(&format!("port = {}\n", self.port))?;
            match self.spawn_server() {
                Ok(server) => {
                    self.server = Some(server);
                    return Ok(());
                }
                Err(ClusterError::Command { what, output }) => {
                    let server_log = self.server_log();
                    let clash = server_log.contains("could not create any TCP/IP sockets")
                        || server_log.contains("Address already in use");
                    if self.tcp && clash && attempt < PORT_ATTEMPTS {
                        continue;
                    }
                    return Err(ClusterError::Command {
                        what,
                        output: format!("{output}\n{server_log}"),
                    });
                }
                Err(other) => return Err(other),
            }
        }
    }

    /// Runs the postmaster and waits until it accepts connections, as `pg_ctl start -w` would,
    /// but looking every few milliseconds where pg_ctl looks every tenth of a second (most of
    /// a start on a fresh data directory). Its own session, as pg_ctl gives it: a Ctrl-C in the
    /// terminal is schemaplan's to handle.
    fn spawn_server(&self) -> Result<std::process::Child, ClusterError> {
        let log = self.dir.join("server.log");
        let _ = fs::remove_file(&log);
        let output = fs::File::create(&log).map_err(io("creating the server log"))?;
        let errors = output.try_clone().map_err(io("creating the server log"))?;
        let mut cmd = Command::new(self.bindir.join("postgres"));
        cmd.arg("-D")
            .arg(self.data_dir())
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors);
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid).current_dir(&self.dir);
        }
        own_session(&mut cmd);
        let mut server = cmd.spawn().map_err(io("starting postgres"))?;
        let failed = |output: String| ClusterError::Command {
            what: "starting postgres".into(),
            output,
        };
        let pid_file = self.data_dir().join("postmaster.pid");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = server.try_wait().map_err(io("starting postgres"))? {
                return Err(failed(format!("the server exited ({status})")));
            }
            // The 8th line of the pid file is the postmaster's status (PostgreSQL 10 and later).
            let status = fs::read_to_string(&pid_file).unwrap_or_default();
            if status.lines().nth(7).map(str::trim) == Some("ready") {
                return Ok(server);
            }
            if Instant::now() > deadline {
                let _ = server.kill();
                let _ = server.wait();
                return Err(failed("the server did not start within 60 seconds".into()));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// What the server wrote to its log (only fatal messages are logged).
    pub fn server_log(&self) -> String {
        fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    /// The directory holding the data directory and the socket, removed with the cluster (a
    /// place for files that should go when it goes).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The TCP host, when the server listens there (the port is [`EmbeddedCluster::port`]).
    pub fn tcp_host(&self) -> Option<&'static str> {
        self.tcp.then_some(TCP_HOST)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// A libpq-style connection string for `dbname` as the bootstrap superuser (also
    /// understood by the postgres crate).
    pub fn conninfo(&self, dbname: &str) -> String {
        self.conninfo_as(&self.superuser, dbname)
    }

    /// A libpq-style connection string for `dbname` as `user` (trusted on the unix socket).
    pub fn conninfo_as(&self, user: &str, dbname: &str) -> String {
        format!(
            "host={} port={} user={user} dbname={dbname}",
            self.dir.display(),
            self.port
        )
    }

    /// The bootstrap superuser's name.
    pub fn superuser(&self) -> &str {
        &self.superuser
    }

    fn run(&self, what: &str, cmd: &mut Command) -> Result<(), ClusterError> {
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
            // The postgres user cannot enter root's working directory.
            cmd.current_dir(&self.dir);
        }
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(io(format!("running {what}")))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(ClusterError::Command {
                what: what.to_string(),
                output: format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ),
            })
        }
    }

    /// A detached shell that waits for this process to end and then removes the cluster, so a
    /// `kill -9` does not leave a server running.
    fn spawn_watchdog(&self) -> Result<(), ClusterError> {
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {cleanup}",
            pid = std::process::id(),
            cleanup = cleanup_script(&self.dir)
        );
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c")
            .arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // A session of its own: Ctrl-C in the terminal must not kill the watchdog.
        own_session(&mut cmd);
        cmd.spawn().map_err(io("starting the cluster watchdog"))?;
        Ok(())
    }

    /// Stops the server (immediate shutdown: nothing in it is worth keeping) and removes its
    /// directory.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        stop_and_remove(&self.dir);
        if let Some(mut server) = self.server.take() {
            // Reaped, not left a zombie for as long as this process runs; one that outlived
            // its shutdown is killed first.
            if !matches!(server.try_wait(), Ok(Some(_))) {
                let _ = server.kill();
                let _ = server.wait();
            }
        }
        if let Some(id) = self.cleanup.take() {
            interrupt::forget(id);
        }
    }
}

impl Drop for EmbeddedCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts `cmd` in a session of its own, out of the terminal's process group: a Ctrl-C there
/// reaches schemaplan alone (which stops the cluster itself), not the server or the watchdog.
fn own_session(cmd: &mut Command) {
    // SAFETY: setsid is async-signal-safe, as a pre_exec closure must be.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
}

/// Shell commands that stop the server of `dir` and remove the directory. A server may still be
/// starting, or initdb still writing, when this runs: it tries for a while.
fn cleanup_script(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "for attempt in 1 2 3 4 5 6 7 8 9 10; do \
           pid=$(head -n 1 '{d}/data/postmaster.pid' 2>/dev/null); \
           if [ -n \"$pid\" ]; then kill -QUIT \"$pid\" 2>/dev/null; \
             for i in 1 2 3 4 5 6 7 8 9 10; do [ -e '{d}/data/postmaster.pid' ] && kill -0 \"$pid\" 2>/dev/null || break; sleep 0.5; done; \
           fi; \
           rm -rf '{d}'; [ -e '{d}' ] || break; sleep 1; \
         done"
    )
}

fn stop_and_remove(dir: &Path) {
    let pid_file = dir.join("data").join("postmaster.pid");
    if let Some(pid) = fs::read_to_string(&pid_file)
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| l.trim().parse::<i32>().ok()))
    {
        unsafe {
            libc::kill(pid, libc::SIGQUIT);
        }
        // The server is done when its pid file is gone: the postmaster removes it last, after
        // its children ended. Waiting for the process itself could take a second more where
        // the init process is slow to reap the orphan it became (pg_ctl's child).
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && pid_file.exists() && unsafe { libc::kill(pid, 0) } == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    // initdb may still be writing when Ctrl-C arrives; the watchdog finishes what is left.
    for _ in 0..5 {
        if fs::remove_dir_all(dir).is_ok() || !dir.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A memory file system holds a throwaway cluster at a fraction of a disk's cost: copying the
/// template data directory, creating databases and removing it all take milliseconds where a
/// virtual machine's disk takes a second. It is used only with this much room to spare (a
/// container's `/dev/shm` is often 64 MB), and never over an explicit `TMPDIR`.
const MEMORY_FS_ROOM: u64 = 1 << 30;

/// The directory the cluster's own directory is made in: `$TMPDIR` when set; otherwise
/// `/dev/shm` when it is writable and has [`MEMORY_FS_ROOM`]; otherwise the system's temporary
/// directory.
fn cluster_parent() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if std::env::var_os("TMPDIR").is_none_or(|v| v.is_empty()) && room_in(shm) >= MEMORY_FS_ROOM {
        return shm.to_path_buf();
    }
    std::env::temp_dir()
}

/// Bytes that an unprivileged writer may still use in `dir` (0 if it cannot write there).
fn room_in(dir: &Path) -> u64 {
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else {
        return 0;
    };
    // SAFETY: `path` is a valid C string and `stat` a plain struct the call fills in.
    unsafe {
        let mut stat: libc::statvfs = std::mem::zeroed();
        if libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) != 0
            || libc::statvfs(path.as_ptr(), &mut stat) != 0
        {
            return 0;
        }
        stat.f_bavail as u64 * stat.f_frsize as u64
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
fn free_port() -> Result<u16, ClusterError> {
    std::net::TcpListener::bind((TCP_HOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(io("looking for a free TCP port"))
}

/// The uid and gid of the `postgres` user, from /etc/passwd.
fn postgres_user() -> Option<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        if fields.len() > 3 && fields[0] == "postgres" {
            Some((fields[2].parse().ok()?, fields[3].parse().ok()?))
        } else {
            None
        }
    })
}
