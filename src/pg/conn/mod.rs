//! Connecting as libpq does: connection strings (URLs and `key=value`), the PG* environment,
//! the password file and connection services, TLS with libpq's six `sslmode`s, several hosts
//! with `target_session_attrs`, and errors as clear as psql's. A string or environment that
//! works for `psql` works here; one that `psql` refuses is refused too.

pub mod env;
pub mod error;
pub mod params;
pub mod tls;

pub use env::Env;
pub use error::ConnError;
pub use params::Params;
