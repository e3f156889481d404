//! Stage 2: a loaded spec to a validated [`Product`], or every problem found, each located.
//!
//! A `Validator` keeps going past a problem so that one run reports them all. The errors come
//! in the order the checks run, which the bad-spec snapshots hold fixed: moving a check between
//! stages moves its errors.

mod endpoint;
mod fields;
mod limits;
mod names;
mod operations;
mod paging;
mod product;
mod samples;
mod shapes;
mod types;
mod warnings;
mod wire;
mod written_names;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::SpecError;
use crate::load::LoadedSpec;
use crate::location::{NodePath, ScalarLayout};
use crate::model::{EnumDef, Product};
use crate::warning::SpecWarning;

/// Validates one loaded spec. Collects every problem rather than stopping at the first.
pub fn validate(loaded: &LoadedSpec) -> Result<Product, Vec<SpecError>> {
    let mut v = Validator {
        loaded,
        errors: Vec::new(),
        enums: BTreeMap::new(),
        request_shapes: BTreeSet::new(),
        warnings: Vec::new(),
    };
    let product = v.product(&loaded.spec);
    if v.errors.is_empty() {
        Ok(product)
    } else {
        Err(v.errors)
    }
}

struct Validator<'a> {
    loaded: &'a LoadedSpec,
    errors: Vec<SpecError>,
    /// Enums by Rust name, with the path of their first declaration.
    enums: BTreeMap<String, (EnumDef, NodePath)>,
    /// Shapes reached from request parameters.
    request_shapes: BTreeSet<String>,
    /// Values the generated code drops.
    warnings: Vec<SpecWarning>,
}

impl Validator<'_> {
    fn warn(&mut self, path: &NodePath, message: impl Into<String>, help: impl Into<String>) {
        let (file, pos) = self.loaded.locate(path);
        self.warnings.push(SpecWarning {
            file: file.to_owned(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            help: help.into(),
        });
    }

    fn error(&mut self, path: &NodePath, message: impl Into<String>, help: impl Into<String>) {
        let (file, pos) = self.loaded.locate(path);
        self.errors.push(SpecError {
            file: file.to_owned(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            help: Some(help.into()),
        });
    }

    /// An error inside a block scalar (a sample body): `line`/`column` count within its text, the
    /// column in characters (see `samples::char_column`), as the file's positions are.
    fn error_within(
        &mut self,
        path: &NodePath,
        line: usize,
        column: usize,
        message: String,
        help: &str,
    ) {
        let (file, start) = self.loaded.locate(path);
        let file = file.to_owned();
        let (line, column, message) = match self.loaded.layout(path) {
            Some(ScalarLayout::Lines) => (
                start.line + line.saturating_sub(1),
                start.column + column.saturating_sub(1),
                message,
            ),
            // Escapes or folding moved the text: point at its start, and say where inside it.
            _ => (
                start.line,
                start.column,
                format!("{message} (line {line}, column {column} of the text)"),
            ),
        };
        self.errors.push(SpecError {
            file,
            line,
            column,
            message,
            help: Some(help.to_owned()),
        });
    }
}
