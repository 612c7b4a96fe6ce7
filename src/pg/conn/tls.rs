//! TLS as libpq does it, on OpenSSL (the library libpq itself uses): the six `sslmode`s and the
//! attempts each makes, which server certificates are verified and how, client certificates
//! and their keys, CRLs, SNI, protocol bounds, direct negotiation, and failures worded as
//! libpq words them.
//!
//! The rules, from libpq (`fe-connect.c`, `fe-secure-openssl.c`, `fe-secure-common.c`):
//! - Option values (`sslmode`, `sslnegotiation`, the protocol bounds, `sslrootcert=system`
//!   with a weak mode) are checked before anything is tried: [`policy`] refuses them with
//!   [`ConnError::Settings`].
//! - Files are read when a TLS attempt is made, and a problem with one fails that attempt (so
//!   `prefer` still goes on to a plain attempt, as libpq does): [`TlsPolicy::connector`]
//!   returns the message, for the attempt's `connection to server at … failed:` line.
//! - A server certificate is verified whenever a root certificate is at hand (`sslrootcert`,
//!   or `~/.postgresql/root.crt` when it exists) whatever the mode, so `require` with a root
//!   file behaves as `verify-ca`; `verify-ca` and `verify-full` insist on one. `verify-full`
//!   also matches the host name (`host`, never `hostaddr`) against the certificate, with
//!   libpq's own rules (`peer_name`), not OpenSSL's.
//! - TLS is never used over a unix socket: libpq makes a plain attempt there whatever the mode
//!   (`psql "host=/tmp sslmode=verify-full"` connects), which the connect loop applies.

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use openssl::error::ErrorStack;
use openssl::pkey::{PKey, Private};
use openssl::ssl::SslMode as Modes;
use openssl::ssl::{SslContext, SslContextBuilder, SslFiletype, SslMethod, SslOptions};
use openssl::ssl::{SslRef, SslVerifyMode, SslVersion};
use openssl::x509::store::{X509Lookup, X509StoreBuilderRef};
use openssl::x509::verify::X509VerifyFlags;
use openssl::x509::{X509StoreContext, X509StoreContextRef, X509VerifyResult};

use super::env::Env;
use super::error::ConnError;
use super::params::Params;

mod connector;
mod peer_name;
#[cfg(test)]
mod tests;

pub use connector::Connector;
use peer_name::{check_host_name, sends_sni};

/// libpq's `sslmode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn parse(value: &str) -> Result<SslMode, ConnError> {
        Ok(match value {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return Err(invalid("sslmode", value)),
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    /// The attempts libpq makes over TCP, in order.
    fn attempts(self) -> &'static [Attempt] {
        match self {
            SslMode::Disable => &[Attempt::Plain],
            SslMode::Allow => &[Attempt::Plain, Attempt::Tls],
            SslMode::Prefer => &[Attempt::Tls, Attempt::Plain],
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => &[Attempt::Tls],
        }
    }

    fn is_verify(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }
}

impl std::fmt::Display for SslMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One way of connecting to a TCP host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// No TLS (tokio-postgres `SslMode::Disable`).
    Plain,
    /// TLS, required (tokio-postgres `SslMode::Require`, with [`TlsPolicy::connector`]).
    Tls,
}

/// What is checked of the server's certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verify {
    /// Nothing: any certificate is accepted.
    Nothing,
    /// The chain, up to a trusted root (and CRLs when given).
    Chain,
    /// The chain and the host name.
    ChainAndHost,
}

/// How to connect, for one set of parameters: built once, used for every host.
pub struct TlsPolicy {
    mode: SslMode,
    direct: bool,
    sni: bool,
    verify: Verify,
    /// The protocol bounds, as libpq names them in its hint (`TLSv1.2`, `TLSv1.3` when unset).
    min_version: String,
    max_version: String,
    /// The OpenSSL context, or why the TLS set-up failed (then every TLS attempt fails so).
    connector: Result<SslContext, String>,
    /// System roots, CRLs, a client certificate: for [`TlsPolicy::description`].
    details: Vec<String>,
    /// What the last handshake made through this policy saw.
    last: Arc<Mutex<Handshake>>,
}

#[derive(Default)]
struct Handshake {
    /// The negotiated protocol (`TLSv1.3`), once the server's certificate arrived.
    version: Option<&'static str>,
    /// Set when a check of ours failed the handshake.
    failure: Option<Failure>,
    alpn_checked: bool,
}

enum Failure {
    /// The chain did not verify: OpenSSL's reason (`certificate has expired`).
    Chain(String),
    /// A complete message of libpq's (host name mismatch, ALPN).
    Message(String),
}

impl TlsPolicy {
    pub fn mode(&self) -> SslMode {
        self.mode
    }

    /// The attempts to make over TCP, in order (over a unix socket, only a plain one).
    pub fn attempts(&self) -> &'static [Attempt] {
        self.mode.attempts()
    }

    /// `sslnegotiation=direct`: TLS from the first byte, with ALPN `postgresql` (set on the
    /// context) — tokio-postgres `Config::ssl_negotiation(SslNegotiation::Direct)`.
    pub fn direct(&self) -> bool {
        self.direct
    }

    pub fn verify(&self) -> Verify {
        self.verify
    }

    /// The connector for a TLS attempt to `host` (libpq's `host` for this attempt, not
    /// `hostaddr`; empty when only `hostaddr` was given): the name sent as SNI and checked by
    /// `verify-full`. An error is the attempt's failure, worded as libpq's (`root certificate
    /// file "…" does not exist` and its hint, `private key file "…" has group or world
    /// access; …`).
    pub fn connector(&self, host: &str) -> Result<Connector, String> {
        let context = self.connector.clone()?;
        let host = host.to_string();
        let last = Arc::clone(&self.last);
        let (verify, sni, direct) = (self.verify, self.sni, self.direct);
        // Each connection's own set-up. SNI and the host name check are libpq's, not the ones
        // tokio-postgres would ask for with the name it connects to (the connector ignores it).
        Ok(Connector::new(context, move |ssl| {
            *last.lock().unwrap_or_else(|e| e.into_inner()) = Handshake::default();
            if sni && sends_sni(&host) {
                ssl.set_hostname(&host)?;
            }
            let (host, last) = (host.clone(), Arc::clone(&last));
            ssl.set_verify_callback(SslVerifyMode::PEER, move |ok, ctx| {
                let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                verify_step(ok, ctx, verify, direct, &host, &mut last)
            });
            Ok(())
        }))
    }

    /// A short description for messages: `TLSv1.3, verify-full` once a handshake was made
    /// through this policy, the verification alone before.
    pub fn description(&self) -> String {
        let what = match self.verify {
            Verify::ChainAndHost => "verify-full".to_string(),
            Verify::Chain if self.mode == SslMode::VerifyCa => "verify-ca".to_string(),
            Verify::Chain => format!("{}, chain verified", self.mode),
            Verify::Nothing => format!("{}, server not verified", self.mode),
        };
        let mut out = match self.handshake_version() {
            Some(v) => format!("{v}, {what}"),
            None => what,
        };
        for d in &self.details {
            out.push_str(", ");
            out.push_str(d);
        }
        out
    }

    /// Whether the last attempt through this policy got as far as the server's certificate
    /// (an attempt under `prefer` may have gone on without TLS).
    pub fn handshake_made(&self) -> bool {
        self.handshake_version().is_some()
    }

    fn handshake_version(&self) -> Option<&'static str> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).version
    }

    /// [`describe_error`], knowing what this policy's last handshake saw: the server's names
    /// when the host name did not match, and the protocol bounds for libpq's hint.
    pub fn describe_error(&self, e: &postgres::Error) -> Option<String> {
        let failure = self
            .last
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .failure
            .as_ref()
            .map(|f| match f {
                Failure::Chain(reason) => format!("SSL error: certificate verify failed: {reason}"),
                Failure::Message(m) => m.clone(),
            });
        describe(e, failure, (&self.min_version, &self.max_version))
    }
}

/// The TLS policy of a set of parameters (already filled from the service file and the
/// environment; `sslmode` left unset when not given, so that `sslrootcert=system` can make it
/// `verify-full` as libpq does). `env` gives the home directory (`~/.postgresql/…`).
pub fn policy(params: &Params, env: &Env) -> Result<TlsPolicy, ConnError> {
    let param = |k: &str| params.get(k).filter(|v| !v.is_empty());
    let system_roots = param("sslrootcert") == Some("system");
    let mode = match params.get("sslmode") {
        Some(v) => SslMode::parse(v)?,
        None if system_roots => SslMode::VerifyFull,
        None => SslMode::Prefer,
    };
    let direct = match params.get("sslnegotiation") {
        None | Some("postgres") => false,
        Some("direct") => true,
        Some(v) => return Err(invalid("sslnegotiation", v)),
    };
    if direct
        && !matches!(
            mode,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull
        )
    {
        return Err(ConnError::settings(format!(
            "weak sslmode \"{mode}\" may not be used with sslnegotiation=direct (use \"require\", \
             \"verify-ca\", or \"verify-full\")"
        )));
    }
    if system_roots && mode != SslMode::VerifyFull {
        return Err(ConnError::settings(format!(
            "weak sslmode \"{mode}\" may not be used with sslrootcert=system (use \"verify-full\")"
        )));
    }
    let min = params.get("ssl_min_protocol_version").unwrap_or("TLSv1.2");
    let max = params.get("ssl_max_protocol_version").unwrap_or("");
    let min_version =
        protocol_version(min).ok_or_else(|| invalid("ssl_min_protocol_version", min))?;
    let max_version =
        protocol_version(max).ok_or_else(|| invalid("ssl_max_protocol_version", max))?;
    if let (Some(lo), Some(hi)) = (min_version, max_version) {
        if lo.0 > hi.0 {
            return Err(ConnError::settings("invalid SSL protocol version range"));
        }
    }
    let sni = params.get("sslsni").unwrap_or("1").starts_with('1');
    let mut verify = match mode {
        SslMode::VerifyFull => Verify::ChainAndHost,
        SslMode::VerifyCa => Verify::Chain,
        _ => Verify::Nothing,
    };
    let mut details = Vec::new();
    let connector = if mode == SslMode::Disable {
        Err("SSL is disabled (sslmode=disable)".to_string())
    } else {
        let files = Files {
            home: env.home.clone(),
            param: &param,
        };
        build(mode, direct, (min_version, max_version), &files).map(|built| {
            if built.have_root && verify == Verify::Nothing {
                verify = Verify::Chain;
            }
            details = built.details;
            built.connector
        })
    };
    Ok(TlsPolicy {
        mode,
        direct,
        sni,
        verify,
        min_version: if min.is_empty() {
            "TLSv1".into()
        } else {
            min.into()
        },
        max_version: if max.is_empty() {
            "TLSv1.3".into()
        } else {
            max.into()
        },
        connector,
        details,
        last: Arc::new(Mutex::new(Handshake::default())),
    })
}

fn invalid(keyword: &str, value: &str) -> ConnError {
    ConnError::settings(format!("invalid {keyword} value: \"{value}\""))
}

/// A protocol version bound (its rank, for comparing), or none.
type Bound = Option<(u8, SslVersion)>;

/// A protocol bound: `Some(None)` for no bound (empty), `None` for a value libpq refuses.
fn protocol_version(value: &str) -> Option<Bound> {
    Some(Some(match value.to_ascii_lowercase().as_str() {
        "" => return Some(None),
        "tlsv1" => (0, SslVersion::TLS1),
        "tlsv1.1" => (1, SslVersion::TLS1_1),
        "tlsv1.2" => (2, SslVersion::TLS1_2),
        "tlsv1.3" => (3, SslVersion::TLS1_3),
        _ => return None,
    }))
}

/// Where the files come from: the parameters, else `~/.postgresql/`.
struct Files<'a> {
    home: Option<PathBuf>,
    param: &'a dyn Fn(&str) -> Option<&'a str>,
}

impl Files<'_> {
    /// The parameter's file, else the default one in `~/.postgresql`, else none (no home).
    fn path(&self, keyword: &str, default: &str) -> Option<PathBuf> {
        match (self.param)(keyword) {
            Some(p) => Some(PathBuf::from(p)),
            None => self
                .home
                .as_ref()
                .map(|h| h.join(".postgresql").join(default)),
        }
    }
}

struct Built {
    connector: SslContext,
    have_root: bool,
    details: Vec<String>,
}

/// The TLS context, set up as libpq's `initialize_SSL` does, failing with its first message:
/// OpenSSL's defaults (cipher lists, no trusted roots) and what libpq sets on top of them, the
/// same OpenSSL options and modes, the protocol bounds, the trusted roots it names, a client
/// certificate.
fn build(
    mode: SslMode,
    direct: bool,
    (min, max): (Bound, Bound),
    files: &Files,
) -> Result<Built, String> {
    let mut b = SslContextBuilder::new(SslMethod::tls_client())
        .map_err(|e| format!("could not create SSL context: {}", reason(&e)))?;
    // libpq: no SSLv2 or SSLv3, no compression (`sslcompression=0`, the only value
    // schemaplan knows).
    b.set_options(SslOptions::NO_SSLV2 | SslOptions::NO_SSLV3 | SslOptions::NO_COMPRESSION);
    // libpq: a write may be retried from a buffer that moved. And, for the async stream,
    // whose writes say how much they wrote: partial writes.
    b.set_mode(Modes::ACCEPT_MOVING_WRITE_BUFFER | Modes::ENABLE_PARTIAL_WRITE);
    b.set_min_proto_version(min.map(|(_, v)| v))
        .map_err(|e| format!("could not set minimum SSL protocol version: {}", reason(&e)))?;
    b.set_max_proto_version(max.map(|(_, v)| v))
        .map_err(|e| format!("could not set maximum SSL protocol version: {}", reason(&e)))?;
    if direct {
        // ALPN `postgresql`: one protocol name, prefixed by its length.
        b.set_alpn_protos(b"\x0apostgresql")
            .map_err(|e| format!("could not set SSL ALPN extension: {}", reason(&e)))?;
    }
    let mut details = Vec::new();
    let have_root = load_roots(&mut b, mode, files, &mut details)?;
    load_client_certificate(&mut b, files, &mut details)?;
    // Each connection sets its own mode and callback (see `TlsPolicy::connector`).
    b.set_verify(SslVerifyMode::NONE);
    Ok(Built {
        connector: b.build(),
        have_root,
        details,
    })
}

const ROOT_HINT: &str = "Either provide the file, use the system's trusted roots with \
                         sslrootcert=system, or change sslmode to disable server certificate \
                         verification.";

/// The trusted roots (and CRLs): `sslrootcert=system` loads OpenSSL's default store (the
/// system's CA bundle: only then, as libpq does, for it costs a parse of every certificate);
/// else the root file, when there is one. Returns whether there are roots to verify against.
fn load_roots(
    b: &mut SslContextBuilder,
    mode: SslMode,
    files: &Files,
    details: &mut Vec<String>,
) -> Result<bool, String> {
    let root = files.path("sslrootcert", "root.crt");
    if root.as_deref() == Some(Path::new("system")) {
        b.set_default_verify_paths().map_err(|e| {
            format!(
                "could not load system root certificate paths: {}",
                reason(&e)
            )
        })?;
        details.push("system roots".into());
        return Ok(true);
    }
    let Some(root) = root.filter(|r| std::fs::metadata(r).is_ok()) else {
        if !mode.is_verify() {
            return Ok(false);
        }
        return Err(match files.path("sslrootcert", "root.crt") {
            None => {
                format!("could not get home directory to locate root certificate file\n{ROOT_HINT}")
            }
            Some(p) => format!(
                "root certificate file \"{}\" does not exist\n{ROOT_HINT}",
                p.display()
            ),
        });
    };
    b.set_ca_file(&root).map_err(|e| {
        format!(
            "could not read root certificate file \"{}\": {}",
            root.display(),
            reason(&e)
        )
    })?;
    let crl_file = (files.param)("sslcrl").map(PathBuf::from);
    let crl_dir = (files.param)("sslcrldir").map(PathBuf::from);
    let crl_file = match (&crl_file, &crl_dir) {
        (None, None) => files.home.as_ref().map(|h| h.join(".postgresql/root.crl")),
        _ => crl_file,
    };
    if load_crls(b.cert_store_mut(), crl_file.as_deref(), crl_dir.as_deref()) {
        details.push("CRL checked".into());
    }
    Ok(true)
}

/// Loads CRLs as `X509_STORE_load_locations` does (a file's certificates and CRLs, then a
/// hashed directory), turning on CRL checks of the whole chain when that succeeded. A file
/// that cannot be loaded (a missing default one, or a missing given one) is ignored, as
/// libpq ignores it.
fn load_crls(store: &mut X509StoreBuilderRef, file: Option<&Path>, dir: Option<&Path>) -> bool {
    if file.is_none() && dir.is_none() {
        return false;
    }
    if let Some(file) = file {
        let Ok(lookup) = store.add_lookup(X509Lookup::file()) else {
            return false;
        };
        let certs = lookup.load_cert_file(file, SslFiletype::PEM).is_ok();
        let crls = lookup.load_crl_file(file, SslFiletype::PEM).is_ok();
        if !certs && !crls {
            return false;
        }
    }
    if let Some(dir) = dir {
        let Some(dir) = dir.to_str() else {
            return false;
        };
        let added = store
            .add_lookup(X509Lookup::hash_dir())
            .and_then(|lookup| lookup.add_dir(dir, SslFiletype::PEM));
        if added.is_err() {
            return false;
        }
    }
    store
        .set_flags(X509VerifyFlags::CRL_CHECK | X509VerifyFlags::CRL_CHECK_ALL)
        .is_ok()
}

/// The client certificate and its key: `sslcert` (default `~/.postgresql/postgresql.crt`),
/// used only when the file exists, and then `sslkey` (default `postgresql.key`), which must.
fn load_client_certificate(
    b: &mut SslContextBuilder,
    files: &Files,
    details: &mut Vec<String>,
) -> Result<(), String> {
    let Some(cert) = files.path("sslcert", "postgresql.crt") else {
        return Ok(());
    };
    match std::fs::metadata(&cert) {
        Ok(_) => {}
        Err(e) if is_missing(&e) => return Ok(()),
        Err(e) => {
            return Err(format!(
                "could not open certificate file \"{}\": {}",
                cert.display(),
                strerror(&e)
            ));
        }
    }
    b.set_certificate_chain_file(&cert).map_err(|e| {
        format!(
            "could not read certificate file \"{}\": {}",
            cert.display(),
            reason(&e)
        )
    })?;
    let key = match (files.param)("sslkey") {
        Some(k) if k.contains(':') => {
            return Err(format!(
                "could not load SSL engine key \"{k}\": OpenSSL engines are not supported"
            ));
        }
        Some(k) => PathBuf::from(k),
        None => match &files.home {
            Some(h) => h.join(".postgresql/postgresql.key"),
            None => {
                return b.check_private_key().map_err(|e| {
                    format!(
                        "certificate does not match private key file \"\": {}",
                        reason(&e)
                    )
                });
            }
        },
    };
    let pkey = read_key(&key, (files.param)("sslpassword"))?;
    b.set_private_key(&pkey).map_err(|e| {
        format!(
            "could not load private key file \"{}\": {}",
            key.display(),
            reason(&e)
        )
    })?;
    b.check_private_key().map_err(|e| {
        format!(
            "certificate does not match private key file \"{}\": {}",
            key.display(),
            reason(&e)
        )
    })?;
    details.push("client certificate".into());
    Ok(())
}

/// Reads a client key as libpq does: it must be a regular file no one else can read (0600
/// or less; 0640 or less when owned by root), PEM (decrypted with `sslpassword`) or DER.
/// Never prompts for a password.
fn read_key(path: &Path, password: Option<&str>) -> Result<PKey<Private>, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!("certificate present, but not private key file \"{shown}\"")
        } else {
            format!(
                "could not stat private key file \"{shown}\": {}",
                strerror(&e)
            )
        }
    })?;
    if !meta.is_file() {
        return Err(format!(
            "private key file \"{shown}\" is not a regular file"
        ));
    }
    if key_permissions_too_open(meta.uid(), meta.mode()) {
        return Err(format!(
            "private key file \"{shown}\" has group or world access; file must have permissions \
             u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) \
             or less if owned by root"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "could not load private key file \"{shown}\": {}",
            strerror(&e)
        )
    })?;
    let password = password.unwrap_or("").as_bytes().to_vec();
    let pem = PKey::private_key_from_pem_callback(&bytes, |buf: &mut [u8]| {
        let n = password.len().min(buf.len());
        buf[..n].copy_from_slice(&password[..n]);
        Ok(n)
    });
    match pem {
        Ok(k) => Ok(k),
        Err(pem_error) => PKey::private_key_from_der(&bytes).map_err(|_| {
            format!(
                "could not load private key file \"{shown}\": {}",
                reason(&pem_error)
            )
        }),
    }
}

/// libpq's rule: a root-owned key may be group-readable (0640), any other must be 0600 or
/// less.
fn key_permissions_too_open(uid: u32, mode: u32) -> bool {
    if uid == 0 {
        mode & 0o037 != 0
    } else {
        mode & 0o077 != 0
    }
}

fn is_missing(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ENOTDIR))
}

/// The C library's message for an error (`No such file or directory`), as libpq prints it.
fn strerror(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// OpenSSL's reason for the first error of a stack, as libpq's `SSLerrmessage` gives it.
fn reason(e: &ErrorStack) -> String {
    match e.errors().first() {
        Some(first) => first
            .reason()
            .map(str::to_string)
            .unwrap_or_else(|| format!("SSL error code {}", first.code())),
        None => "no SSL error reported".to_string(),
    }
}

// ---- during the handshake ----

/// The certificate callback of every TLS connection: records the protocol, checks ALPN for
/// direct connections, and verifies as the policy says (the chain through OpenSSL, the host
/// name with libpq's rules).
fn verify_step(
    ok: bool,
    ctx: &mut X509StoreContextRef,
    verify: Verify,
    direct: bool,
    host: &str,
    last: &mut Handshake,
) -> bool {
    if !last.alpn_checked {
        last.alpn_checked = true;
        let ssl = X509StoreContext::ssl_idx()
            .ok()
            .and_then(|idx| ctx.ex_data(idx));
        last.version = ssl.map(SslRef::version_str);
        if direct {
            let failure = match ssl.and_then(SslRef::selected_alpn_protocol) {
                Some(b"postgresql") => None,
                Some(_) => Some("SSL connection was established with unexpected ALPN protocol"),
                None => Some(
                    "direct SSL connection was established without ALPN protocol negotiation \
                     extension",
                ),
            };
            if let Some(f) = failure {
                last.failure = Some(Failure::Message(f.into()));
                ctx.set_error(X509VerifyResult::APPLICATION_VERIFICATION);
                return false;
            }
        }
    }
    if verify == Verify::Nothing {
        // libpq's SSL_VERIFY_NONE: any certificate will do.
        return true;
    }
    if !ok {
        if last.failure.is_none() {
            last.failure = Some(Failure::Chain(ctx.error().error_string().to_string()));
        }
        return false;
    }
    if verify == Verify::ChainAndHost && ctx.error_depth() == 0 {
        if let Some(Err(message)) = ctx.current_cert().map(|cert| check_host_name(host, cert)) {
            last.failure = Some(Failure::Message(message));
            // SAFETY: 62 is X509_V_ERR_HOSTNAME_MISMATCH, a verification result OpenSSL knows.
            ctx.set_error(unsafe { X509VerifyResult::from_raw(62) });
            return false;
        }
    }
    true
}

// ---- errors ----

/// A libpq-like line for a TLS failure of tokio-postgres (None when `e` is not one):
/// `server does not support SSL, but SSL was required`, `SSL error: certificate verify
/// failed: certificate has expired`, `SSL SYSCALL error: EOF detected`, …
/// [`TlsPolicy::describe_error`] says more (the names of a certificate that does not match).
pub fn describe_error(e: &postgres::Error) -> Option<String> {
    describe(e, None, ("TLSv1.2", "TLSv1.3"))
}

fn describe(e: &postgres::Error, failure: Option<String>, bounds: (&str, &str)) -> Option<String> {
    use std::error::Error as _;
    let top = e.source()?;
    if top.to_string() == "server does not support TLS" {
        return Some("server does not support SSL, but SSL was required".into());
    }
    let mut parent: Option<String> = None;
    let mut current = Some(top);
    while let Some(err) = current {
        if let Some(ssl) = err.downcast_ref::<openssl::ssl::Error>() {
            return Some(describe_ssl(ssl, parent.as_deref(), failure, bounds));
        }
        parent = Some(err.to_string());
        current = err.source();
    }
    None
}

/// OpenSSL reasons that mean the two sides share no protocol version (libpq's list).
const PROTOCOL_REASONS: &[&str] = &[
    "no protocols available",
    "unsupported protocol",
    "bad protocol version number",
    "unknown protocol",
    "unknown ssl version",
    "unsupported ssl version",
    "wrong ssl version",
    "wrong version number",
    "tlsv1 alert protocol version",
    "version too high",
    "version too low",
];

fn describe_ssl(
    ssl: &openssl::ssl::Error,
    parent: Option<&str>,
    failure: Option<String>,
    (min, max): (&str, &str),
) -> String {
    use openssl::ssl::ErrorCode;
    match ssl.code() {
        ErrorCode::SSL => {
            let reason = ssl
                .ssl_error()
                .map(reason)
                .unwrap_or_else(|| "no SSL error reported".into());
            if reason == "certificate verify failed" {
                if let Some(f) = failure {
                    return f;
                }
                // The connector appends the verification result: "<ssl error>: <result>".
                let shown = ssl.to_string();
                let result = parent
                    .and_then(|p| p.strip_prefix(shown.as_str()))
                    .and_then(|r| r.strip_prefix(": "));
                return match result {
                    Some(r) => format!("SSL error: {reason}: {r}"),
                    None => format!("SSL error: {reason}"),
                };
            }
            if PROTOCOL_REASONS.contains(&reason.as_str()) {
                return format!(
                    "SSL error: {reason}\nThis may indicate that the server does not support any \
                     SSL protocol version between {min} and {max}."
                );
            }
            format!("SSL error: {reason}")
        }
        ErrorCode::SYSCALL => match ssl.io_error() {
            Some(io) if io.raw_os_error().is_some() => {
                format!("SSL SYSCALL error: {}", strerror(io))
            }
            _ => "SSL SYSCALL error: EOF detected".into(),
        },
        ErrorCode::ZERO_RETURN => "SSL connection has been closed unexpectedly".into(),
        _ => format!("SSL error: {ssl}"),
    }
}
