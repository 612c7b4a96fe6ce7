//! A YAML tree that remembers where every node came from. Validation reports every problem with
//! `file:line:column`, which serde_yaml cannot give per node, so the tree is built from the
//! marked events of yaml-rust2.
//!
//! Scalars stay text: `default: 0` and `default: "0"` both mean the SQL text `0`, and a version
//! such as `1.10` is not turned into a float on the way.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
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

/// What one YAML text may hold. A desired state is a few megabytes at most (GitLab's
/// `structure.sql`, among the largest real schemas, is 2.7 MB, and can be split into files);
/// the limits keep a hostile or broken file from costing more than
/// a few hundred MB or a few seconds, and each refusal says which limit it met.
pub mod limits {
    /// Bytes in one file.
    pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
    /// Collections open inside one another. The deepest place in a desired state (a check of a
    /// column of a table of a schema, or a function's argument list) is under ten levels.
    pub const MAX_DEPTH: usize = 64;
    /// Aliases (`*name`) in one file.
    pub const MAX_ALIASES: usize = 10_000;
    /// Nodes copied by aliases in one file: an alias of an alias of … (a "billion laughs") is
    /// refused here, before the copies are made, however small the text.
    pub const MAX_ALIAS_NODES: usize = 100_000;
    /// Nodes kept for the anchors (`&name`) of one file, each anchor counting what it holds.
    pub const MAX_ANCHORED_NODES: usize = 1_000_000;
}

/// Parses every document of `text`, within `limits`.
pub fn parse(text: &str) -> Result<Vec<Node>, SyntaxError> {
    if text.len() > limits::MAX_FILE_BYTES {
        return Err(SyntaxError {
            mark: Mark { line: 1, column: 1 },
            message: too_big(),
        });
    }
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    // Events are pulled one at a time rather than through `Parser::load`, which recurses once
    // per nesting level: a refusal stops the parse where it is, and depth costs no stack.
    loop {
        let (event, marker) = parser.next_token().map_err(|e| {
            let mark = Mark::from_marker(e.marker());
            // yaml-rust2's scanner reads ahead, and meets its own limit of 255 flow levels
            // before the parser hands over the collection past ours.
            if e.info() == "recursion limit exceeded" {
                return Builder::too_deep(mark);
            }
            SyntaxError {
                mark,
                message: format!("YAML syntax error: {}", e.info()),
            }
        })?;
        if event == Event::StreamEnd {
            return Ok(builder.documents);
        }
        builder.on_event(event, &marker)?;
    }
}

/// The refusal of a file over the size limit.
fn too_big() -> String {
    format!(
        "the file holds more than {} bytes (16 MiB), the limit for one file of the desired \
         state: split it into several files",
        limits::MAX_FILE_BYTES
    )
}

#[derive(Default)]
struct Builder {
    documents: Vec<Node>,
    /// Open collections: the node under construction, its anchor, and a key waiting for its value.
    stack: Vec<(Node, usize, Option<Node>)>,
    /// Each anchored node, with its shape (what an alias of it copies).
    anchors: HashMap<usize, (Node, Shape)>,
    /// The shape of each open collection so far (parallel to `stack`).
    shapes: Vec<Shape>,
    aliases: usize,
    /// Nodes copied so far by aliases, and kept in the table of anchors.
    alias_nodes: usize,
    anchored_nodes: usize,
}

/// How many nodes a tree holds, itself included, and how many collections deep it goes.
#[derive(Clone, Copy)]
struct Shape {
    nodes: usize,
    height: usize,
}

impl Shape {
    const LEAF: Shape = Shape {
        nodes: 1,
        height: 0,
    };
}

impl Builder {
    fn push_value(&mut self, node: Node, anchor: usize, shape: Shape) -> Result<(), SyntaxError> {
        if anchor > 0 {
            // Each anchor keeps a copy: nested anchors over a large text must not multiply it.
            self.anchored_nodes = self.anchored_nodes.saturating_add(shape.nodes);
            if self.anchored_nodes > limits::MAX_ANCHORED_NODES {
                return Err(SyntaxError {
                    mark: node.mark,
                    message: format!(
                        "the anchors (&name) of the file hold more than {} nodes together: \
                         anchor smaller parts, or write them out",
                        limits::MAX_ANCHORED_NODES
                    ),
                });
            }
            self.anchors.insert(anchor, (node.clone(), shape));
        }
        if let Some(parent) = self.shapes.last_mut() {
            parent.nodes = parent.nodes.saturating_add(shape.nodes);
            parent.height = parent.height.max(shape.height + 1);
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
        Ok(())
    }

    fn too_deep(mark: Mark) -> SyntaxError {
        SyntaxError {
            mark,
            message: format!(
                "collections nested more than {} levels deep (aliases included): a desired \
                 state needs far fewer (is an indentation or a bracket off?)",
                limits::MAX_DEPTH
            ),
        }
    }

    fn open(&mut self, kind: NodeKind, mark: Mark, anchor: usize) -> Result<(), SyntaxError> {
        if self.stack.len() >= limits::MAX_DEPTH {
            return Err(Self::too_deep(mark));
        }
        self.stack.push((Node { kind, mark }, anchor, None));
        self.shapes.push(Shape {
            nodes: 1,
            height: 1,
        });
        Ok(())
    }

    /// The node anchored as `id`, copied for an alias at `mark`, unless the file's aliases
    /// would then be more, or copy more nodes, than the limits allow.
    fn alias(&mut self, id: usize, mark: &Mark) -> Result<(Node, Shape), SyntaxError> {
        let refuse = |message: String| SyntaxError {
            mark: mark.clone(),
            message,
        };
        self.aliases += 1;
        if self.aliases > limits::MAX_ALIASES {
            return Err(refuse(format!(
                "more than {} aliases (*name) in one file: write the repeated parts out, or \
                 split the file",
                limits::MAX_ALIASES
            )));
        }
        let Some(&(ref node, shape)) = self.anchors.get(&id) else {
            return Ok((
                Node {
                    kind: NodeKind::Null,
                    mark: mark.clone(),
                },
                Shape::LEAF,
            ));
        };
        if self.stack.len() + shape.height > limits::MAX_DEPTH {
            return Err(Self::too_deep(mark.clone()));
        }
        self.alias_nodes = self.alias_nodes.saturating_add(shape.nodes);
        if self.alias_nodes > limits::MAX_ALIAS_NODES {
            return Err(refuse(format!(
                "this alias would bring the nodes copied by aliases in the file to {}, over the \
                 limit of {}: aliases of aliases multiply (an \"alias bomb\"); write the \
                 repeated parts out instead",
                self.alias_nodes,
                limits::MAX_ALIAS_NODES
            )));
        }
        Ok((node.clone(), shape))
    }

    fn on_event(&mut self, event: Event, marker: &Marker) -> Result<(), SyntaxError> {
        let mark = Mark::from_marker(marker);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let plain = style == TScalarStyle::Plain;
                let kind = if plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL")
                {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar { text }
                };
                self.push_value(Node { kind, mark }, anchor, Shape::LEAF)?;
            }
            Event::SequenceStart(anchor, _) => {
                self.open(NodeKind::Seq(Vec::new()), mark, anchor)?
            }
            Event::MappingStart(anchor, _) => self.open(NodeKind::Map(Vec::new()), mark, anchor)?,
            Event::SequenceEnd | Event::MappingEnd => {
                if let (Some((node, anchor, _)), Some(shape)) =
                    (self.stack.pop(), self.shapes.pop())
                {
                    self.push_value(node, anchor, shape)?;
                }
            }
            Event::Alias(id) => {
                let (node, shape) = self.alias(id, &mark)?;
                self.push_value(Node { mark, ..node }, 0, shape)?;
            }
            // Anchors name nodes of their own document only.
            Event::DocumentStart => self.anchors.clear(),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
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
    fn aliases_copy_their_anchor() {
        let docs = parse("a: &x {k: [1, 2]}\nb: *x\n").unwrap();
        let NodeKind::Map(entries) = &docs[0].kind else {
            panic!("expected a map")
        };
        assert!(matches!(&entries[1].1.kind, NodeKind::Map(m) if m.len() == 1));
        assert_eq!(entries[1].1.mark.line, 2);
    }

    #[test]
    fn every_limit_is_refused_where_it_is_met() {
        let message = |text: &str| parse(text).unwrap_err();
        let many = format!(
            "a: &a x\nb: [{}]\n",
            vec!["*a"; limits::MAX_ALIASES + 1].join(", ")
        );
        let e = message(&many);
        assert!(
            e.message.contains("more than 10000 aliases"),
            "{}",
            e.message
        );
        assert_eq!(e.mark.line, 2);

        let big: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
        let copies = format!(
            "a: &a [{}]\nb: [{}]\n",
            big.join(","),
            vec!["*a"; 101].join(",")
        );
        let e = message(&copies);
        assert!(e.message.contains("alias bomb"), "{}", e.message);

        let mut nested = String::new();
        for i in 0..=limits::MAX_ANCHORED_NODES / 150_000 {
            nested.push_str(&format!("&a{i} ["));
        }
        nested.push_str(&vec!["0"; 150_000].join(","));
        nested.push_str(&"]".repeat(limits::MAX_ANCHORED_NODES / 150_000 + 1));
        let e = message(&format!("x: {nested}\n"));
        assert!(e.message.contains("anchors"), "{}", e.message);

        let e = message(&format!("{}{}", "[".repeat(1000), "]".repeat(1000)));
        assert!(e.message.contains("nested more than 64"), "{}", e.message);
        let e = message(&format!("{}{}", "[".repeat(65), "]".repeat(65)));
        assert!(e.message.contains("nested more than 64"), "{}", e.message);
        assert_eq!((e.mark.line, e.mark.column), (1, 65));
        assert!(parse(&format!("{}{}", "[".repeat(64), "]".repeat(64))).is_ok());

        let e = message(&format!("# {}\n", "x".repeat(limits::MAX_FILE_BYTES)));
        assert!(e.message.contains("16 MiB"), "{}", e.message);
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("a: [b\nc: d").unwrap_err();
        assert_eq!(err.mark.line, 2);
    }
}
