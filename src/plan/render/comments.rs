//! Comments: `COMMENT ON …`, for the comment change itself and for the objects created with
//! their comments.

use crate::model::quote::{ident, literal, qualified};
use crate::plan::change::CommentTarget;

pub(super) fn comment_if(out: &mut Vec<String>, target: &CommentTarget, text: &Option<String>) {
    if let Some(text) = text {
        out.push(comment(target, Some(text)));
    }
}

pub(super) fn comment(target: &CommentTarget, text: Option<&str>) -> String {
    let object = match target {
        CommentTarget::Schema(s) => format!("SCHEMA {}", ident(s)),
        CommentTarget::Enum(q) => format!("TYPE {}", qualified(q)),
        CommentTarget::Sequence(q) => format!("SEQUENCE {}", qualified(q)),
        CommentTarget::Table(q) => format!("TABLE {}", qualified(q)),
        CommentTarget::View(q) => format!("VIEW {}", qualified(q)),
        CommentTarget::Column(q, c) => format!("COLUMN {}.{}", qualified(q), ident(c)),
        CommentTarget::Constraint(q, c) => format!("CONSTRAINT {} ON {}", ident(c), qualified(q)),
        CommentTarget::Index(q) => format!("INDEX {}", qualified(q)),
        CommentTarget::Function(id) => format!("ROUTINE {}({})", qualified(&id.name), id.args),
        CommentTarget::Trigger(q, t) => format!("TRIGGER {} ON {}", ident(t), qualified(q)),
        CommentTarget::Policy(q, p) => format!("POLICY {} ON {}", ident(p), qualified(q)),
        CommentTarget::MaterializedView(q) => format!("MATERIALIZED VIEW {}", qualified(q)),
        CommentTarget::Domain(q) => format!("DOMAIN {}", qualified(q)),
        CommentTarget::DomainConstraint(q, c) => {
            format!("CONSTRAINT {} ON DOMAIN {}", ident(c), qualified(q))
        }
        CommentTarget::CompositeType(q) => format!("TYPE {}", qualified(q)),
        CommentTarget::Attribute(q, a) => format!("COLUMN {}.{}", qualified(q), ident(a)),
        CommentTarget::Statistics(q) => format!("STATISTICS {}", qualified(q)),
        CommentTarget::TsDictionary(q) => format!("TEXT SEARCH DICTIONARY {}", qualified(q)),
        CommentTarget::Publication(p) => format!("PUBLICATION {}", ident(p)),
        CommentTarget::TsConfiguration(q) => {
            format!("TEXT SEARCH CONFIGURATION {}", qualified(q))
        }
    };
    let value = text.map(literal).unwrap_or_else(|| "NULL".into());
    format!("COMMENT ON {object} IS {value}")
}

pub(super) fn set_comment(target: &CommentTarget, to: Option<&str>) -> Vec<String> {
    vec![comment(target, to)]
}
