//! A plan's presentations for people: the human listing (`human`, coloured through `paint`),
//! the SQL script (`sql`) and markdown for pull requests and CI summaries (`markdown`). Pure:
//! they read a `Plan` and write text.

mod human;
mod markdown;
mod paint;
mod sql;

pub use human::HumanOptions;
pub use markdown::MARKDOWN_CAP;
pub use paint::{Paint, Role};
