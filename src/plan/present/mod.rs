//! A plan's presentations: the human listing (`human`) and the SQL script (`sql`). Pure: they
//! read a `Plan` and write text.

mod human;
mod sql;
