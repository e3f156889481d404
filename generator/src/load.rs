//! Stage 1: spec text to [`SpecFile`], with a [`SourceMap`] for later error positions.

use std::sync::OnceLock;

use crate::diagnostic::SpecError;
use crate::location::{self, NodePath, Position, ScalarLayout, SourceMap};
use crate::spec::SpecFile;

/// A spec file as handed over by the caller: a name for messages and its text.
#[derive(Debug, Clone)]
pub struct SpecSource {
    /// The file's name as it should appear in messages (`specs/ecs-2014-05-26.yaml`).
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A parsed spec file, with the positions of its nodes on demand.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The file's name.
    pub name: String,
    /// The parsed spec.
    pub spec: SpecFile,
    /// The file's text, indexed only when an error needs a position.
    text: String,
    source_map: OnceLock<SourceMap>,
    /// Imported specs merged under this one ([`crate::merge`]), each with the nodes it gave.
    pub(crate) merged: Vec<MergedPart>,
}

/// An imported spec merged under a written one: its file, and which of the merged spec's
/// operations and shapes came from it (and under which index or name they sit in it).
#[derive(Debug)]
pub(crate) struct MergedPart {
    pub name: String,
    pub text: String,
    pub source_map: OnceLock<SourceMap>,
    /// Merged operation index -> index in this file.
    pub operations: std::collections::BTreeMap<usize, usize>,
    /// Merged shape name -> name in this file.
    pub shapes: std::collections::BTreeMap<String, String>,
    /// Fields added to a written operation or shape: where each sits in the merged spec
    /// (`operations[0].request[14]`), and where in this file.
    pub fields: Vec<(NodePath, NodePath)>,
}

impl LoadedSpec {
    /// Positions of the file's nodes. The index is a second parse of the text, made the first
    /// time an error needs a position: a valid spec never pays for it.
    pub fn source_map(&self) -> &SourceMap {
        self.source_map.get_or_init(|| SourceMap::index(&self.text))
    }

    /// The file and position of a node of the spec, which may have come from a merged
    /// imported spec.
    pub fn locate(&self, path: &NodePath) -> (&str, Position) {
        match self.part_of(path) {
            Some((part, local)) => (
                &part.name,
                part.source_map
                    .get_or_init(|| SourceMap::index(&part.text))
                    .locate(&local),
            ),
            None => (&self.name, self.source_map().locate(path)),
        }
    }

    /// How a scalar node's text sits in its file (see [`SourceMap::layout`]).
    pub fn layout(&self, path: &NodePath) -> Option<ScalarLayout> {
        match self.part_of(path) {
            Some((part, local)) => part
                .source_map
                .get_or_init(|| SourceMap::index(&part.text))
                .layout(&local),
            None => self.source_map().layout(path),
        }
    }

    /// The merged part a node came from, and its path there.
    fn part_of(&self, path: &NodePath) -> Option<(&MergedPart, NodePath)> {
        for part in &self.merged {
            for (merged, local) in &part.fields {
                if let Some(rebased) = path.rebased(merged, local) {
                    return Some((part, rebased));
                }
            }
        }
        if let Some(i) = path.index_under("operations") {
            for part in &self.merged {
                if let Some(local) = part.operations.get(&i) {
                    return Some((part, path.with_second(Some(*local), None)));
                }
            }
        }
        if let Some(name) = path.key_under("shapes") {
            for part in &self.merged {
                if let Some(local) = part.shapes.get(name) {
                    return Some((part, path.with_second(None, Some(local))));
                }
            }
        }
        None
    }

    /// Whether the file was written by `cargo xtask import` (its first line says so).
    pub fn is_imported(&self) -> bool {
        self.text.starts_with(crate::import::IMPORT_HEADER)
    }

    /// Takes the parts of an imported spec, for [`crate::merge`].
    pub(crate) fn into_part(self) -> (SpecFile, String, String) {
        (self.spec, self.name, self.text)
    }
}

/// How many levels collections may nest in a spec. The real specs reach 7 (the valid values of
/// the items of a field of an operation); the limit leaves room for much more and refuses,
/// before the costly parse, a text nested thousands deep.
pub const MAX_NESTING: usize = 64;

/// Parses one spec file.
pub fn load(source: &SpecSource) -> Result<LoadedSpec, SpecError> {
    // An editor's byte-order mark is no part of the YAML; serde_yaml would read a second document.
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    if let Some(at) = location::nesting_beyond(text, MAX_NESTING) {
        return Err(SpecError {
            file: source.name.clone(),
            line: at.line,
            column: at.column,
            message: format!("values nest more than {MAX_NESTING} levels deep here"),
            help: Some(
                "a spec nests a few levels (operations, fields, items, values); close the brackets or fix the indentation that opens level after level"
                    .to_owned(),
            ),
        });
    }
    match serde_yaml::from_str::<SpecFile>(text) {
        Ok(spec) => Ok(LoadedSpec {
            name: source.name.clone(),
            spec,
            text: text.to_owned(),
            source_map: OnceLock::new(),
            merged: Vec::new(),
        }),
        Err(e) => {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((1, 1));
            let message = e.to_string();
            // serde_yaml appends " at line L column C"; the position is given separately.
            let message = match message.find(" at line ") {
                Some(i) => message[..i].to_owned(),
                None => message,
            };
            Err(SpecError {
                file: source.name.clone(),
                line,
                column,
                help: Some(load_help(&message)),
                message: format!("cannot read the spec: {message}"),
            })
        }
    }
}

fn load_help(message: &str) -> String {
    if message.contains("unknown field") {
        "remove or rename the key; the keys each section accepts are listed in specs/README.md"
            .to_owned()
    } else if message.contains("missing field") {
        "add the key; specs/README.md shows every section with its required keys".to_owned()
    } else if message.contains("invalid type") {
        "give the value the type specs/README.md shows for this key (a list `[...]`, a mapping, or text)"
            .to_owned()
    } else {
        "check the YAML syntax at this position: indentation, a missing `:` or an unclosed quote"
            .to_owned()
    }
}
