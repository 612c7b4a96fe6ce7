//! A plan's presentations for people: the human listing (`human`), the SQL script (`sql`) and
//! markdown for pull requests and CI summaries (`markdown`). Pure: they read a `Plan` and write
//! text.

mod human;
mod markdown;
mod sql;

pub use markdown::MARKDOWN_CAP;
