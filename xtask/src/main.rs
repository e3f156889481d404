//! `cargo xtask codegen [--check]`: regenerates `generated/` (a crate per product, and the catalog
//! crate) from `specs/*.yaml`, or checks that it is up to date. `cargo xtask import`: a spec drafted from Alibaba's API metadata.
//! `cargo xtask bench-compile`: what the generated SDK costs to compile.
//! `cargo xtask check-catalogue`: every catalogue product imported, generated and compiled.

mod bench_compile;
mod check_catalogue;
mod import;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acs_codegen::{GenerateError, GeneratedFile, SpecSource};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the SDK's crates in `generated/` (a crate per product) from the specs in `specs/`.
    Codegen {
        /// Write nothing; fail and name the files when `generated/` differs from the specs.
        #[arg(long)]
        check: bool,
    },
    /// Draft a spec from Alibaba's API metadata (`api-docs` JSON) into `specs/imported/`.
    Import(import::ImportArgs),
    /// Time clean and incremental builds of `generated/` (one product's feature, then all) and
    /// count the lines of generated code per operation.
    BenchCompile(bench_compile::BenchCompileArgs),
    /// Import, generate and `cargo check` (library, tests, examples) every product of Alibaba's
    /// metadata catalogue, one at a time, in a scratch workspace under `target/`.
    CheckCatalogue(check_catalogue::CheckCatalogueArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    match cli.command {
        Command::Codegen { check } => match codegen(&root, check) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        },
        Command::Import(args) => match import::run(&root, &args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        },
        Command::BenchCompile(args) => bench_compile::run(&root, &args),
        Command::CheckCatalogue(args) => check_catalogue::run(&root, &args),
    }
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The spec files, sorted by name so that output never depends on directory order.
fn read_specs(root: &Path) -> Result<Vec<SpecSource>, String> {
    let dir = root.join("specs");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    // Imported specs sit in `specs/imported/` and are merged under the written ones.
    if let Ok(imported) = fs::read_dir(dir.join("imported")) {
        paths.extend(
            imported
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml")),
        );
    }
    paths.sort();
    if paths.is_empty() {
        return Err(format!("no spec files (*.yaml) in {}", dir.display()));
    }
    paths
        .iter()
        .map(|p| {
            let text =
                fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            let name = p.strip_prefix(root).unwrap_or(p).display().to_string();
            Ok(SpecSource { name, text })
        })
        .collect()
}

/// Files under `generated/` that codegen owns: everything but build output (`target/`).
fn existing_files(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path
            .strip_prefix(base)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            if entry.file_name() != "target" {
                existing_files(&path, base, out);
            }
        } else {
            out.insert(rel);
        }
    }
}

fn codegen(root: &Path, check: bool) -> Result<(), String> {
    let sources = read_specs(root)?;
    let files = generate(&sources)?;
    // Warnings do not fail the run: the specs are valid, but a reviewer should see what they drop.
    for warning in acs_codegen::spec_warnings(&sources) {
        eprintln!("{warning}");
    }
    write_generated(&root.join("generated"), &files, check)
}

/// The generated crates' files for `sources`, or the specs' errors as the CLI prints them.
fn generate(sources: &[SpecSource]) -> Result<Vec<GeneratedFile>, String> {
    acs_codegen::generate(sources).map_err(|e| match e {
        GenerateError::Spec(errors) => format!(
            "{errors}\n\n{} problem(s) in the specs; nothing was written.",
            errors.0.len()
        ),
        GenerateError::Format(e) => format!("internal error in the generator: {e}"),
    })
}

/// Makes `out_dir` hold exactly `files`, writing only the files whose text changed (so that an
/// unchanged file keeps its modification time and cargo's incremental build sees one edit as
/// one edit: a spec change rebuilds its product's crate alone); with `check`, writes nothing and
/// names every difference. A product whose spec is gone loses its whole crate, and no empty
/// folder is left: the workspace takes every folder of `generated/` for a crate.
fn write_generated(out_dir: &Path, files: &[GeneratedFile], check: bool) -> Result<(), String> {
    let mut existing = BTreeSet::new();
    existing_files(out_dir, out_dir, &mut existing);
    let wanted: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let stale_extra: Vec<&String> = existing.difference(&wanted).collect();
    let changed: Vec<&GeneratedFile> = files
        .iter()
        .filter(|f| {
            fs::read_to_string(out_dir.join(&f.path)).ok().as_deref() != Some(f.contents.as_str())
        })
        .collect();
    if check {
        if changed.is_empty() && stale_extra.is_empty() {
            println!("generated/ is up to date ({} files)", files.len());
            return Ok(());
        }
        let mut msg = String::from("generated/ is stale:\n");
        for f in &changed {
            msg.push_str(&format!("  differs: generated/{}\n", f.path));
        }
        for f in &stale_extra {
            msg.push_str(&format!("  not produced by the specs: generated/{f}\n"));
        }
        msg.push_str("run `cargo xtask codegen` and commit the result");
        return Err(msg);
    }
    for f in &changed {
        let path = out_dir.join(&f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, &f.contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    for f in &stale_extra {
        let path = out_dir.join(f);
        fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        // A product or operation that is gone leaves no empty folder behind.
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != out_dir) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    println!(
        "generated/: {} files, {} written, {} removed",
        files.len(),
        changed.len(),
        stale_extra.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A throwaway workspace with the real specs and a freshly generated `generated/`.
    fn scratch() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let specs = workspace_root().join("specs");
        fs::create_dir_all(dir.path().join("specs")).expect("mkdir");
        // The written specs only: imports and facts are not needed to test the writing.
        for entry in fs::read_dir(&specs)
            .expect("specs")
            .flatten()
            .filter(|e| e.path().is_file())
        {
            fs::copy(
                entry.path(),
                dir.path().join("specs").join(entry.file_name()),
            )
            .expect("copy");
        }
        codegen(dir.path(), false).expect("codegen");
        dir
    }

    #[test]
    fn check_passes_when_fresh_and_names_the_stale_file_after_a_spec_edit() {
        let dir = scratch();
        codegen(dir.path(), true).expect("fresh output passes --check");
        let spec = fs::read_dir(dir.path().join("specs"))
            .expect("specs")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "yaml"))
            .expect("a spec");
        let text = fs::read_to_string(&spec).expect("read");
        let edited = text.replacen("title: ", "title: Edited. ", 1);
        assert_ne!(text, edited);
        fs::write(&spec, edited).expect("write");
        let err = codegen(dir.path(), true).expect_err("stale output fails --check");
        assert!(err.contains("differs: generated/"), "{err}");
        assert!(err.contains("run `cargo xtask codegen`"), "{err}");
        codegen(dir.path(), false).expect("regenerate");
        codegen(dir.path(), true).expect("fresh again");
    }

    #[test]
    fn a_bad_spec_writes_nothing() {
        let dir = scratch();
        let before =
            fs::read_to_string(dir.path().join("generated/catalog/src/lib.rs")).expect("lib.rs");
        fs::write(dir.path().join("specs/broken.yaml"), "product: [").expect("write");
        let err = codegen(dir.path(), false).expect_err("bad spec");
        assert!(err.contains("specs/broken.yaml:"), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
        let after =
            fs::read_to_string(dir.path().join("generated/catalog/src/lib.rs")).expect("lib.rs");
        assert_eq!(before, after);
    }

    #[test]
    fn a_removed_spec_takes_its_product_crate_away_and_nothing_else() {
        let dir = scratch();
        let generated = dir.path().join("generated");
        let sts = generated.join("sts");
        assert!(sts.join("Cargo.toml").is_file(), "no crate for STS");
        assert!(
            generated.join("ecs/Cargo.toml").is_file(),
            "no crate for ECS"
        );
        // Something of the user's beside generated/ must survive a removal.
        fs::write(dir.path().join("notes.txt"), "mine").expect("write");
        let spec = fs::read_dir(dir.path().join("specs"))
            .expect("specs")
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("sts-"))
            })
            .expect("the STS spec");
        fs::remove_file(&spec).expect("remove the STS spec");

        let err = codegen(dir.path(), true).expect_err("--check sees the removal");
        assert!(
            err.contains("not produced by the specs: generated/sts/Cargo.toml"),
            "{err}"
        );
        codegen(dir.path(), false).expect("regenerate");
        assert!(!sts.exists(), "the STS crate is still there");
        assert!(
            generated.join("ecs/Cargo.toml").is_file(),
            "ECS's crate went too"
        );
        let catalog = fs::read_to_string(generated.join("catalog/Cargo.toml")).expect("catalog");
        assert!(!catalog.contains("acs-sts"), "{catalog}");
        assert!(catalog.contains("acs-ecs"), "{catalog}");
        assert_eq!(
            fs::read_to_string(dir.path().join("notes.txt"))
                .ok()
                .as_deref(),
            Some("mine")
        );
        codegen(dir.path(), true).expect("fresh after the removal");
    }
}
