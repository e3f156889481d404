//! Warnings about spec files: values the generator accepts but drops, which a reviewer should
//! see (an `example: null`, an empty description). Unlike a [`SpecError`](crate::SpecError), a
//! warning does not stop generation.

use std::fmt;

/// One value of one spec file that the generated code does not carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecWarning {
    /// The spec file, as the caller named it.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// What is dropped.
    pub message: String,
    /// How to say what was meant.
    pub help: String,
}

impl fmt::Display for SpecWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning: {}:{}:{}: {}\n  help: {}",
            self.file, self.line, self.column, self.message, self.help
        )
    }
}
