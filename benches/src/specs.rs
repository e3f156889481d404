//! The project's own specs, read from `specs/` beside this crate, as the generator's input.

use std::fs;
use std::io;

use acs_codegen::SpecSource;
use acs_test_support::specs::spec_files;
pub use acs_test_support::specs::specs_dir;

/// Every `*.yaml` spec in `specs/`, sorted by file name, named as `cargo xtask codegen` names
/// them (`specs/ecs-2014-05-26.yaml`), so the generator sees exactly what codegen sees.
pub fn workspace_specs() -> io::Result<Vec<SpecSource>> {
    let paths = spec_files(&specs_dir())?;
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
