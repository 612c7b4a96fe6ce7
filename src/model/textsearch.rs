//! Text search dictionaries and configurations (`CREATE TEXT SEARCH DICTIONARY`, `… CONFIGURATION`).

use std::collections::BTreeMap;

/// The parser a configuration has when the YAML names none (`pg_catalog.default`), as the
/// catalog's name for it prints.
pub const DEFAULT_TS_PARSER: &str = "\"default\"";

/// A text search dictionary: a template and the options its init function reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TsDictionary {
    /// The template as PostgreSQL prints its name: bare for `pg_catalog`'s (`simple`,
    /// `snowball`, `ispell`), qualified otherwise. `ALTER` cannot change it.
    pub template: String,
    /// Options by name (PostgreSQL folds names to lower case and stores every value as a
    /// string). Compared as a set: the catalog's order is that of the statements that set them.
    pub options: BTreeMap<String, String>,
    pub comment: Option<String>,
}

/// A text search configuration: a parser, and for each token type of the parser the
/// dictionaries tried in order. `COPY = …` is not recorded by PostgreSQL: a configuration is
/// its full mapping, written out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TsConfiguration {
    /// The parser, bare for `pg_catalog`'s (`default`), qualified otherwise. `ALTER` cannot
    /// change it.
    pub parser: String,
    /// Token type (the parser's alias: `asciiword`, `email`) → dictionaries in order, each as
    /// `regdictionary` prints it (bare for `pg_catalog`'s, qualified otherwise).
    pub mappings: BTreeMap<String, Vec<String>>,
    pub comment: Option<String>,
}
