//! The TLS rules without a server: option values, attempts, which files are read and what is
//! said when one is wrong (with real files in temporary directories), and libpq's host name
//! rules on certificates made here. The handshakes themselves are tested against servers and
//! psql in `tests/tls_support.rs`.

use std::path::Path;

use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, SubjectAlternativeName, SubjectKeyIdentifier,
};
use openssl::x509::{CrlNumber, X509, X509CrlBuilder, X509Name, X509RevokedBuilder};

use super::peer_name::{check_host_name, ipv4, sends_sni, wildcard_matches};
use super::*;

fn params(pairs: &[(&str, &str)]) -> Params {
    let mut p = Params::default();
    for (k, v) in pairs {
        p.set(k, *v);
    }
    p
}

fn home(dir: &Path) -> Env {
    Env {
        home: Some(dir.to_path_buf()),
        ..Env::empty()
    }
}

fn policy_of(pairs: &[(&str, &str)], env: &Env) -> TlsPolicy {
    policy(&params(pairs), env).unwrap_or_else(|e| panic!("{pairs:?}: {e}"))
}

fn refusal(pairs: &[(&str, &str)]) -> String {
    match policy(&params(pairs), &Env::empty()) {
        Ok(_) => panic!("{pairs:?} accepted"),
        Err(ConnError::Settings(m)) => m,
        Err(other) => panic!("{pairs:?}: {other:?}"),
    }
}

/// The TLS set-up's failure (what a TLS attempt reports).
fn setup_error(pairs: &[(&str, &str)], env: &Env) -> String {
    match policy_of(pairs, env).connector("localhost") {
        Ok(_) => panic!("{pairs:?}: the TLS set-up succeeded"),
        Err(m) => m,
    }
}

fn key() -> PKey<Private> {
    let group = openssl::ec::EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    PKey::from_ec_key(openssl::ec::EcKey::generate(&group).unwrap()).unwrap()
}

/// A self-signed CA certificate with these names (a common name only when `cn` is given).
fn cert(cn: Option<&str>, dns: &[&str], ips: &[&str], key: &PKey<Private>) -> X509 {
    let mut name = X509Name::builder().unwrap();
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "schemaplan tests")
        .unwrap();
    if let Some(cn) = cn {
        name.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
    }
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(30).unwrap())
        .unwrap();
    b.append_extension(BasicConstraints::new().ca().build().unwrap())
        .unwrap();
    let ski = SubjectKeyIdentifier::new()
        .build(&b.x509v3_context(None, None))
        .unwrap();
    b.append_extension(ski).unwrap();
    if !dns.is_empty() || !ips.is_empty() {
        let mut san = SubjectAlternativeName::new();
        dns.iter().for_each(|d| {
            san.dns(d);
        });
        ips.iter().for_each(|i| {
            san.ip(i);
        });
        let san = san.build(&b.x509v3_context(None, None)).unwrap();
        b.append_extension(san).unwrap();
    }
    b.sign(key, MessageDigest::sha256()).unwrap();
    b.build()
}

fn write(path: &Path, bytes: &[u8], mode: u32) -> String {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    path.display().to_string()
}

/// A certificate and its key written as `name.crt` / `name.key` (mode `key_mode`).
fn client_files(dir: &Path, name: &str, key_mode: u32) -> (String, String) {
    let k = key();
    let c = cert(Some("postgres"), &[], &[], &k);
    (
        write(
            &dir.join(format!("{name}.crt")),
            &c.to_pem().unwrap(),
            0o644,
        ),
        write(
            &dir.join(format!("{name}.key")),
            &k.private_key_to_pem_pkcs8().unwrap(),
            key_mode,
        ),
    )
}

// ---- option values and attempts ----

#[test]
fn sslmode_values_are_libpq_s_six() {
    for mode in [
        SslMode::Disable,
        SslMode::Allow,
        SslMode::Prefer,
        SslMode::Require,
        SslMode::VerifyCa,
        SslMode::VerifyFull,
    ] {
        assert_eq!(SslMode::parse(mode.as_str()), Ok(mode));
    }
    assert_eq!(
        SslMode::parse("Require"),
        Err(ConnError::settings("invalid sslmode value: \"Require\""))
    );
    assert_eq!(refusal(&[("sslmode", "")]), "invalid sslmode value: \"\"");
}

#[test]
fn each_sslmode_makes_libpq_s_attempts() {
    use Attempt::{Plain, Tls};
    let env = Env::empty();
    for (mode, attempts, verify) in [
        ("disable", &[Plain][..], Verify::Nothing),
        ("allow", &[Plain, Tls][..], Verify::Nothing),
        ("prefer", &[Tls, Plain][..], Verify::Nothing),
        ("require", &[Tls][..], Verify::Nothing),
        ("verify-ca", &[Tls][..], Verify::Chain),
        ("verify-full", &[Tls][..], Verify::ChainAndHost),
    ] {
        let p = policy_of(&[("sslmode", mode)], &env);
        assert_eq!(p.mode().as_str(), mode);
        assert_eq!(p.attempts(), attempts, "{mode}");
        assert_eq!(p.verify(), verify, "{mode}");
        assert!(!p.direct());
    }
    // Unset: prefer; with the system's roots, verify-full.
    assert_eq!(policy_of(&[], &env).mode(), SslMode::Prefer);
    let system = policy_of(&[("sslrootcert", "system")], &env);
    assert_eq!(system.mode(), SslMode::VerifyFull);
    assert!(system.connector("localhost").is_ok());
    assert_eq!(system.description(), "verify-full, system roots");
    // disable builds no TLS at all.
    let disabled = policy_of(&[("sslmode", "disable")], &env);
    assert!(disabled.connector("localhost").is_err());
}

#[test]
fn wrong_option_values_are_refused_before_anything_is_tried() {
    for (pairs, message) in [
        (
            &[("sslnegotiation", "fast")][..],
            "invalid sslnegotiation value: \"fast\"",
        ),
        (
            &[("sslnegotiation", "direct")][..],
            "weak sslmode \"prefer\" may not be used with sslnegotiation=direct (use \"require\", \
             \"verify-ca\", or \"verify-full\")",
        ),
        (
            &[("sslnegotiation", "direct"), ("sslmode", "allow")][..],
            "weak sslmode \"allow\" may not be used with sslnegotiation=direct (use \"require\", \
             \"verify-ca\", or \"verify-full\")",
        ),
        (
            &[("sslrootcert", "system"), ("sslmode", "verify-ca")][..],
            "weak sslmode \"verify-ca\" may not be used with sslrootcert=system (use \
             \"verify-full\")",
        ),
        (
            &[("sslrootcert", "system"), ("sslmode", "disable")][..],
            "weak sslmode \"disable\" may not be used with sslrootcert=system (use \
             \"verify-full\")",
        ),
        (
            &[("ssl_min_protocol_version", "SSLv3")][..],
            "invalid ssl_min_protocol_version value: \"SSLv3\"",
        ),
        (
            &[("ssl_max_protocol_version", "TLSv1.4")][..],
            "invalid ssl_max_protocol_version value: \"TLSv1.4\"",
        ),
        (
            &[
                ("ssl_min_protocol_version", "TLSv1.3"),
                ("ssl_max_protocol_version", "TLSv1.2"),
            ][..],
            "invalid SSL protocol version range",
        ),
        // The default minimum is TLSv1.2.
        (
            &[
                ("ssl_max_protocol_version", "TLSv1.1"),
                ("sslmode", "disable"),
            ][..],
            "invalid SSL protocol version range",
        ),
    ] {
        assert_eq!(refusal(pairs), message, "{pairs:?}");
    }
    let env = Env::empty();
    for pairs in [
        &[
            ("ssl_min_protocol_version", "tlsv1"),
            ("ssl_max_protocol_version", "TLSV1"),
        ][..],
        &[
            ("ssl_min_protocol_version", ""),
            ("ssl_max_protocol_version", "TLSv1.1"),
        ][..],
        &[
            ("ssl_min_protocol_version", "TLSv1.3"),
            ("ssl_max_protocol_version", ""),
        ][..],
    ] {
        assert!(policy_of(pairs, &env).connector("h").is_ok(), "{pairs:?}");
    }
    let direct = policy_of(
        &[("sslmode", "require"), ("sslnegotiation", "direct")],
        &env,
    );
    assert!(direct.direct());
    assert!(direct.connector("h").is_ok());
}

#[test]
fn sni_is_sent_for_host_names_only() {
    for host in ["localhost", "db.example.com", "a1.b2"] {
        assert!(sends_sni(host), "{host}");
    }
    for host in ["", "127.0.0.1", "10.1", "::1", "fe80::1%eth0"] {
        assert!(!sends_sni(host), "{host}");
    }
    let off = policy_of(&[("sslsni", "0")], &Env::empty());
    assert!(!off.sni);
    assert!(policy_of(&[], &Env::empty()).sni);
}

// ---- root certificates and CRLs ----

#[test]
fn require_verifies_exactly_when_a_root_file_exists() {
    let dir = tempfile::tempdir().unwrap();
    let env = home(dir.path());
    let ca = cert(Some("root"), &[], &[], &key()).to_pem().unwrap();
    for mode in ["allow", "prefer", "require"] {
        let p = policy_of(&[("sslmode", mode)], &env);
        assert_eq!(p.verify(), Verify::Nothing, "{mode} with no root file");
        assert_eq!(p.description(), format!("{mode}, server not verified"));
        let missing = policy_of(&[("sslmode", mode), ("sslrootcert", "/nonexistent")], &env);
        assert_eq!(missing.verify(), Verify::Nothing, "{mode}");
        assert!(missing.connector("h").is_ok());
    }
    let given = write(&dir.path().join("given.crt"), &ca, 0o644);
    let p = policy_of(&[("sslmode", "require"), ("sslrootcert", &given)], &env);
    assert_eq!(p.verify(), Verify::Chain);
    assert_eq!(p.description(), "require, chain verified");
    write(&dir.path().join(".postgresql/root.crt"), &ca, 0o644);
    for mode in ["allow", "prefer", "require"] {
        let p = policy_of(&[("sslmode", mode)], &env);
        assert_eq!(
            p.verify(),
            Verify::Chain,
            "{mode} with ~/.postgresql/root.crt"
        );
        assert!(p.connector("h").is_ok());
    }
    assert_eq!(
        policy_of(&[("sslmode", "verify-ca")], &env).description(),
        "verify-ca"
    );
}

#[test]
fn verify_modes_need_a_root_file() {
    let hint = "Either provide the file, use the system's trusted roots with sslrootcert=system, \
                or change sslmode to disable server certificate verification.";
    let dir = tempfile::tempdir().unwrap();
    let env = home(dir.path());
    assert_eq!(
        setup_error(&[("sslmode", "verify-ca"), ("sslrootcert", "/nope")], &env),
        format!("root certificate file \"/nope\" does not exist\n{hint}")
    );
    assert_eq!(
        setup_error(&[("sslmode", "verify-full")], &env),
        format!(
            "root certificate file \"{}\" does not exist\n{hint}",
            dir.path().join(".postgresql/root.crt").display()
        )
    );
    assert_eq!(
        setup_error(&[("sslmode", "verify-full")], &Env::empty()),
        format!("could not get home directory to locate root certificate file\n{hint}")
    );
    // A file that holds no certificate.
    let empty = write(&dir.path().join("empty.crt"), b"nothing here\n", 0o644);
    assert_eq!(
        setup_error(&[("sslmode", "verify-ca"), ("sslrootcert", &empty)], &env),
        format!("could not read root certificate file \"{empty}\": no certificate or crl found")
    );
    // Even require reads a root file that exists, and fails on a bad one.
    assert!(
        setup_error(&[("sslmode", "require"), ("sslrootcert", &empty)], &env)
            .starts_with("could not read root certificate file")
    );
}

#[test]
fn crls_are_checked_when_one_loads_and_a_missing_one_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let env = home(dir.path());
    let ca_key = key();
    let ca = cert(Some("root"), &[], &[], &ca_key);
    let root = write(&dir.path().join("root.pem"), &ca.to_pem().unwrap(), 0o644);
    let mut crl = X509CrlBuilder::new().unwrap();
    crl.set_issuer_name(ca.subject_name()).unwrap();
    crl.set_last_update(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    crl.set_next_update(&Asn1Time::days_from_now(7).unwrap())
        .unwrap();
    let context = X509::builder().unwrap();
    let aki = AuthorityKeyIdentifier::new()
        .keyid(true)
        .build(&context.x509v3_context(Some(&ca), None))
        .unwrap();
    crl.append_extension(aki).unwrap();
    let number = openssl::bn::BigNum::from_u32(1).unwrap();
    crl.append_extension(CrlNumber::new(number).unwrap().build().unwrap())
        .unwrap();
    let mut revoked = X509RevokedBuilder::new().unwrap();
    let serial = openssl::bn::BigNum::from_u32(4242).unwrap();
    revoked
        .set_serial_number(&serial.to_asn1_integer().unwrap())
        .unwrap();
    revoked
        .set_revocation_date(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    crl.add_revoked(revoked.build()).unwrap();
    crl.sign(&ca_key, MessageDigest::sha256()).unwrap();
    let crl = crl.build().unwrap().to_pem().unwrap();
    let described = |pairs: &[(&str, &str)]| {
        let mut all = vec![("sslmode", "verify-ca"), ("sslrootcert", root.as_str())];
        all.extend_from_slice(pairs);
        policy_of(&all, &env).description()
    };
    assert_eq!(described(&[]), "verify-ca");
    assert_eq!(described(&[("sslcrl", "/nonexistent.crl")]), "verify-ca");
    let given = write(&dir.path().join("given.crl"), &crl, 0o644);
    assert_eq!(described(&[("sslcrl", &given)]), "verify-ca, CRL checked");
    write(&dir.path().join(".postgresql/root.crl"), &crl, 0o644);
    assert_eq!(described(&[]), "verify-ca, CRL checked");
    // A directory is looked up lazily: naming one turns the checks on (libpq's behaviour too:
    // with no CRL in it, no chain verifies).
    assert_eq!(
        described(&[("sslcrldir", "/nonexistent")]),
        "verify-ca, CRL checked"
    );
}

// ---- client certificates and keys ----

#[test]
fn client_key_permissions_follow_libpq() {
    let dir = tempfile::tempdir().unwrap();
    let env = Env::empty();
    let (cert_path, key_path) = client_files(dir.path(), "client", 0o600);
    let pairs = [
        ("sslcert", cert_path.as_str()),
        ("sslkey", key_path.as_str()),
    ];
    let p = policy_of(&pairs, &env);
    assert!(p.connector("h").is_ok());
    assert_eq!(
        p.description(),
        "prefer, server not verified, client certificate"
    );
    let (cert_path, key_path) = client_files(dir.path(), "open", 0o644);
    assert_eq!(
        setup_error(&[("sslcert", &cert_path), ("sslkey", &key_path)], &env),
        format!(
            "private key file \"{key_path}\" has group or world access; file must have \
             permissions u=rw (0600) or less if owned by the current user, or permissions \
             u=rw,g=r (0640) or less if owned by root"
        )
    );
    // The rule itself: root may let its group read; anyone else may not.
    for (uid, mode, too_open) in [
        (0, 0o600, false),
        (0, 0o640, false),
        (0, 0o660, true),
        (0, 0o650, true),
        (0, 0o604, true),
        (1000, 0o600, false),
        (1000, 0o400, false),
        (1000, 0o700, false),
        (1000, 0o640, true),
        (1000, 0o601, true),
    ] {
        assert_eq!(
            key_permissions_too_open(uid, 0o100000 | mode),
            too_open,
            "uid {uid} mode {mode:o}"
        );
    }
}

#[test]
fn client_files_missing_or_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let env = home(dir.path());
    let (cert_path, key_path) = client_files(dir.path(), "client", 0o600);
    // No certificate (given or default): none is sent, the server decides.
    for pairs in [&[][..], &[("sslcert", "/nonexistent/client.crt")][..]] {
        let p = policy_of(pairs, &env);
        assert!(p.connector("h").is_ok());
        assert_eq!(p.description(), "prefer, server not verified");
    }
    // The default certificate in ~/.postgresql needs the default key there.
    std::fs::create_dir_all(dir.path().join(".postgresql")).unwrap();
    std::fs::copy(&cert_path, dir.path().join(".postgresql/postgresql.crt")).unwrap();
    assert_eq!(
        setup_error(&[], &env),
        format!(
            "certificate present, but not private key file \"{}\"",
            dir.path().join(".postgresql/postgresql.key").display()
        )
    );
    std::fs::copy(&key_path, dir.path().join(".postgresql/postgresql.key")).unwrap();
    assert_eq!(
        policy_of(&[], &env).description(),
        "prefer, server not verified, client certificate"
    );
    let dir_name = dir.path().display().to_string();
    for (pairs, message) in [
        (
            vec![
                ("sslcert", cert_path.as_str()),
                ("sslkey", "/nonexistent/k"),
            ],
            "certificate present, but not private key file \"/nonexistent/k\"".to_string(),
        ),
        (
            vec![
                ("sslcert", cert_path.as_str()),
                ("sslkey", dir_name.as_str()),
            ],
            format!("private key file \"{dir_name}\" is not a regular file"),
        ),
        (
            vec![
                ("sslcert", dir_name.as_str()),
                ("sslkey", key_path.as_str()),
            ],
            format!("could not read certificate file \"{dir_name}\": no start line"),
        ),
        (
            vec![("sslcert", cert_path.as_str()), ("sslkey", "engine:key")],
            "could not load SSL engine key \"engine:key\": OpenSSL engines are not supported"
                .to_string(),
        ),
    ] {
        assert_eq!(setup_error(&pairs, &env), message, "{pairs:?}");
    }
    // A path that cannot be looked at (not one that is missing) is an error.
    let long = format!("/{}", "x".repeat(300));
    assert_eq!(
        setup_error(&[("sslcert", &long)], &env),
        format!("could not open certificate file \"{long}\": File name too long")
    );
    // The key of another certificate.
    let (_, other_key) = client_files(dir.path(), "other", 0o600);
    assert_eq!(
        setup_error(&[("sslcert", &cert_path), ("sslkey", &other_key)], &env),
        format!("could not load private key file \"{other_key}\": key values mismatch")
    );
}

#[test]
fn encrypted_keys_open_with_sslpassword() {
    let dir = tempfile::tempdir().unwrap();
    let env = Env::empty();
    let k = key();
    let c = cert(Some("postgres"), &[], &[], &k);
    let cert_path = write(&dir.path().join("c.crt"), &c.to_pem().unwrap(), 0o644);
    let pem = k
        .private_key_to_pem_pkcs8_passphrase(openssl::symm::Cipher::aes_128_cbc(), b"s3cret")
        .unwrap();
    let key_path = write(&dir.path().join("c.key"), &pem, 0o600);
    let base = [
        ("sslcert", cert_path.as_str()),
        ("sslkey", key_path.as_str()),
    ];
    let with = |password: &'static str| {
        let mut v = base.to_vec();
        v.push(("sslpassword", password));
        v
    };
    assert!(policy_of(&with("s3cret"), &env).connector("h").is_ok());
    for pairs in [with("wrong"), base.to_vec()] {
        let message = setup_error(&pairs, &env);
        assert!(
            message.starts_with(&format!("could not load private key file \"{key_path}\": ")),
            "{message}"
        );
    }
    // DER keys load too.
    let der = write(
        &dir.path().join("der.key"),
        &k.private_key_to_der().unwrap(),
        0o600,
    );
    assert!(
        policy_of(&[("sslcert", &cert_path), ("sslkey", &der)], &env)
            .connector("h")
            .is_ok()
    );
}

// ---- host names ----

#[test]
fn host_names_are_matched_with_libpq_s_rules() {
    let k = key();
    let server = cert(
        Some("localhost"),
        &["localhost", "db.example.com"],
        &["127.0.0.1"],
        &k,
    );
    for host in [
        "localhost",
        "LocalHost",
        "db.example.com",
        "127.0.0.1",
        "127.1",
    ] {
        assert_eq!(check_host_name(host, &server), Ok(()), "{host}");
    }
    assert_eq!(
        check_host_name("other.example.com", &server),
        Err(
            "server certificate for \"localhost\" (and 2 other names) does not match host name \
             \"other.example.com\""
                .into()
        )
    );
    // With DNS names among the alternatives, a host name never falls back to the CN…
    let dns_only = cert(Some("cn.example.com"), &["san.example.com"], &[], &k);
    assert_eq!(
        check_host_name("cn.example.com", &dns_only),
        Err(
            "server certificate for \"san.example.com\" does not match host name \
             \"cn.example.com\""
                .into()
        )
    );
    // … but an IP address does when there is no IP among them (libpq's choice).
    let ip_in_cn = cert(Some("10.0.0.1"), &["san.example.com"], &[], &k);
    assert_eq!(check_host_name("10.0.0.1", &ip_in_cn), Ok(()));
    // No alternative names: the CN alone.
    let cn_only = cert(Some("cn.example.com"), &[], &[], &k);
    assert_eq!(check_host_name("CN.example.COM", &cn_only), Ok(()));
    assert_eq!(
        check_host_name("x.example.com", &cn_only),
        Err(
            "server certificate for \"cn.example.com\" does not match host name \
             \"x.example.com\""
                .into()
        )
    );
    let ipv6 = cert(None, &[], &["::1"], &k);
    assert_eq!(check_host_name("0:0::1", &ipv6), Ok(()));
    assert_eq!(
        check_host_name("::2", &ipv6),
        Err("server certificate for \"::1\" does not match host name \"::2\"".into())
    );
    let nameless = cert(None, &[], &[], &k);
    assert_eq!(
        check_host_name("localhost", &nameless),
        Err("could not get server's host name from server certificate".into())
    );
    assert_eq!(
        check_host_name("", &server),
        Err("host name must be specified for a verified SSL connection".into())
    );
    let wildcard = cert(None, &["*.example.com"], &[], &k);
    assert_eq!(check_host_name("db.example.com", &wildcard), Ok(()));
    assert!(check_host_name("a.db.example.com", &wildcard).is_err());
}

#[test]
fn wildcards_stand_for_one_first_label() {
    for (pattern, host, matches) in [
        ("*.example.com", "db.example.com", true),
        ("*.example.com", "DB.EXAMPLE.COM", true),
        ("*.example.com", "example.com", false),
        ("*.example.com", ".example.com", false),
        ("*.example.com", "a.b.example.com", false),
        ("*.com", "example.com", true),
        ("db*.example.com", "db1.example.com", false),
        ("*", "localhost", false),
        ("*.", "a.", false),
        ("*.b", "a.b", true),
    ] {
        assert_eq!(wildcard_matches(pattern, host), matches, "{pattern} {host}");
    }
}

#[test]
fn ipv4_addresses_are_read_as_inet_aton_reads_them() {
    for (text, addr) in [
        ("127.0.0.1", Some("127.0.0.1")),
        ("127.1", Some("127.0.0.1")),
        ("10.1.2", Some("10.1.0.2")),
        ("2130706433", Some("127.0.0.1")),
        ("0x7f.1", Some("127.0.0.1")),
        ("010.0.0.1", Some("8.0.0.1")),
        ("256.0.0.1", None),
        ("1.2.3.4.5", None),
        ("1.2.65536", None),
        ("localhost", None),
        ("", None),
        ("1..2", None),
    ] {
        assert_eq!(
            ipv4(text).map(|a| a.to_string()),
            addr.map(str::to_string),
            "{text}"
        );
    }
}
