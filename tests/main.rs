//! One integration-test binary (the ripgrep habit): every test talks to a real PostgreSQL.
//!
//! The harness starts one throwaway cluster for the whole test process, or uses the server
//! named by `SCHEMAPLAN_TEST_DATABASE_URL`; every test gets databases of its own.

mod architecture;
mod cases;
mod cli;
mod concurrent;
mod connect;
mod connect_cli;
mod errors;
mod gitlab;
mod guarded;
mod harness;
mod hooks;
mod killed;
mod online;
mod tls_support;
