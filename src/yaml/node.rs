//! A YAML tree that remembers where every node came from. Validation reports every problem with
//! `file:line:column`, which serde_yaml cannot give per node, so the tree is built from the
//! marked events of yaml-rust2.
//!
//! Scalars stay text: `default: 0` and `default: "0"` both mean the SQL text `0`, and a version
//! such as `1.10` is not turned into a float on the way.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
}

impl Mark {
    fn from_marker(m: &Marker) -> Mark {
        // yaml-rust2 counts lines from 1 and columns from 0.
        Mark {
            line: m.line().max(1),
            column: m.col() + 1,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub mark: Mark,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Null,
    Scalar { text: String },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "nothing (null)",
            NodeKind::Scalar { .. } => "a scalar",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

#[derive(Debug)]
pub struct SyntaxError {
    pub mark: Mark,
    pub message: String,
}

/// Parses every document of `text`.
pub fn parse(text: &str) -> Result<Vec<Node>, SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| SyntaxError {
        mark: Mark::from_marker(e.marker()),
        message: e.info().to_string(),
    })?;
    Ok(builder.documents)
}

#[derive(Default)]
struct Builder {
    documents: Vec<Node>,
    /// Open collections: the node under construction, its anchor, and a key waiting for its value.
    stack: Vec<(Node, usize, Option<Node>)>,
    anchors: HashMap<usize, Node>,
}

impl Builder {
    fn push_value(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some((parent, _, pending_key)) => match &mut parent.kind {
                NodeKind::Seq(items) => items.push(node),
                NodeKind::Map(entries) => match pending_key.take() {
                    None => {
                        if entries.is_empty() {
                            // A block mapping is best located by its first key.
                            parent.mark = node.mark.clone();
                        }
                        *pending_key = Some(node);
                    }
                    Some(key) => entries.push((key, node)),
                },
                _ => unreachable!("only collections are pushed on the stack"),
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, marker: Marker) {
        let mark = Mark::from_marker(&marker);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let plain = style == TScalarStyle::Plain;
                let kind = if plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL")
                {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar { text }
                };
                self.push_value(Node { kind, mark }, anchor);
            }
            Event::SequenceStart(anchor, _) => self.stack.push((
                Node {
                    kind: NodeKind::Seq(Vec::new()),
                    mark,
                },
                anchor,
                None,
            )),
            Event::MappingStart(anchor, _) => self.stack.push((
                Node {
                    kind: NodeKind::Map(Vec::new()),
                    mark,
                },
                anchor,
                None,
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, anchor, _)) = self.stack.pop() {
                    self.push_value(node, anchor);
                }
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Node {
                    kind: NodeKind::Null,
                    mark: mark.clone(),
                });
                self.push_value(Node { mark, ..node }, 0);
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd
            | Event::Nothing => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_one_based_and_scalars_stay_text() {
        let docs = parse("a: 1.10\nb:\n  - x\n  - ~\n").unwrap();
        let NodeKind::Map(entries) = &docs[0].kind else {
            panic!("expected a map")
        };
        let (k, v) = &entries[0];
        assert_eq!((k.mark.line, k.mark.column), (1, 1));
        assert!(matches!(&v.kind, NodeKind::Scalar { text, .. } if text == "1.10"));
        let NodeKind::Seq(items) = &entries[1].1.kind else {
            panic!("expected a list")
        };
        assert_eq!((items[0].mark.line, items[0].mark.column), (3, 5));
        assert!(matches!(items[1].kind, NodeKind::Null));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("a: [b\nc: d").unwrap_err();
        assert_eq!(err.mark.line, 2);
    }
}
