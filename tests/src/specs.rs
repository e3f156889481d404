//! The workspace's specs (`specs/*.yaml`) as plain YAML, for tests that derive their oracles
//! and their cases from what the specs declare rather than from lists kept by hand.
//!
//! The YAML is read as it is, not through the generator, so that an oracle built from it does
//! not share the generator's mistakes.

use std::path::{Path, PathBuf};

use acs_test_support::specs::spec_files;
use serde_yaml::Value;

pub use acs_test_support::specs::specs_dir;

/// Why the specs could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SpecReadError {
    /// A folder or file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// What was being read.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A spec is not YAML.
    #[error("{}: {source}", path.display())]
    Yaml {
        /// The spec.
        path: PathBuf,
        /// Why it does not parse.
        source: serde_yaml::Error,
    },
}

/// One spec file.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file's name as `cargo xtask codegen` gives it (`specs/ecs-2014-05-26.yaml`).
    pub file: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// Its YAML.
    pub yaml: Value,
}

/// One operation of a spec.
#[derive(Debug, Clone, Copy)]
pub struct SpecOperation<'a> {
    /// The spec it belongs to.
    pub spec: &'a Spec,
    /// The operation's YAML (`action`, `request`, `response`, `samples`...).
    pub yaml: &'a Value,
}

/// One sample response of an operation.
#[derive(Debug, Clone)]
pub struct SpecSample {
    /// The sample's `name`.
    pub name: String,
    /// Its HTTP status.
    pub status: u16,
    /// The body tests use: the published one, or the repaired copy where the published one is
    /// not valid JSON.
    pub body: String,
}

/// Every `*.yaml` (or `*.yml`) spec in the workspace's `specs/`, sorted by file name, as
/// `cargo xtask codegen` reads them.
pub fn workspace_specs() -> Result<Vec<Spec>, SpecReadError> {
    read_specs(&specs_dir())
}

/// Every `*.yaml` (or `*.yml`) spec in `dir`, sorted by file name.
pub fn read_specs(dir: &Path) -> Result<Vec<Spec>, SpecReadError> {
    let paths = spec_files(dir).map_err(|source| SpecReadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    paths.iter().map(|path| read_spec(path)).collect()
}

/// Whether the workspace has imported specs (`specs/imported/*.yaml`): a scratch copy that
/// builds only the hand-written operations leaves them out, and a test about every imported
/// operation then has nothing to count.
pub fn has_imported_specs() -> bool {
    spec_files(&specs_dir().join("imported")).is_ok_and(|files| !files.is_empty())
}

/// The spec `file` of the workspace's `specs/` (`ecs-2014-05-26.yaml`).
pub fn workspace_spec(file: &str) -> Result<Spec, SpecReadError> {
    read_spec(&specs_dir().join(file))
}

/// The spec at `path`.
pub fn read_spec(path: &Path) -> Result<Spec, SpecReadError> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let yaml = serde_yaml::from_str(&text).map_err(|source| SpecReadError::Yaml {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Spec {
        file: format!("specs/{name}"),
        path: path.to_path_buf(),
        yaml,
    })
}

impl Spec {
    /// The product's module (`product.module`).
    pub fn module(&self) -> &str {
        self.yaml["product"]["module"].as_str().unwrap_or_default()
    }

    /// The shape named `name` (its `description` and `fields`), or `Null`.
    pub fn shape(&self, name: &str) -> &Value {
        &self.yaml["shapes"][name]
    }

    /// The names of the spec's shapes.
    pub fn shape_names(&self) -> Vec<&str> {
        self.yaml["shapes"]
            .as_mapping()
            .into_iter()
            .flatten()
            .filter_map(|(name, _)| name.as_str())
            .collect()
    }

    /// The spec's operations, in file order.
    pub fn operations(&self) -> impl Iterator<Item = SpecOperation<'_>> {
        self.yaml["operations"]
            .as_sequence()
            .into_iter()
            .flatten()
            .map(move |yaml| SpecOperation { spec: self, yaml })
    }
}

impl<'a> SpecOperation<'a> {
    /// The `Action`.
    pub fn action(&self) -> &'a str {
        self.yaml["action"].as_str().unwrap_or_default()
    }

    /// The product's module.
    pub fn module(&self) -> &'a str {
        self.spec.module()
    }

    /// `module::Action`, for messages.
    pub fn name(&self) -> String {
        format!("{}::{}", self.module(), self.action())
    }

    /// The request parameters' YAML, in declared order.
    pub fn request(&self) -> &'a [Value] {
        self.yaml["request"]
            .as_sequence()
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The sample responses, each with the body tests use.
    pub fn samples(&self) -> Vec<SpecSample> {
        self.yaml["samples"]
            .as_sequence()
            .into_iter()
            .flatten()
            .map(|sample| {
                let published_ok = sample["valid_json"].as_bool().unwrap_or(true);
                let key = if published_ok { "body" } else { "repaired" };
                SpecSample {
                    name: sample["name"].as_str().unwrap_or_default().to_owned(),
                    status: sample["status"]
                        .as_u64()
                        .and_then(|s| u16::try_from(s).ok())
                        .unwrap_or(200),
                    body: sample[key].as_str().unwrap_or_default().to_owned(),
                }
            })
            .collect()
    }
}

/// Every operation of every spec, in spec file order.
pub fn operations(specs: &[Spec]) -> Vec<SpecOperation<'_>> {
    specs.iter().flat_map(Spec::operations).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_specs_read_with_their_operations_and_samples() {
        let specs = workspace_specs().unwrap_or_else(|e| panic!("{e}"));
        assert!(!specs.is_empty());
        for spec in &specs {
            assert!(spec.file.starts_with("specs/") && spec.file.ends_with(".yaml"));
            assert!(!spec.module().is_empty(), "{}: no module", spec.file);
            for op in spec.operations() {
                assert!(
                    !op.action().is_empty(),
                    "{}: an operation without action",
                    spec.file
                );
                for sample in op.samples() {
                    assert!(
                        serde_json::from_str::<serde_json::Value>(&sample.body).is_ok(),
                        "{} {}: the sample tests use is not JSON",
                        op.name(),
                        sample.name
                    );
                }
            }
        }
    }

    #[test]
    fn a_folder_that_is_not_there_is_an_error_naming_it() {
        let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-specs");
        let error = read_specs(&missing).err().map(|e| e.to_string());
        assert!(
            error
                .as_deref()
                .is_some_and(|e| e.contains("no-such-specs")),
            "{error:?}"
        );
    }
}
