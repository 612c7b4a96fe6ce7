//! One integration-test binary (the ripgrep habit): every test talks to a real PostgreSQL.
//!
//! The harness starts two throwaway clusters for the whole test process (the tests' databases,
//! and the pipeline's shadow), or uses the server named by `SCHEMAPLAN_TEST_DATABASE_URL` for
//! both; every test gets databases of its own.

mod architecture;
mod cases;
mod cli;
mod concurrent;
mod connect;
mod connect_cli;
mod errors;
mod fleet;
mod fuzz;
mod fuzz_engine;
mod gitlab;
mod guarded;
mod harness;
mod hooks;
mod introspect;
mod killed;
mod online;
mod presentations;
mod realapps;
mod shadow_role;
mod smuggling;
mod terminal;
mod tls_support;
mod tooling;
mod versions;
mod words;
