//! `cargo xtask bench-compile`: what the generated SDK costs its users to compile, and how much
//! code each operation adds.
//!
//! Builds `acs-sdk` in a scratch copy of the workspace (`target/bench-compile/workspace`, with its
//! own target directory beside it) so that the edits an incremental build needs never touch the
//! real tree, and other builds in the real tree are not disturbed. Dependencies are built once
//! first and not counted: the figures are the SDK crate's own cost, for one product's feature and
//! for all of them, clean (after `cargo clean -p acs-sdk`) and incremental (after a one-line edit
//! of a product module).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// Options of `cargo xtask bench-compile`.
#[derive(Debug, clap::Args)]
pub struct BenchCompileArgs {
    /// Build with the release profile instead of dev.
    #[arg(long)]
    release: bool,
    /// Only count lines of generated code; build nothing.
    #[arg(long)]
    lines_only: bool,
}

/// Line counts of one generated product module.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ModuleLines {
    module: String,
    operations: usize,
    total: usize,
    code: usize,
    docs: usize,
}

/// Counts the lines of a generated module: code (neither blank nor a comment), doc comments, and
/// the operations it declares (one `acs_runtime::Operation` static each).
fn count_lines(module: &str, text: &str) -> ModuleLines {
    let mut lines = ModuleLines {
        module: module.to_owned(),
        operations: 0,
        total: 0,
        code: 0,
        docs: 0,
    };
    for line in text.lines() {
        lines.total += 1;
        let trimmed = line.trim_start();
        if trimmed.starts_with("///") || trimmed.starts_with("//!") {
            lines.docs += 1;
        } else if !trimmed.is_empty() && !trimmed.starts_with("//") {
            lines.code += 1;
        }
        if trimmed.contains(": acs_runtime::Operation = acs_runtime::Operation") {
            lines.operations += 1;
        }
    }
    lines
}

/// The product modules of `generated/src` (every `.rs` but `lib.rs`), sorted.
fn product_modules(generated: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut modules: Vec<(String, PathBuf)> = fs::read_dir(generated.join("src"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|path| {
            let stem = path.file_stem()?.to_str()?.to_owned();
            (stem != "lib").then_some((stem, path))
        })
        .collect();
    modules.sort();
    Ok(modules)
}

fn lines_table(root: &Path) -> Result<(String, Vec<ModuleLines>), String> {
    let generated = root.join("generated");
    let modules = product_modules(&generated)
        .map_err(|e| format!("cannot list {}: {e}", generated.join("src").display()))?;
    let mut counted = Vec::new();
    for (module, path) in &modules {
        let text =
            fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        counted.push(count_lines(module, &text));
    }
    let mut table = String::from(
        "module               operations    lines     code     docs  code/op  lines/op\n",
    );
    let all = ModuleLines {
        module: "all".to_owned(),
        operations: counted.iter().map(|m| m.operations).sum(),
        total: counted.iter().map(|m| m.total).sum(),
        code: counted.iter().map(|m| m.code).sum(),
        docs: counted.iter().map(|m| m.docs).sum(),
    };
    for lines in counted.iter().chain(std::iter::once(&all)) {
        let per_op = |count: usize| count.checked_div(lines.operations).unwrap_or(count);
        let _ = writeln!(
            table,
            "{:<20} {:>10} {:>8} {:>8} {:>8} {:>8} {:>9}",
            lines.module,
            lines.operations,
            lines.total,
            lines.code,
            lines.docs,
            per_op(lines.code),
            per_op(lines.total)
        );
    }
    Ok((table, counted))
}

/// Copies the workspace's sources (everything but `target/` and hidden entries other than
/// `.cargo/`) into `to`, replacing what was there.
fn copy_workspace(from: &Path, to: &Path) -> io::Result<()> {
    if to.exists() {
        fs::remove_dir_all(to)?;
    }
    copy_dir(from, to, true)
}

fn copy_dir(from: &Path, to: &Path, top: bool) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if name_text == "target" || (name_text.starts_with('.') && !(top && name_text == ".cargo"))
        {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            copy_dir(&path, &to.join(&name), false)?;
        } else {
            fs::copy(&path, to.join(&name))?;
        }
    }
    Ok(())
}

/// Runs cargo in the scratch workspace and returns how long it took.
fn cargo(workspace: &Path, target: &Path, args: &[&str]) -> Result<Duration, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let started = Instant::now();
    let output = Command::new(&cargo)
        .args(args)
        .arg("--target-dir")
        .arg(target)
        .current_dir(workspace)
        .output()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    let elapsed = started.elapsed();
    if output.status.success() {
        Ok(elapsed)
    } else {
        Err(format!(
            "`cargo {}` failed in {}:\n{}",
            args.join(" "),
            workspace.display(),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Appends a comment to a product module of the scratch copy: a real edit, so the next build is
/// incremental rather than a no-op.
fn edit(path: &Path, round: usize) -> Result<(), String> {
    let mut text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let _ = writeln!(text, "// bench-compile edit {round}");
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn measure_builds(
    root: &Path,
    args: &BenchCompileArgs,
    modules: &[ModuleLines],
) -> Result<String, String> {
    let scratch = root.join("target").join("bench-compile");
    let workspace = scratch.join("workspace");
    let target = scratch.join("target");
    eprintln!("copying the workspace to {} ...", workspace.display());
    copy_workspace(root, &workspace).map_err(|e| format!("cannot copy the workspace: {e}"))?;

    let profile: &[&str] = if args.release { &["--release"] } else { &[] };
    let build = |features: &str| -> Vec<String> {
        let mut line: Vec<String> = [
            "build",
            "--quiet",
            "-p",
            "acs-sdk",
            "--no-default-features",
            "--features",
            features,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        line.extend(profile.iter().map(|s| (*s).to_owned()));
        line
    };
    let run = |line: &[String]| {
        let refs: Vec<&str> = line.iter().map(String::as_str).collect();
        cargo(&workspace, &target, &refs)
    };

    eprintln!("building the dependencies once (not counted) ...");
    run(&build("full"))?;

    let mut feature_sets: Vec<(String, String)> = modules
        .iter()
        .map(|m| (m.module.clone(), m.module.clone()))
        .collect();
    if let Some(first) = modules.first() {
        feature_sets.push(("full".to_owned(), first.module.clone()));
    }
    let mut table = format!(
        "acs-sdk build times ({} profile; dependencies prebuilt)\nfeatures             clean (s)  incremental (s)\n",
        if args.release { "release" } else { "dev" }
    );
    for (round, (features, edited)) in feature_sets.iter().enumerate() {
        eprintln!("features `{features}`: clean build ...");
        let mut clean = vec!["clean".to_owned(), "-p".to_owned(), "acs-sdk".to_owned()];
        clean.extend(profile.iter().map(|s| (*s).to_owned()));
        run(&clean)?;
        let clean_time = run(&build(features))?;
        eprintln!("features `{features}`: incremental build after editing {edited}.rs ...");
        edit(
            &workspace
                .join("generated")
                .join("src")
                .join(format!("{edited}.rs")),
            round,
        )?;
        let incremental_time = run(&build(features))?;
        let _ = writeln!(
            table,
            "{:<20} {:>9.2} {:>16.2}",
            features,
            clean_time.as_secs_f64(),
            incremental_time.as_secs_f64()
        );
    }
    Ok(table)
}

/// Runs `cargo xtask bench-compile`.
pub fn run(root: &Path, args: &BenchCompileArgs) -> ExitCode {
    let result = lines_table(root).and_then(|(lines, modules)| {
        println!("generated code per operation (generated/src)\n{lines}");
        if args.lines_only {
            return Ok(());
        }
        let builds = measure_builds(root, args, &modules)?;
        println!("{builds}");
        Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_code_docs_and_operations() {
        let text = "// header\n\n//! Module docs.\n/// An op.\npub static A: acs_runtime::Operation = acs_runtime::Operation {\n    action: \"A\",\n};\n";
        let lines = count_lines("demo", text);
        assert_eq!(lines.total, 7);
        assert_eq!(lines.docs, 2);
        assert_eq!(lines.code, 3);
        assert_eq!(lines.operations, 1);
    }

    #[test]
    fn copies_sources_but_not_targets_or_hidden_folders() {
        let from = tempfile::tempdir().expect("temp dir");
        let to = tempfile::tempdir().expect("temp dir");
        let base = from.path();
        fs::create_dir_all(base.join("crate/src")).expect("mkdir");
        fs::create_dir_all(base.join("crate/target")).expect("mkdir");
        fs::create_dir_all(base.join("target")).expect("mkdir");
        fs::create_dir_all(base.join(".git")).expect("mkdir");
        fs::create_dir_all(base.join(".cargo")).expect("mkdir");
        fs::write(base.join("Cargo.toml"), "[workspace]").expect("write");
        fs::write(base.join("crate/src/lib.rs"), "").expect("write");
        fs::write(base.join("crate/target/junk"), "").expect("write");
        fs::write(base.join(".cargo/config.toml"), "").expect("write");
        let dest = to.path().join("copy");
        copy_workspace(base, &dest).expect("copy");
        assert!(dest.join("Cargo.toml").exists());
        assert!(dest.join("crate/src/lib.rs").exists());
        assert!(dest.join(".cargo/config.toml").exists());
        assert!(!dest.join("crate/target").exists());
        assert!(!dest.join("target").exists());
        assert!(!dest.join(".git").exists());
    }
}
