//! An accepted spec always compiles: specs full of names that clash with generated ones, Rust
//! keywords, shapes that contain themselves, odd enum values, Unicode and comment markers in the
//! docs, and operations with nothing in or out (`tests/hostile/`), with the first specs assembled
//! at random that the generator accepts, are generated and the whole output checked by the
//! compiler, in one build of a scratch workspace.
//!
//! The scratch workspace (`target/scratch-hostile/`) holds the generated crates' manifests and
//! files, whatever paths `generate` returns, under a `[workspace]` of its own built from the real
//! root manifest (path dependencies made absolute, the generated crates its members) and the
//! real `Cargo.lock`, so that the same versions are used and nothing is downloaded. It builds into `target/scratch-build/`, which is
//! kept between runs.

use std::path::Path;
use std::process::Command;

use acs_codegen::{SpecSource, generate, validate_all};

use crate::support::{spec_sources, workspace_root};

/// The seed of the assembled specs (any seed will do; one keeps the build incremental).
const RANDOM_SEED: u64 = 0x5eed_c0de;

/// How many accepted assembled specs join the hostile ones.
const RANDOM_SPECS: usize = 40;

/// The first [`RANDOM_SPECS`] assembled specs the generator accepts, each given a module of its
/// own so that they can share the crate.
fn accepted_random_specs() -> Vec<SpecSource> {
    let mut rng = fastrand::Rng::with_seed(RANDOM_SEED);
    let mut specs = Vec::new();
    for attempt in 0..100_000 {
        if specs.len() == RANDOM_SPECS {
            break;
        }
        let module = format!("random_{}", specs.len());
        let text: String = crate::support::random_spec::Assembler { rng: &mut rng }
            .spec()
            .lines()
            .map(|line| {
                if line.starts_with("  module: ") {
                    format!("  module: {module}\n")
                } else {
                    format!("{line}\n")
                }
            })
            .collect();
        let source = SpecSource {
            name: format!("random/{attempt}.yaml"),
            text,
        };
        if validate_all(std::slice::from_ref(&source)).is_ok() {
            specs.push(source);
        }
    }
    assert_eq!(
        specs.len(),
        RANDOM_SPECS,
        "too few assembled specs accepted"
    );
    specs
}

/// The real root manifest as the scratch workspace's: its own members and the profiles of its
/// hand-written crates dropped, and every `path = "..."` made absolute.
fn scratch_workspace(root: &Path) -> String {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .unwrap_or_else(|e| panic!("the root Cargo.toml: {e}"));
    let mut out = String::new();
    let mut in_members = false;
    let mut in_package_profile = false;
    for line in manifest.lines() {
        let trimmed = line.trim_start();
        // A profile of a hand-written crate names a package the scratch workspace does not have,
        // which cargo would warn of.
        if trimmed.starts_with('[') {
            in_package_profile = trimmed.starts_with("[profile.dev.package.");
        }
        if in_package_profile {
            continue;
        }
        if trimmed.starts_with("members") || trimmed.starts_with("default-members") {
            in_members = !trimmed.contains(']');
            continue;
        }
        if in_members {
            in_members = !trimmed.contains(']');
            continue;
        }
        out.push_str(&absolute_paths(line, root));
        out.push('\n');
    }
    out
}

fn absolute_paths(line: &str, root: &Path) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("path = \"") {
        let (before, after) = rest.split_at(at + "path = \"".len());
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let relative = &after[..end];
        out.push_str(&root.join(relative).to_string_lossy().replace('\\', "/"));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn hostile_but_accepted_specs_generate_code_that_compiles() {
    let mut specs = spec_sources(&["generator/tests/hostile"]);
    assert!(specs.len() >= 2, "the hostile specs are missing");
    specs.extend(accepted_random_specs());
    let files = generate(&specs).unwrap_or_else(|e| panic!("a hostile spec was refused:\n{e}"));

    let root = workspace_root();
    let scratch = root.join("target/scratch-hostile");
    // Files of an earlier layout must not linger beside the new ones.
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).unwrap_or_else(|e| panic!("{}: {e}", scratch.display()));
    }
    let mut members = std::collections::BTreeSet::new();
    for file in &files {
        let path = scratch.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        std::fs::write(&path, &file.contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Some(crate_dir) = file.path.strip_suffix("/Cargo.toml") {
            members.insert(format!("{crate_dir:?}"));
        }
    }
    assert!(!members.is_empty(), "generate returned no Cargo.toml");
    let members = members.into_iter().collect::<Vec<_>>().join(", ");
    std::fs::write(
        scratch.join("Cargo.toml"),
        scratch_workspace(&root).replacen(
            "[workspace]\n",
            &format!("[workspace]\nmembers = [{members}]\n"),
            1,
        ),
    )
    .unwrap_or_else(|e| panic!("the scratch Cargo.toml: {e}"));
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"))
        .unwrap_or_else(|e| panic!("the Cargo.lock: {e}"));

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_owned());
    let output = Command::new(cargo)
        .args([
            "check",
            "--all-targets",
            "--all-features",
            "--offline",
            "--quiet",
            "--message-format=short",
        ])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", root.join("target/scratch-build"))
        .output()
        .unwrap_or_else(|e| panic!("cargo did not start: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the code generated from accepted specs does not compile (crate in {}):\n{stderr}",
        scratch.display()
    );
    // Generated code warns of nothing either: a warning is a name or import the generator got
    // wrong.
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(
        warnings.is_empty(),
        "the generated code has warnings (crate in {}):\n{}",
        scratch.display(),
        warnings.join("\n")
    );
}
