//! Where each node of a spec file sits in its text, so that later stages can point at a line.
//!
//! serde_yaml reports positions only for its own parse errors; the validator works on
//! deserialized structs. This index maps a node's path (`operations[0].request[3].style`) to its
//! line and column, built from a second, event-level pass over the same text.

use std::collections::HashMap;
use std::fmt;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A path to a node inside a spec file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NodePath(Vec<Segment>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Key(String),
    Index(usize),
}

impl NodePath {
    /// The root of the document.
    pub fn root() -> Self {
        Self::default()
    }

    /// The value under a mapping key.
    pub fn key(&self, key: &str) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Key(key.to_owned()));
        next
    }

    /// The item at a sequence index.
    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Index(index));
        next
    }

    /// The index `i` of a path that starts `key[i]` (`operations[3].request`), if it does.
    pub fn index_under(&self, key: &str) -> Option<usize> {
        match self.0.as_slice() {
            [Segment::Key(k), Segment::Index(i), ..] if k == key => Some(*i),
            _ => None,
        }
    }

    /// The key `name` of a path that starts `key.name` (`shapes.Tag.fields`), if it does.
    pub fn key_under(&self, key: &str) -> Option<&str> {
        match self.0.as_slice() {
            [Segment::Key(k), Segment::Key(name), ..] if k == key => Some(name),
            _ => None,
        }
    }

    /// The same path with its second segment replaced: the place of a node in the file it was
    /// merged from.
    pub fn with_second(&self, index: Option<usize>, key: Option<&str>) -> Self {
        let mut next = self.clone();
        if let Some(second) = next.0.get_mut(1) {
            match (second, index, key) {
                (Segment::Index(i), Some(new), _) => *i = new,
                (Segment::Key(k), _, Some(new)) => *k = new.to_owned(),
                _ => {}
            }
        }
        next
    }

    /// This path moved from under `from` to under `to` (`operations[0].request[14].type` from
    /// `operations[0].request[14]` to `operations[7].request[3]` is
    /// `operations[7].request[3].type`), or `None` when it is not under `from`.
    pub fn rebased(&self, from: &NodePath, to: &NodePath) -> Option<Self> {
        let rest = self.0.strip_prefix(from.0.as_slice())?;
        let mut next = to.clone();
        next.0.extend_from_slice(rest);
        Some(next)
    }

    fn parent(&self) -> Option<Self> {
        let mut parent = self.clone();
        parent.0.pop().map(|_| parent)
    }
}

impl fmt::Display for NodePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// How the text of a scalar node sits in the file, which decides whether a position inside the
/// text (a JSON error in a sample body) can be carried over to a position in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarLayout {
    /// A literal block (`|`): each line of the text is a line of the file, indented.
    Lines,
    /// Plain, quoted or folded: folding and escapes move characters, so only the start is known.
    Moved,
}

/// Positions of the nodes of one spec file.
#[derive(Debug, Default)]
pub struct SourceMap {
    nodes: HashMap<NodePath, Position>,
    layouts: HashMap<NodePath, ScalarLayout>,
}

impl SourceMap {
    /// Indexes `text`. A text that does not parse gives an empty map: the loader reports the
    /// parse error itself.
    pub fn index(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return Self::default();
        }
        Self {
            nodes: builder.nodes,
            layouts: builder.layouts,
        }
    }

    /// How the scalar at `path` is laid out in the file; `None` for a node that is not a scalar
    /// or not in the file.
    pub fn layout(&self, path: &NodePath) -> Option<ScalarLayout> {
        self.layouts.get(path).copied()
    }

    /// Where the node at `path` starts, or the nearest ancestor that exists (a missing key is
    /// reported at the mapping that lacks it).
    pub fn locate(&self, path: &NodePath) -> Position {
        let mut current = Some(path.clone());
        while let Some(p) = current {
            if let Some(pos) = self.nodes.get(&p) {
                return *pos;
            }
            current = p.parent();
        }
        Position { line: 1, column: 1 }
    }
}

/// Where collections first nest deeper than `limit` levels (a mapping or list inside another counts
/// one more), or `None` if they never do or the text does not parse (the loader reports that).
///
/// The pass stops at the first collection past the limit, so a text nested a hundred thousand
/// levels costs no more than one nested `limit` levels: the scanner's work per token grows with
/// the depth reached, and a full parse of such a text takes time in the square of its depth.
/// Brackets (`[[[...`) are the exception to the exact position: the scanner reads a bracketed
/// value to its end before it yields the first event inside, and gives up 255 levels in, which
/// is then the position reported.
pub fn nesting_beyond(text: &str, limit: usize) -> Option<Position> {
    let mut parser = Parser::new_from_str(text);
    let mut depth = 0usize;
    loop {
        match parser.next_token() {
            Ok((Event::MappingStart(..) | Event::SequenceStart(..), mark)) => {
                depth += 1;
                if depth > limit {
                    return Some(Position {
                        line: mark.line(),
                        column: mark.col() + 1,
                    });
                }
            }
            Ok((Event::MappingEnd | Event::SequenceEnd, _)) => depth = depth.saturating_sub(1),
            Err(e) if e.info() == FLOW_LEVELS_EXHAUSTED => {
                return Some(Position {
                    line: e.marker().line(),
                    column: e.marker().col() + 1,
                });
            }
            Ok((Event::StreamEnd, _)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// What yaml-rust2's scanner says when brackets nest past its 255 levels.
const FLOW_LEVELS_EXHAUSTED: &str = "recursion limit exceeded";

enum Frame {
    Mapping { key: Option<String> },
    Sequence { next: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    path: NodePath,
    nodes: HashMap<NodePath, Position>,
    layouts: HashMap<NodePath, ScalarLayout>,
}

impl Builder {
    /// Called at the start of every node; returns false when the node is a mapping key.
    fn enter_node(&mut self, mark: Marker, key_text: Option<&str>) -> bool {
        match self.stack.last_mut() {
            Some(Frame::Mapping { key }) if key.is_none() => {
                *key = Some(key_text.unwrap_or_default().to_owned());
                false
            }
            Some(Frame::Mapping { key }) => {
                let k = key.take().unwrap_or_default();
                self.path = self.path.key(&k);
                self.record(mark);
                true
            }
            Some(Frame::Sequence { next }) => {
                let i = *next;
                *next += 1;
                self.path = self.path.index(i);
                self.record(mark);
                true
            }
            None => {
                self.record(mark);
                true
            }
        }
    }

    fn record(&mut self, mark: Marker) {
        self.nodes.entry(self.path.clone()).or_insert(Position {
            line: mark.line(),
            column: mark.col() + 1,
        });
    }

    fn leave_node(&mut self, was_value: bool) {
        if was_value && !self.stack.is_empty() {
            self.path.0.pop();
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, style, ..) => {
                let was_value = self.enter_node(mark, Some(&text));
                if was_value {
                    let layout = match style {
                        TScalarStyle::Literal => ScalarLayout::Lines,
                        _ => ScalarLayout::Moved,
                    };
                    self.layouts.entry(self.path.clone()).or_insert(layout);
                }
                self.leave_node(was_value);
            }
            Event::Alias(_) => {
                let was_value = self.enter_node(mark, None);
                self.leave_node(was_value);
            }
            Event::MappingStart(..) => {
                self.enter_node(mark, None);
                self.stack.push(Frame::Mapping { key: None });
            }
            Event::SequenceStart(..) => {
                self.enter_node(mark, None);
                self.stack.push(Frame::Sequence { next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.leave_node(true);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_nodes_and_falls_back_to_the_parent() {
        let text = "product:\n  code: Ecs\noperations:\n  - action: A\n    request:\n      - name: X\n        style: json\n";
        let map = SourceMap::index(text);
        let root = NodePath::root();
        let style = root
            .key("operations")
            .index(0)
            .key("request")
            .index(0)
            .key("style");
        assert_eq!(
            map.locate(&style),
            Position {
                line: 7,
                column: 16
            }
        );
        assert_eq!(
            map.locate(&root.key("product").key("code")),
            Position { line: 2, column: 9 }
        );
        let missing = root.key("operations").index(0).key("response");
        assert_eq!(map.locate(&missing).line, 4);
        assert_eq!(style.to_string(), "operations[0].request[0].style");
    }

    #[test]
    fn finds_the_first_collection_past_the_nesting_limit() {
        let text = "a:\n  b:\n    - [1, {c: 2}]\n";
        assert_eq!(nesting_beyond(text, 5), None);
        assert_eq!(
            nesting_beyond(text, 4),
            Some(Position {
                line: 3,
                column: 11
            })
        );
        assert_eq!(
            nesting_beyond("[[[]]]", 2),
            Some(Position { line: 1, column: 3 })
        );
        assert_eq!(nesting_beyond("[[[", 5), None);
        let brackets = "[".repeat(1_000);
        assert_eq!(
            nesting_beyond(&brackets, 64),
            Some(Position {
                line: 1,
                column: 256
            })
        );
    }
}
