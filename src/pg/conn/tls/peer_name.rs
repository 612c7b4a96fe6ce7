//! The server's names against the host, as libpq checks them for `verify-full`
//! (`fe-secure-common.c`, `fe-secure-openssl.c`): not OpenSSL's rules, which differ on
//! wildcards and on when the common name counts. Also libpq's rule for sending SNI.

use std::net::{Ipv4Addr, Ipv6Addr};

use openssl::nid::Nid;
use openssl::x509::X509Ref;

/// libpq's SNI rule: a host name, not something made of digits and dots or holding a colon.
pub(super) fn sends_sni(host: &str) -> bool {
    !host.is_empty() && !host.chars().all(|c| c.is_ascii_digit() || c == '.') && !host.contains(':')
}

/// `verify-full`'s host name check, as libpq's `pq_verify_peer_name_matches_certificate`:
/// the subject alternative names (DNS names, and IP addresses compared as addresses), and the
/// common name only when there is no alternative name of the host's kind. On a mismatch, the
/// message names the certificate's first name.
pub(super) fn check_host_name(host: &str, cert: &X509Ref) -> Result<(), String> {
    if host.is_empty() {
        return Err("host name must be specified for a verified SSL connection".into());
    }
    let host_is_ip = ipv4(host).is_some() || host.parse::<Ipv6Addr>().is_ok();
    let mut examined = 0;
    let mut first: Option<String> = None;
    let mut check_cn = true;
    if let Some(names) = cert.subject_alt_names() {
        for name in &names {
            let (dns, ip) = (name.dnsname(), name.ipaddress());
            if (host_is_ip && ip.is_some()) || (!host_is_ip && dns.is_some()) {
                check_cn = false;
            }
            let (matched, shown) = if let Some(dns) = dns {
                (name_matches(dns, host)?, dns.to_string())
            } else if let Some(ip) = ip {
                ip_matches(ip, host)?
            } else {
                continue;
            };
            examined += 1;
            first.get_or_insert(shown);
            if matched {
                return Ok(());
            }
        }
    }
    if check_cn {
        if let Some(cn) = cert.subject_name().entries_by_nid(Nid::COMMONNAME).next() {
            let cn = String::from_utf8_lossy(cn.data().as_slice()).into_owned();
            examined += 1;
            let matched = name_matches(&cn, host)?;
            first.get_or_insert(cn);
            if matched {
                return Ok(());
            }
        }
    }
    let first = first.unwrap_or_default();
    Err(match examined {
        0 => "could not get server's host name from server certificate".to_string(),
        1 => format!("server certificate for \"{first}\" does not match host name \"{host}\""),
        n => format!(
            "server certificate for \"{first}\" (and {} other name{}) does not match host name \
             \"{host}\"",
            n - 1,
            if n == 2 { "" } else { "s" }
        ),
    })
}

/// A certificate name against the host: equal ignoring ASCII case, or a `*.` wildcard
/// standing for one whole first label.
fn name_matches(name: &str, host: &str) -> Result<bool, String> {
    if name.contains('\0') {
        return Err("SSL certificate's name contains embedded null".into());
    }
    Ok(name.eq_ignore_ascii_case(host) || wildcard_matches(name, host))
}

pub(super) fn wildcard_matches(pattern: &str, host: &str) -> bool {
    let (p, h) = (pattern.as_bytes(), host.as_bytes());
    if p.len() < 3 || p[0] != b'*' || p[1] != b'.' || p.len() > h.len() {
        return false;
    }
    let suffix = h.len() - p.len() + 1;
    if !h[suffix..].eq_ignore_ascii_case(&p[1..]) {
        return false;
    }
    // The wildcard stands for one label: no dot before the matched suffix.
    h.iter()
        .position(|&c| c == b'.')
        .is_none_or(|dot| dot >= h.len() - p.len())
}

/// A certificate's IP address against the host, compared as addresses; the address as text.
fn ip_matches(ip: &[u8], host: &str) -> Result<(bool, String), String> {
    match ip.len() {
        4 => {
            let addr = Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3]);
            Ok((ipv4(host) == Some(addr), addr.to_string()))
        }
        16 => {
            let octets: [u8; 16] = ip.try_into().unwrap_or([0; 16]);
            let addr = Ipv6Addr::from(octets);
            Ok((
                host.parse::<Ipv6Addr>().ok() == Some(addr),
                addr.to_string(),
            ))
        }
        n => Err(format!(
            "certificate contains IP address with invalid length {n}"
        )),
    }
}

/// An IPv4 address in any form `inet_aton` takes: one to four parts, decimal, octal (`0…`) or
/// hex (`0x…`), the last filling the remaining bytes (`127.1` is 127.0.0.1).
pub(super) fn ipv4(s: &str) -> Option<Ipv4Addr> {
    let parts: Vec<u32> = s.split('.').map(c_number).collect::<Option<_>>()?;
    let (last, init) = parts.split_last()?;
    if init.len() > 3 || init.iter().any(|&p| p > 255) {
        return None;
    }
    let last_bits = 8 * (4 - init.len() as u32);
    if last_bits < 32 && *last >= 1 << last_bits {
        return None;
    }
    let head = init
        .iter()
        .fold(0u32, |acc, &p| (acc << 8) | p)
        .checked_shl(last_bits)
        .unwrap_or(0);
    Some(Ipv4Addr::from(head | last))
}

fn c_number(s: &str) -> Option<u32> {
    let (digits, radix) = if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (hex, 16)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() && radix != 16 {
        return None;
    }
    if digits.is_empty() {
        return Some(0);
    }
    u32::from_str_radix(digits, radix).ok()
}
