//! Every file of Alibaba's metadata (`../shared/metadata/*.json` and its `catalogue/`) imports,
//! and the spec it writes validates and emits, in memory: what the import cannot carry is a
//! `Review:` note with a fallback, never a refusal. Compiling what it emits is
//! `cargo xtask check-catalogue`'s job (too slow for a test).
//!
//! The folder is `../shared/metadata` beside the workspace (as CI has it), or the one
//! `ACS_METADATA_DIR` names.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use acs_codegen::import::{ImportOptions, ImportSource, import};
use acs_codegen::{SpecSource, emit, validate_all};

use crate::support::workspace_root;

/// The metadata folder: `ACS_METADATA_DIR`, else `../shared/metadata` beside the workspace.
fn metadata_dir() -> PathBuf {
    match std::env::var_os("ACS_METADATA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("../shared/metadata"),
    }
}

/// Every `*.json` file directly in `dir`, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
        panic!(
            "cannot read the metadata folder {}: {e}\n  help: put Alibaba's metadata at \
             ../shared/metadata beside the workspace, or set ACS_METADATA_DIR to its folder",
            dir.display()
        )
    });
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// What went wrong with one file, or `None` when it imported, validated and emitted.
fn refusal(path: &Path) -> Option<String> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return Some(format!("{name}: cannot read: {e}")),
    };
    let source = ImportSource {
        name: name.to_string(),
        text,
    };
    let options = ImportOptions {
        operations: Vec::new(),
        facts: None,
    };
    let imported = match import(&source, &options) {
        Ok(imported) => imported,
        // The one refusal that is right: nothing to import.
        Err(e) if e.message.contains("lists no operations") => return None,
        Err(e) => return Some(format!("import refused {e}")),
    };
    let spec = SpecSource {
        name: format!("specs/imported/{}.yaml", name.trim_end_matches(".json")),
        text: imported.yaml,
    };
    // Validation and emitting; formatting (a parse and a print of every file, most of the time
    // codegen takes) and compiling are `cargo xtask check-catalogue`'s.
    let products = match validate_all(std::slice::from_ref(&spec)) {
        Ok(products) => products,
        Err(e) => return Some(format!("codegen refused {name}:\n{e}")),
    };
    let _manifests = emit::manifests(&products);
    for file in emit::rust_files(&products) {
        for part in &file.parts {
            // A panic here is a generator bug, reported as the test's failure.
            let _tokens = part();
        }
    }
    None
}

#[test]
fn every_metadata_file_imports_validates_and_emits() {
    let dir = metadata_dir();
    let mut files = json_files(&dir);
    files.extend(json_files(&dir.join("catalogue")));
    assert!(
        files.len() > 200,
        "{} holds {} metadata files; the whole catalogue (about 248) was expected",
        dir.display(),
        files.len()
    );
    let started = Instant::now();
    let queue = Mutex::new(files.iter());
    let refusals = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                    let Some(path) = next else { break };
                    if let Some(r) = refusal(path) {
                        refusals.lock().unwrap_or_else(|e| e.into_inner()).push(r);
                    }
                }
            });
        }
    });
    let mut refusals = refusals.into_inner().unwrap_or_else(|e| e.into_inner());
    refusals.sort();
    eprintln!(
        "{} metadata files imported, validated and emitted in {:.1?} on {workers} threads",
        files.len(),
        started.elapsed()
    );
    assert!(
        refusals.is_empty(),
        "{} of {} files refused:\n{}",
        refusals.len(),
        files.len(),
        refusals.join("\n\n")
    );
}
