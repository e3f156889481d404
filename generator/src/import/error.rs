//! Why an import wrote nothing: the metadata file, the place in it, what is wrong and how to
//! mend it.

use std::fmt;

/// One problem in a metadata file. Nothing is written while there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ImportError {
    /// The metadata file, as the caller named it.
    pub file: String,
    /// The operation the problem belongs to, if any.
    pub operation: Option<String>,
    /// Where in the file: a JSON path such as `apis.DescribeImages.parameters[3].style`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to mend it.
    pub help: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        if let Some(op) = &self.operation {
            write!(f, "operation `{op}`: ")?;
        }
        write!(
            f,
            "at `{}`: {}\n  help: {}",
            self.path, self.message, self.help
        )
    }
}

/// A place in the metadata file, carried down while it is read so that every error can name it.
#[derive(Debug, Clone)]
pub(crate) struct At<'a> {
    pub file: &'a str,
    pub operation: Option<&'a str>,
    pub path: String,
}

impl<'a> At<'a> {
    /// The root of the file.
    pub fn root(file: &'a str) -> Self {
        At {
            file,
            operation: None,
            path: String::new(),
        }
    }

    /// The value under a key.
    pub fn key(&self, key: &str) -> Self {
        let path = if self.path.is_empty() {
            key.to_owned()
        } else if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            format!("{}.{key}", self.path)
        } else {
            format!("{}[{key:?}]", self.path)
        };
        At {
            path,
            ..self.clone()
        }
    }

    /// The item at an index.
    pub fn index(&self, i: usize) -> Self {
        At {
            path: format!("{}[{i}]", self.path),
            ..self.clone()
        }
    }

    /// The same place, inside an operation.
    pub fn in_operation(&self, op: &'a str) -> Self {
        At {
            operation: Some(op),
            ..self.clone()
        }
    }

    /// An error here.
    pub fn error(&self, message: impl Into<String>, help: impl Into<String>) -> ImportError {
        ImportError {
            file: self.file.to_owned(),
            operation: self.operation.map(str::to_owned),
            path: if self.path.is_empty() {
                "(document)".to_owned()
            } else {
                self.path.clone()
            },
            message: message.into(),
            help: help.into(),
        }
    }
}
