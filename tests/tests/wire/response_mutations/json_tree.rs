//! A JSON tree that can hold what serde_json's cannot: duplicate keys, numbers of any size,
//! strings with any bytes, and raw text; the mutations are made on it.

use serde_json::Value;

#[derive(Debug, Clone)]
pub(super) enum Node {
    Null,
    Bool(bool),
    /// The number's text, as it goes on the wire.
    Number(String),
    /// A string's escaped content, without the quotes: any bytes.
    Str(Vec<u8>),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
    /// Text emitted as it is.
    Raw(Vec<u8>),
}

impl Node {
    pub(super) fn from_value(v: &Value) -> Node {
        match v {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.to_string()),
            Value::String(s) => Node::Str(escaped(s)),
            Value::Array(items) => Node::Array(items.iter().map(Node::from_value).collect()),
            Value::Object(map) => Node::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Node::from_value(v)))
                    .collect(),
            ),
        }
    }

    pub(super) fn emit(&self, out: &mut Vec<u8>) {
        match self {
            Node::Null => out.extend_from_slice(b"null"),
            Node::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Node::Number(text) => out.extend_from_slice(text.as_bytes()),
            Node::Str(content) => {
                out.push(b'"');
                out.extend_from_slice(content);
                out.push(b'"');
            }
            Node::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.emit(out);
                }
                out.push(b']');
            }
            Node::Object(entries) => {
                out.push(b'{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.push(b'"');
                    out.extend_from_slice(&escaped(key));
                    out.extend_from_slice(b"\":");
                    value.emit(out);
                }
                out.push(b'}');
            }
            Node::Raw(bytes) => out.extend_from_slice(bytes),
        }
    }

    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.emit(&mut out);
        out
    }

    /// Every node's path, in the anomaly notation (`Images.Image[0].Size`; the root is "").
    pub(super) fn paths(&self) -> Vec<(String, Vec<usize>)> {
        let mut out = Vec::new();
        self.collect_paths(String::new(), Vec::new(), &mut out);
        out
    }

    pub(super) fn collect_paths(
        &self,
        path: String,
        at: Vec<usize>,
        out: &mut Vec<(String, Vec<usize>)>,
    ) {
        out.push((path.clone(), at.clone()));
        match self {
            Node::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut next = at.clone();
                    next.push(i);
                    item.collect_paths(format!("{path}[{i}]"), next, out);
                }
            }
            Node::Object(entries) => {
                for (i, (key, value)) in entries.iter().enumerate() {
                    let mut next = at.clone();
                    next.push(i);
                    let p = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    value.collect_paths(p, next, out);
                }
            }
            _ => {}
        }
    }

    pub(super) fn at_mut(&mut self, at: &[usize]) -> &mut Node {
        let Some((first, rest)) = at.split_first() else {
            return self;
        };
        match self {
            Node::Array(items) => items[*first].at_mut(rest),
            Node::Object(entries) => entries[*first].1.at_mut(rest),
            _ => unreachable!("paths come from the same tree"),
        }
    }
}

fn escaped(s: &str) -> Vec<u8> {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted.as_bytes()[1..quoted.len() - 1].to_vec()
}
