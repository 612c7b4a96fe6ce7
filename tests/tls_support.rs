//! Test support for TLS connections: a throwaway certificate authority and certificates made
//! with the `openssl` crate, embedded servers that speak TLS (or refuse to), and `psql` as the
//! oracle of what libpq accepts, run in an environment of the test's choosing.
//!
//! The shared servers start once per test process (like the harness's) and are removed by
//! their watchdogs when the process ends.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{CrlNumber, X509, X509Builder, X509CrlBuilder, X509Name, X509RevokedBuilder};
use schemaplan::pg::cluster::{ClusterFile, ClusterOptions, EmbeddedCluster};
use schemaplan::pg::conn::{Env, Params, tls};

/// The host names the main server certificate is made for (and the one it is not).
pub const GOOD_HOST: &str = "localhost";
pub const GOOD_IP: &str = "127.0.0.1";
pub const OTHER_HOST: &str = "db.other.test";

/// A key and the certificate made for it, as PEM.
#[derive(Clone)]
pub struct Pem {
    pub cert: Vec<u8>,
    pub key: Vec<u8>,
}

/// What the TLS tests share: certificate files and two servers.
pub struct Tls {
    /// The directory holding the files below (inside the TLS server's, removed with it).
    pub dir: PathBuf,
    /// The CA that signed the servers' and the client's certificates.
    pub ca: PathBuf,
    /// A CA that signed nothing used here: verifying against it fails.
    pub untrusted_ca: PathBuf,
    /// The client certificate (CN `postgres`) and its key (mode 0600).
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
    /// The same client key encrypted with [`CLIENT_KEY_PASSWORD`] (mode 0600).
    pub client_key_encrypted: PathBuf,
    /// Server certificates not loaded by the shared server: for `localhost`/`127.0.0.1` but
    /// expired, and valid but for [`OTHER_HOST`] only.
    pub expired: Pem,
    pub other_host: Pem,
    /// CRLs of the CA: one revoking the shared server's certificate, one revoking another.
    pub crl_revoking_server: PathBuf,
    pub crl_revoking_other: PathBuf,
    ca_pem: Vec<u8>,
    /// `ssl = on`; `hostssl … cert`, `hostnossl … reject`, `local … trust`.
    pub tls_server: EmbeddedCluster,
    /// `ssl = off`; `host … trust`.
    pub plain_server: EmbeddedCluster,
}

pub const CLIENT_KEY_PASSWORD: &str = "open-sesame";

impl Tls {
    pub fn tls_port(&self) -> u16 {
        self.tls_server.port
    }

    pub fn plain_port(&self) -> u16 {
        self.plain_server.port
    }
}

/// The shared TLS fixture, made on first use.
pub fn tls() -> &'static Tls {
    static TLS: OnceLock<Tls> = OnceLock::new();
    TLS.get_or_init(make)
}

fn make() -> Tls {
    let ca = Ca::new("schemaplan test CA");
    let untrusted = Ca::new("schemaplan untrusted CA");
    let (valid, past) = ((-1, 30), (-30, -1));
    let server = ca.issue(GOOD_HOST, &[GOOD_HOST, GOOD_IP], valid, Usage::Server);
    let expired = ca.issue(GOOD_HOST, &[GOOD_HOST, GOOD_IP], past, Usage::Server);
    let other_host = ca.issue(OTHER_HOST, &[OTHER_HOST], valid, Usage::Server);
    let client = ca.issue("postgres", &[], valid, Usage::Client);
    let ca_pem = ca.cert.to_pem().unwrap();
    // Both servers at once: each is mostly initdb waiting on the disk.
    let (tls_server, plain_server) = std::thread::scope(|s| {
        let plain = s.spawn(start_plain_server);
        (
            start_tls_server_with(&server, &ca_pem),
            plain.join().unwrap(),
        )
    });
    // The files live in the TLS server's directory, removed with it when the process ends.
    let dir = tls_server.dir().join("tls-files");
    std::fs::create_dir(&dir).expect("a directory for the TLS files");
    let write = |name: &str, bytes: &[u8], mode: u32| -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        set_mode(&path, mode);
        path
    };
    let server_serial = X509::from_pem(&server.cert)
        .unwrap()
        .serial_number()
        .to_bn()
        .unwrap();
    let encrypted = PKey::private_key_from_pem(&client.key)
        .unwrap()
        .private_key_to_pem_pkcs8_passphrase(
            openssl::symm::Cipher::aes_256_cbc(),
            CLIENT_KEY_PASSWORD.as_bytes(),
        )
        .unwrap();
    Tls {
        ca: write("ca.crt", &ca_pem, 0o644),
        untrusted_ca: write("untrusted-ca.crt", &untrusted.cert.to_pem().unwrap(), 0o644),
        client_cert: write("client.crt", &client.cert, 0o644),
        client_key: write("client.key", &client.key, 0o600),
        client_key_encrypted: write("client-encrypted.key", &encrypted, 0o600),
        crl_revoking_server: write("revokes-server.crl", &ca.crl(server_serial), 0o644),
        crl_revoking_other: write(
            "revokes-other.crl",
            &ca.crl(BigNum::from_u32(42).unwrap()),
            0o644,
        ),
        dir,
        expired,
        other_host,
        ca_pem,
        tls_server,
        plain_server,
    }
}

/// The `pg_hba.conf` of the TLS servers: TLS with a client certificate over TCP, or nothing.
/// [`PASSWORD_USER`] gives its password over TLS (SCRAM, bound to the server's certificate).
pub const TLS_HBA: &str = "local all all trust\n\
                           hostssl all pwuser 127.0.0.1/32 scram-sha-256\n\
                           hostssl all all 127.0.0.1/32 cert\n\
                           hostnossl all all 127.0.0.1/32 reject\n";

/// Starts a TLS server (as the shared one: [`TLS_HBA`], the CA for client certificates)
/// presenting `server`'s certificate, e.g. [`Tls::expired`] or [`Tls::other_host`].
pub fn start_tls_server(server: &Pem) -> EmbeddedCluster {
    start_tls_server_with(server, &tls().ca_pem)
}

fn start_tls_server_with(server: &Pem, ca_pem: &[u8]) -> EmbeddedCluster {
    let server = EmbeddedCluster::start_with(ClusterOptions {
        tcp: true,
        settings: vec![
            "ssl = on".into(),
            "ssl_cert_file = 'server.crt'".into(),
            "ssl_key_file = 'server.key'".into(),
            "ssl_ca_file = 'ca.crt'".into(),
        ],
        hba: Some(TLS_HBA.into()),
        files: vec![
            file("server.crt", &server.cert, 0o644),
            file("server.key", &server.key, 0o600),
            file("ca.crt", ca_pem, 0o644),
        ],
        ..crate::harness::cluster_options()
    })
    .expect("start a TLS test server");
    create_password_user(&server);
    server
}

fn create_password_user(server: &EmbeddedCluster) {
    let mut admin = postgres::Client::connect(&server.conninfo("postgres"), postgres::NoTls)
        .expect("connect to the test server's socket");
    admin
        .batch_execute(&format!(
            "CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{}'",
            PASSWORD_USER_PASSWORD.replace('\'', "''")
        ))
        .expect("create the password user");
}

/// The role of the plain server that must give a password ([`PASSWORD_USER_PASSWORD`]).
pub const PASSWORD_USER: &str = "pwuser";
pub const PASSWORD_USER_PASSWORD: &str = "pa:ss\\word";

fn start_plain_server() -> EmbeddedCluster {
    let server = EmbeddedCluster::start_with(ClusterOptions {
        tcp: true,
        settings: vec!["ssl = off".into()],
        hba: Some(format!(
            "local all all trust\nhost all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n\
             host all all 127.0.0.1/32 trust\n"
        )),
        files: vec![],
        ..crate::harness::cluster_options()
    })
    .expect("start a plain test server");
    create_password_user(&server);
    server
}

/// A server whose sessions are read-only (`default_transaction_read_only = on`), standing in
/// for a standby under `target_session_attrs=read-write`; `host … trust` over TCP.
pub fn start_read_only_server() -> EmbeddedCluster {
    EmbeddedCluster::start_with(ClusterOptions {
        tcp: true,
        settings: vec![
            "ssl = off".into(),
            "default_transaction_read_only = on".into(),
        ],
        hba: Some("local all all trust\nhost all all 127.0.0.1/32 trust\n".into()),
        files: vec![],
        ..crate::harness::cluster_options()
    })
    .expect("start a read-only test server")
}

fn file(name: &str, contents: &[u8], mode: u32) -> ClusterFile {
    ClusterFile {
        name: name.into(),
        contents: contents.to_vec(),
        mode,
    }
}

/// Runs `psql -X -w -c 'select 1' <conninfo>` with no PG* variable of this process and `HOME`
/// an empty temporary directory (so `~/.postgresql` holds nothing), then the variables of
/// `env` (which may set `HOME` to a directory of the test's). Returns whether it succeeded,
/// and what it printed to stderr.
pub fn psql(conninfo: &str, env: &[(&str, &str)]) -> (bool, String) {
    let bindir = crate::harness::bindir();
    let home = tempfile::tempdir().expect("a temporary HOME");
    let mut cmd = Command::new(bindir.join("psql"));
    cmd.args(["-X", "-w", "-c", "select 1"])
        .arg(conninfo)
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LC_ALL", "C");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run psql");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Sets a file's permission bits.
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

// ---- certificates ----

#[derive(Clone, Copy)]
enum Usage {
    Server,
    Client,
}

/// A throwaway certificate authority (EC P-256 keys, SHA-256 signatures).
struct Ca {
    cert: X509,
    key: PKey<Private>,
}

fn new_key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
}

fn name(cn: &str) -> X509Name {
    let mut name = X509Name::builder().unwrap();
    name.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
    name.build()
}

/// A certificate of `cn` for `key`, valid from `days.0` to `days.1` days from now, with a
/// random serial number; not signed yet.
fn builder(cn: &str, key: &PKey<Private>, days: (i64, i64)) -> X509Builder {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut serial = BigNum::new().unwrap();
    serial.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_serial_number(&serial.to_asn1_integer().unwrap())
        .unwrap();
    b.set_subject_name(&name(cn)).unwrap();
    b.set_pubkey(key).unwrap();
    let at = |d: i64| Asn1Time::from_unix(now + d * 24 * 3600).unwrap();
    b.set_not_before(&at(days.0)).unwrap();
    b.set_not_after(&at(days.1)).unwrap();
    b
}

impl Ca {
    fn new(cn: &str) -> Ca {
        let key = new_key();
        let mut b = builder(cn, &key, (-1, 365));
        b.set_issuer_name(&name(cn)).unwrap();
        let usage = KeyUsage::new()
            .critical()
            .key_cert_sign()
            .crl_sign()
            .build();
        b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
            .unwrap();
        b.append_extension(usage.unwrap()).unwrap();
        let ski = SubjectKeyIdentifier::new().build(&b.x509v3_context(None, None));
        b.append_extension(ski.unwrap()).unwrap();
        b.sign(&key, MessageDigest::sha256()).unwrap();
        Ca {
            cert: b.build(),
            key,
        }
    }

    /// A certificate and a fresh key for `cn`, with `names` (DNS names or IP addresses) as
    /// subject alternative names.
    fn issue(&self, cn: &str, names: &[&str], days: (i64, i64), usage: Usage) -> Pem {
        let key = new_key();
        let mut b = builder(cn, &key, days);
        b.set_issuer_name(self.cert.subject_name()).unwrap();
        let key_usage = KeyUsage::new()
            .critical()
            .digital_signature()
            .key_agreement()
            .build();
        b.append_extension(BasicConstraints::new().build().unwrap())
            .unwrap();
        b.append_extension(key_usage.unwrap()).unwrap();
        let mut eku = ExtendedKeyUsage::new();
        match usage {
            Usage::Server => eku.server_auth(),
            Usage::Client => eku.client_auth(),
        };
        b.append_extension(eku.build().unwrap()).unwrap();
        if !names.is_empty() {
            let mut san = SubjectAlternativeName::new();
            for n in names {
                if n.parse::<std::net::IpAddr>().is_ok() {
                    san.ip(n)
                } else {
                    san.dns(n)
                };
            }
            let san = san.build(&b.x509v3_context(Some(&self.cert), None));
            b.append_extension(san.unwrap()).unwrap();
        }
        let mut aki = AuthorityKeyIdentifier::new();
        let aki = aki
            .keyid(true)
            .build(&b.x509v3_context(Some(&self.cert), None));
        b.append_extension(aki.unwrap()).unwrap();
        b.sign(&self.key, MessageDigest::sha256()).unwrap();
        Pem {
            cert: b.build().to_pem().unwrap(),
            key: key.private_key_to_pem_pkcs8().unwrap(),
        }
    }

    /// A CRL revoking the certificate of serial number `serial`, as PEM.
    fn crl(&self, serial: BigNum) -> Vec<u8> {
        let mut crl = X509CrlBuilder::new().unwrap();
        crl.set_issuer_name(self.cert.subject_name()).unwrap();
        crl.set_last_update(&Asn1Time::days_from_now(0).unwrap())
            .unwrap();
        crl.set_next_update(&Asn1Time::days_from_now(7).unwrap())
            .unwrap();
        let context = X509::builder().unwrap();
        let mut aki = AuthorityKeyIdentifier::new();
        let aki = aki
            .keyid(true)
            .build(&context.x509v3_context(Some(&self.cert), None));
        crl.append_extension(aki.unwrap()).unwrap();
        let number = CrlNumber::new(BigNum::from_u32(1).unwrap()).unwrap();
        crl.append_extension(number.build().unwrap()).unwrap();
        let mut revoked = X509RevokedBuilder::new().unwrap();
        revoked
            .set_serial_number(&serial.to_asn1_integer().unwrap())
            .unwrap();
        revoked
            .set_revocation_date(&Asn1Time::days_from_now(0).unwrap())
            .unwrap();
        crl.add_revoked(revoked.build()).unwrap();
        crl.sign(&self.key, MessageDigest::sha256()).unwrap();
        crl.build().unwrap().to_pem().unwrap()
    }
}

// ---- the support works ----

#[test]
fn psql_connects_with_a_verified_client_certificate_and_is_refused_without_tls() {
    let t = tls();
    let port = t.tls_port();
    let verified = format!(
        "host={GOOD_HOST} port={port} user=postgres dbname=postgres sslmode=verify-full \
         sslrootcert={} sslcert={} sslkey={}",
        t.ca.display(),
        t.client_cert.display(),
        t.client_key.display()
    );
    let (ok, stderr) = psql(&verified, &[]);
    assert!(ok, "psql {verified}: {stderr}");

    let plain = format!("host={GOOD_HOST} port={port} user=postgres sslmode=disable");
    let (ok, stderr) = psql(&plain, &[]);
    assert!(!ok, "sslmode=disable must be refused by hostnossl reject");
    assert!(
        stderr.contains("pg_hba.conf rejects connection") && stderr.contains("no encryption"),
        "{stderr}"
    );
}

#[test]
fn the_plain_server_refuses_tls_and_takes_plain_connections() {
    let t = tls();
    let port = t.plain_port();
    let (ok, stderr) = psql(
        &format!("host={GOOD_IP} port={port} user=postgres sslmode=disable"),
        &[],
    );
    assert!(ok, "{stderr}");
    let (ok, stderr) = psql(
        &format!("host={GOOD_IP} port={port} user=postgres sslmode=require"),
        &[],
    );
    assert!(!ok);
    assert!(
        stderr.contains("server does not support SSL, but SSL was required"),
        "{stderr}"
    );
}

#[test]
fn the_unix_socket_of_the_tls_server_takes_trusted_local_connections() {
    let t = tls();
    assert_eq!(t.tls_server.tcp_host(), Some(GOOD_IP));
    let (ok, stderr) = psql(&t.tls_server.conninfo("postgres"), &[]);
    assert!(ok, "{stderr}");
}

// ---- schemaplan's TLS policy against psql, on the same servers ----

/// One TLS attempt through `tls::policy` (what the connect loop makes for one host): the
/// policy's description, or the failure worded as schemaplan words it (a server's refusal as
/// psql prints it: `FATAL:  …`).
pub fn connect_tls(
    host: &str,
    port: u16,
    params: &[(&str, &str)],
    env: &Env,
) -> Result<String, String> {
    let mut p = Params::default();
    for (k, v) in params {
        p.set(k, *v);
    }
    let policy = tls::policy(&p, env).map_err(|e| e.to_string())?;
    let connector = policy.connector(host)?;
    let mut config = postgres::Config::new();
    config
        .host(host)
        .hostaddr(GOOD_IP.parse().unwrap())
        .port(port)
        .user("postgres")
        .dbname("postgres")
        .ssl_mode(postgres::config::SslMode::Require);
    if policy.direct() {
        config.ssl_negotiation(postgres::config::SslNegotiation::Direct);
    }
    match config.connect(connector) {
        Ok(mut client) => {
            client.simple_query("select 1").map_err(|e| e.to_string())?;
            Ok(policy.description())
        }
        Err(e) => Err(match (policy.describe_error(&e), e.as_db_error()) {
            (Some(m), _) => m,
            (None, Some(db)) => format!("{}:  {}", db.severity(), db.message()),
            (None, None) => format!("not a TLS error: {e}"),
        }),
    }
}

/// The root file hint: psql 15's, and the later libpq's that schemaplan prints (it knows
/// `sslrootcert=system`).
const PSQL15_ROOT_HINT: &str =
    "Either provide the file or change sslmode to disable server certificate verification.";
const ROOT_HINT: &str = "Either provide the file, use the system's trusted roots with \
                         sslrootcert=system, or change sslmode to disable server certificate \
                         verification.";

/// psql's failure for one attempt: what follows `connection to server at … failed: `.
fn psql_failure(stderr: &str) -> String {
    let at = stderr.find(" failed: ").map(|i| i + " failed: ".len());
    stderr[at.unwrap_or(0)..].trim_end().to_string()
}

/// Whether schemaplan's message says what psql's says: the same words, or with OpenSSL's
/// reason after `certificate verify failed` (psql 15 stops there), or with the later hint.
fn same_failure(ours: &str, psql: &str) -> bool {
    ours == psql
        || (psql.ends_with("certificate verify failed") && ours.starts_with(&format!("{psql}: ")))
        || ours == psql.replace(PSQL15_ROOT_HINT, ROOT_HINT)
}

/// One connection made both ways: psql and schemaplan's TLS attempt, with the same
/// parameters and the same `HOME`.
struct Case {
    what: &'static str,
    port: u16,
    host: &'static str,
    /// `keyword=value …` (values without spaces).
    params: String,
    /// Files put in `~/.postgresql` (each case gets a home of its own).
    home_files: Vec<(&'static str, PathBuf)>,
    /// What libpq does, when that does not depend on who runs the test.
    ok: Option<bool>,
}

fn case(
    what: &'static str,
    port: u16,
    host: &'static str,
    params: String,
    ok: Option<bool>,
) -> Case {
    let home_files = vec![];
    Case {
        what,
        port,
        host,
        params,
        home_files,
        ok,
    }
}

fn check_against_psql(cases: Vec<Case>) {
    let t = tls();
    let mut failures = Vec::new();
    for (n, c) in cases.into_iter().enumerate() {
        let home = t
            .dir
            .join(format!("home-{}-{n}-{}", std::process::id(), c.port));
        std::fs::create_dir_all(home.join(".postgresql")).unwrap();
        for (name, from) in &c.home_files {
            let to = home.join(".postgresql").join(name);
            std::fs::copy(from, &to).unwrap();
            set_mode(&to, 0o600);
        }
        let conninfo = format!(
            "host={} hostaddr={GOOD_IP} port={} user=postgres dbname=postgres {}",
            c.host, c.port, c.params
        );
        let (psql_ok, stderr) = psql(&conninfo, &[("HOME", home.to_str().unwrap())]);
        let env = Env {
            home: Some(home.clone()),
            ..Env::empty()
        };
        let params: Vec<(&str, &str)> = c
            .params
            .split_whitespace()
            .map(|kv| kv.split_once('=').unwrap())
            .collect();
        let ours = connect_tls(c.host, c.port, &params, &env);
        let psql_said = psql_failure(&stderr);
        let agrees = match &ours {
            Ok(_) => psql_ok,
            Err(m) => !psql_ok && same_failure(m, &psql_said),
        };
        if !agrees || c.ok.is_some_and(|ok| ok != psql_ok) {
            let psql_said = if psql_ok { "ok".to_string() } else { psql_said };
            failures.push(format!(
                "{}: {conninfo}\n  psql: {psql_said}\n  ours: {ours:?}",
                c.what
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "differences from psql:\n{}",
        failures.join("\n")
    );
}

/// Paths of the fixture's files, for parameters.
struct Paths {
    ca: String,
    untrusted: String,
    /// `sslcert=… sslkey=…` of the client certificate.
    client: String,
}

fn paths(t: &Tls) -> Paths {
    Paths {
        ca: t.ca.display().to_string(),
        untrusted: t.untrusted_ca.display().to_string(),
        client: format!(
            "sslcert={} sslkey={}",
            t.client_cert.display(),
            t.client_key.display()
        ),
    }
}

#[test]
fn tls_policy_verifies_the_server_as_psql_does() {
    let t = tls();
    let Paths {
        ca,
        untrusted,
        client,
    } = paths(t);
    let (tls_port, plain) = (t.tls_port(), t.plain_port());
    let (yes, no) = (Some(true), Some(false));
    let mut cases = vec![
        case(
            "verify-full by name",
            tls_port,
            GOOD_HOST,
            format!("sslmode=verify-full sslrootcert={ca} {client}"),
            yes,
        ),
        case(
            "verify-full by IP SAN",
            tls_port,
            GOOD_IP,
            format!("sslmode=verify-full sslrootcert={ca} {client}"),
            yes,
        ),
        case(
            "no client certificate",
            tls_port,
            GOOD_HOST,
            "sslmode=require".into(),
            no,
        ),
        case(
            "no TLS at the server",
            plain,
            GOOD_HOST,
            "sslmode=require".into(),
            no,
        ),
        case(
            "untrusted root",
            tls_port,
            GOOD_HOST,
            format!("sslmode=verify-ca sslrootcert={untrusted} {client}"),
            no,
        ),
        case(
            "missing root file",
            tls_port,
            GOOD_HOST,
            "sslmode=verify-ca sslrootcert=/nonexistent/root.crt".into(),
            no,
        ),
        case(
            "missing default root file",
            tls_port,
            GOOD_HOST,
            "sslmode=verify-full".into(),
            no,
        ),
        case(
            "require ignores a missing root file",
            tls_port,
            GOOD_HOST,
            format!("sslmode=require sslrootcert=/nonexistent/root.crt {client}"),
            yes,
        ),
        case(
            "a missing CRL directory fails every chain",
            tls_port,
            GOOD_HOST,
            format!("sslmode=verify-ca sslrootcert={ca} sslcrldir=/nonexistent {client}"),
            no,
        ),
        case(
            "a missing CRL file is ignored",
            tls_port,
            GOOD_HOST,
            format!("sslmode=verify-ca sslrootcert={ca} sslcrl=/nonexistent {client}"),
            yes,
        ),
        case(
            "a CRL revoking the server's certificate",
            tls_port,
            GOOD_HOST,
            format!(
                "sslmode=verify-ca sslrootcert={ca} sslcrl={} {client}",
                t.crl_revoking_server.display()
            ),
            no,
        ),
        case(
            "a CRL revoking another certificate",
            tls_port,
            GOOD_HOST,
            format!(
                "sslmode=verify-ca sslrootcert={ca} sslcrl={} {client}",
                t.crl_revoking_other.display()
            ),
            yes,
        ),
        case(
            "no shared protocol",
            tls_port,
            GOOD_HOST,
            "sslmode=require ssl_min_protocol_version=TLSv1 ssl_max_protocol_version=TLSv1.1"
                .into(),
            no,
        ),
    ];
    // ~/.postgresql: a root file makes require verify; the client certificate is the default.
    let client_files = [
        ("postgresql.crt", t.client_cert.clone()),
        ("postgresql.key", t.client_key.clone()),
    ];
    let mut c = case(
        "require with another CA's root.crt",
        tls_port,
        GOOD_HOST,
        "sslmode=require".into(),
        no,
    );
    c.home_files = [("root.crt", t.untrusted_ca.clone())]
        .into_iter()
        .chain(client_files.clone())
        .collect();
    cases.push(c);
    let mut c = case(
        "verify-full from ~/.postgresql",
        tls_port,
        GOOD_HOST,
        "sslmode=verify-full".into(),
        yes,
    );
    c.home_files = [("root.crt", t.ca.clone())]
        .into_iter()
        .chain(client_files)
        .collect();
    cases.push(c);
    check_against_psql(cases);
}

#[test]
fn tls_policy_reads_client_files_as_psql_does() {
    let t = tls();
    let Paths { ca, .. } = paths(t);
    let cert = t.client_cert.display();
    let key = t.client_key.display();
    let file = |name: &str, bytes: &[u8], mode: u32| -> String {
        let path = t.dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        set_mode(&path, mode);
        path.display().to_string()
    };
    let key_pem = std::fs::read(&t.client_key).unwrap();
    let key_0604 = file("client-0604.key", &key_pem, 0o604);
    let key_0640 = file("client-0640.key", &key_pem, 0o640);
    let other_key = file("other.key", &t.expired.key, 0o600);
    let encrypted = t.client_key_encrypted.display();
    let full = |rest: String| format!("sslmode=verify-full sslrootcert={ca} sslcert={cert} {rest}");
    let (yes, no) = (Some(true), Some(false));
    let cases = vec![
        case(
            "the client certificate",
            t.tls_port(),
            GOOD_HOST,
            full(format!("sslkey={key}")),
            yes,
        ),
        case(
            "a missing certificate is not sent",
            t.tls_port(),
            GOOD_HOST,
            format!("sslmode=require sslcert=/nonexistent/c.crt sslkey={key}"),
            no,
        ),
        case(
            "a certificate that is a directory",
            t.tls_port(),
            GOOD_HOST,
            format!("sslmode=require sslcert=/tmp sslkey={key}"),
            no,
        ),
        case(
            "a missing key",
            t.tls_port(),
            GOOD_HOST,
            full("sslkey=/nonexistent/c.key".into()),
            no,
        ),
        case(
            "a key that is a directory",
            t.tls_port(),
            GOOD_HOST,
            full("sslkey=/tmp".into()),
            no,
        ),
        case(
            "a world-readable key",
            t.tls_port(),
            GOOD_HOST,
            full(format!("sslkey={key_0604}")),
            no,
        ),
        // Refused unless owned by root: psql decides.
        case(
            "a group-readable key",
            t.tls_port(),
            GOOD_HOST,
            full(format!("sslkey={key_0640}")),
            None,
        ),
        case(
            "the key of another certificate",
            t.tls_port(),
            GOOD_HOST,
            full(format!("sslkey={other_key}")),
            no,
        ),
        case(
            "an encrypted key and its password",
            t.tls_port(),
            GOOD_HOST,
            full(format!(
                "sslkey={encrypted} sslpassword={CLIENT_KEY_PASSWORD}"
            )),
            yes,
        ),
        case(
            "an encrypted key, a wrong password",
            t.tls_port(),
            GOOD_HOST,
            full(format!("sslkey={encrypted} sslpassword=wrong")),
            no,
        ),
    ];
    check_against_psql(cases);
}

#[test]
fn tls_policy_checks_names_and_dates_as_psql_does() {
    let t = tls();
    let (expired, other) = std::thread::scope(|s| {
        let expired = s.spawn(|| start_tls_server(&t.expired));
        let other = s.spawn(|| start_tls_server(&t.other_host));
        (expired.join().unwrap(), other.join().unwrap())
    });
    let Paths { ca, client, .. } = paths(t);
    let verify = |mode: &str| format!("sslmode={mode} sslrootcert={ca} {client}");
    let (yes, no) = (Some(true), Some(false));
    check_against_psql(vec![
        case("expired", expired.port, GOOD_HOST, verify("verify-ca"), no),
        case(
            "expired, not verified",
            expired.port,
            GOOD_HOST,
            format!("sslmode=require {client}"),
            yes,
        ),
        case(
            "another name",
            other.port,
            GOOD_HOST,
            verify("verify-full"),
            no,
        ),
        case(
            "another name, by IP",
            other.port,
            GOOD_IP,
            verify("verify-full"),
            no,
        ),
        case(
            "another name, chain only",
            other.port,
            GOOD_HOST,
            verify("verify-ca"),
            yes,
        ),
    ]);
    // The messages themselves, besides agreeing with psql's.
    let env = Env::empty();
    let full = verify("verify-full");
    let params: Vec<(&str, &str)> = full
        .split(' ')
        .map(|kv| kv.split_once('=').unwrap())
        .collect();
    assert_eq!(
        connect_tls(GOOD_HOST, other.port, &params, &env),
        Err(format!(
            "server certificate for \"{OTHER_HOST}\" does not match host name \"{GOOD_HOST}\""
        ))
    );
    assert_eq!(
        connect_tls(GOOD_HOST, expired.port, &params, &env),
        Err("SSL error: certificate verify failed: certificate has expired".into())
    );
}

#[test]
fn tls_policy_describes_the_connection_and_direct_negotiation_needs_a_newer_server() {
    let t = tls();
    let (ca, cert, key) = (
        t.ca.to_str().unwrap(),
        t.client_cert.to_str().unwrap(),
        t.client_key.to_str().unwrap(),
    );
    let env = Env::empty();
    let full = [
        ("sslmode", "verify-full"),
        ("sslrootcert", ca),
        ("sslcert", cert),
        ("sslkey", key),
    ];
    let description = connect_tls(GOOD_HOST, t.tls_port(), &full, &env).unwrap();
    assert!(description.starts_with("TLSv1."), "{description}");
    assert!(
        description.ends_with(", verify-full, client certificate"),
        "{description}"
    );
    let require = [("sslmode", "require"), ("sslcert", cert), ("sslkey", key)];
    let description = connect_tls(GOOD_HOST, t.tls_port(), &require, &env).unwrap();
    assert!(
        description.ends_with(", require, server not verified, client certificate"),
        "{description}"
    );
    // PostgreSQL 15 does not speak TLS before the startup packet: the attempt fails cleanly.
    let direct = [
        ("sslmode", "require"),
        ("sslnegotiation", "direct"),
        ("sslcert", cert),
        ("sslkey", key),
    ];
    let failure = connect_tls(GOOD_HOST, t.tls_port(), &direct, &env).unwrap_err();
    assert!(failure.starts_with("SSL "), "{failure}");
}
