//! Everything that talks to PostgreSQL: connections and clusters, introspection, the shadow and
//! rehearsal databases, history, and running plans.

pub mod apply;
pub mod binaries;
pub mod cluster;
pub mod conn;
pub mod db;
pub mod history;
pub mod hookrun;
pub mod interrupt;
pub mod introspect;
pub mod migrate;
pub mod privileged;
pub mod rehearse;
pub mod resume;
pub mod session;
pub mod shadow;
pub mod template;
pub mod watch;
