//! Connecting as libpq does: connection strings (URLs and `key=value`), the PG* environment,
//! the password file and connection services, TLS with libpq's six `sslmode`s, several hosts
//! with `target_session_attrs`, and errors as clear as psql's. A string or environment that
//! works for `psql` works here; one that `psql` refuses is refused too.

pub mod connect;
pub mod env;
pub mod error;
pub mod hosts;
pub mod keywords;
pub mod params;
pub mod pgpass;
pub mod redact;
pub mod resolve;
pub mod server_message;
pub mod service;
pub mod tls;
pub mod uri;
pub mod validate;

pub use connect::{Connection, Target};
pub use env::Env;
pub use error::ConnError;
pub use hosts::{HostSpec, hosts};
pub use params::{Params, parse};
pub use pgpass::PasswordLookup;
pub use redact::redact;
pub use resolve::resolve;
