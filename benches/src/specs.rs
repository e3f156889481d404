//! The project's own specs, read from `specs/` beside this crate, as the generator's input.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use acs_codegen::SpecSource;

/// The workspace's `specs/` folder.
pub fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("specs")
}

/// Every `*.yaml` spec in `specs/`, sorted by file name, named as `cargo xtask codegen` names
/// them (`specs/ecs-2014-05-26.yaml`), so the generator sees exactly what codegen sees.
pub fn workspace_specs() -> io::Result<Vec<SpecSource>> {
    let dir = specs_dir();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = fs::read_to_string(path).map_err(|error| {
                io::Error::new(error.kind(), format!("{}: {error}", path.display()))
            })?;
            let file = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(SpecSource {
                name: format!("specs/{file}"),
                text,
            })
        })
        .collect()
}
