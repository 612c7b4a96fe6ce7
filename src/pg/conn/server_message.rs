//! A driver error as psql would print it: the server's own message with its severity, SQLSTATE,
//! detail and hint, instead of the driver's bare "db error".

use std::error::Error as _;
use std::fmt::Write as _;

/// `FATAL:  password authentication failed for user "app" (SQLSTATE 28P01)`, with `DETAIL:` and
/// `HINT:` lines when the server gave them; for errors that did not come from the server, the
/// driver's description followed by its cause (`error connecting to server: Connection refused
/// (os error 111)`).
pub fn server_message(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut out = format!(
            "{}:  {} (SQLSTATE {})",
            db.severity(),
            db.message(),
            db.code().code()
        );
        if let Some(detail) = db.detail() {
            let _ = write!(out, "\nDETAIL:  {detail}");
        }
        if let Some(hint) = db.hint() {
            let _ = write!(out, "\nHINT:  {hint}");
        }
        return out;
    }
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.contains(&text) {
            let _ = write!(out, ": {text}");
        }
        cause = c.source();
    }
    // The driver found it needs a password it was not given: libpq's words for it.
    if out.contains("password missing") {
        return "fe_sendauth: no password supplied".into();
    }
    out
}
