//! Where the workspace's specs are and which files of a folder are specs, as `cargo xtask
//! codegen` reads them, for the crates that read the specs themselves (the gateway's oracles,
//! the generator benchmarks).

use std::io;
use std::path::{Path, PathBuf};

/// The workspace's `specs/` folder.
pub fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// Every `*.yaml` (or `*.yml`) file in `dir`, sorted by file name; an entry that cannot be read
/// is passed over, a folder that cannot be read is the error.
pub fn spec_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml")
        })
        .collect();
    paths.sort();
    Ok(paths)
}
