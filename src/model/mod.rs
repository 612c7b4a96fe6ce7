//! The one schema model. The YAML loader and the catalog introspector both lower into these types;
//! `diff` compares two of them and never sees YAML nodes or catalog rows.
//!
//! Expressions (defaults, checks, index predicates, view bodies) and type names are kept as SQL
//! text. Text that came from the catalog is in PostgreSQL's own printed form; text that came from
//! YAML is whatever the user wrote, which is why the desired model is normalised through a shadow
//! database before it is compared (see `shadow`).

mod catalog;
mod expr;
pub mod hints;
pub mod hook;
mod names;
pub mod naming;
mod publication;
pub mod quote;
mod routine;
mod security;
pub mod source;
mod table;
mod textsearch;
mod top;
mod typedefs;
mod view;
pub mod warning;

pub use catalog::*;
pub use expr::*;
pub use names::*;
pub use publication::*;
pub use routine::*;
pub use security::*;
pub use table::*;
pub use textsearch::*;
pub use top::*;
pub use typedefs::*;
pub use view::*;
