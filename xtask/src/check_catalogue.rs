//! `cargo xtask check-catalogue [--only GLOB]... [--metadata DIR]`: every product of Alibaba's
//! catalogue, one at a time, imported, generated and compiled with its tests and examples: the
//! proof that the import's output always compiles, which the in-memory test of the generator
//! (`generator/tests/codegen/whole_catalogue.rs`) cannot give.
//!
//! Each product is generated alone into a scratch workspace (`target/check-catalogue/workspace`,
//! rewritten for every product) made only of the generator's output files and a workspace
//! manifest whose one path dependency is `runtime/`; `specs/` and `generated/` are never read or
//! written. Every product builds into one target directory (`target/check-catalogue/build`), so
//! the runtime and the other dependencies are compiled once.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use acs_codegen::import::{ImportOptions, ImportSource, import};
use acs_codegen::{GeneratedFile, SpecSource};

/// Options of `cargo xtask check-catalogue`.
#[derive(Debug, clap::Args)]
pub struct CheckCatalogueArgs {
    /// Check only the metadata files whose name (without `.json`) matches this pattern (`*`
    /// matches any run of characters); repeat for several. All files when not given.
    #[arg(long = "only", value_name = "GLOB")]
    only: Vec<String>,
    /// The metadata folder: its `*.json` and its `catalogue/*.json` are checked. Default
    /// `../shared/metadata` beside the workspace.
    #[arg(long, value_name = "DIR")]
    metadata: Option<PathBuf>,
    /// How many compiler errors to print per failed product.
    #[arg(long, default_value_t = 12)]
    errors: usize,
}

/// The outcome of one product.
struct ProductReport {
    file: String,
    operations: usize,
    generate: Duration,
    check: Duration,
    /// `None` when it compiled; else the first errors, or why it never reached the compiler.
    failure: Option<String>,
}

/// Runs the command: a line per product as it finishes, a summary, and failure when any fails.
pub fn run(root: &Path, args: &CheckCatalogueArgs) -> ExitCode {
    match check_all(root, args) {
        Ok(reports) if reports.iter().all(|r| r.failure.is_none()) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn check_all(root: &Path, args: &CheckCatalogueArgs) -> Result<Vec<ProductReport>, String> {
    let metadata = args
        .metadata
        .clone()
        .unwrap_or_else(|| root.join("../shared/metadata"));
    let mut files = json_files(&metadata)?;
    if let Ok(catalogue) = json_files(&metadata.join("catalogue")) {
        files.extend(catalogue);
    }
    files.retain(|path| {
        let stem = file_stem(path);
        args.only.is_empty() || args.only.iter().any(|glob| glob_matches(glob, &stem))
    });
    if files.is_empty() {
        return Err(format!(
            "no metadata file in {} (or its catalogue/) matches {:?}",
            metadata.display(),
            args.only
        ));
    }
    let scratch = root.join("target/check-catalogue");
    let workspace = scratch.join("workspace");
    let build = scratch.join("build");
    let manifest = scratch_manifest(root)?;
    let lock = fs::read_to_string(root.join("Cargo.lock")).ok();
    println!(
        "checking {} product(s) in {} (build: {})",
        files.len(),
        workspace.display(),
        build.display()
    );
    let mut reports = Vec::new();
    for path in &files {
        let report = check_product(
            root,
            path,
            &workspace,
            &build,
            &manifest,
            lock.as_deref(),
            args,
        );
        println!("{}", report_line(&report));
        if let Some(failure) = &report.failure {
            println!("{}", indent(failure));
        }
        reports.push(report);
    }
    println!("{}", summary(&reports));
    Ok(reports)
}

fn check_product(
    root: &Path,
    path: &Path,
    workspace: &Path,
    build: &Path,
    manifest: &str,
    lock: Option<&str>,
    args: &CheckCatalogueArgs,
) -> ProductReport {
    let stem = file_stem(path);
    let mut report = ProductReport {
        file: stem.clone(),
        operations: 0,
        generate: Duration::ZERO,
        check: Duration::ZERO,
        failure: None,
    };
    let started = Instant::now();
    let files = match generate_product(root, path, &stem) {
        Ok((operations, files)) => {
            report.operations = operations;
            files
        }
        Err(message) => {
            report.failure = Some(message);
            return report;
        }
    };
    report.generate = started.elapsed();
    if let Err(message) = write_workspace(workspace, manifest, lock, &files) {
        report.failure = Some(message);
        return report;
    }
    let started = Instant::now();
    report.failure = cargo_check(workspace, build, args.errors).err();
    report.check = started.elapsed();
    report
}

/// Imports one metadata file (with its response facts from `specs/responses/` when there are
/// some, as `cargo xtask import` does) and generates the SDK of that product alone.
fn generate_product(
    root: &Path,
    path: &Path,
    stem: &str,
) -> Result<(usize, Vec<GeneratedFile>), String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let facts_path = root.join("specs/responses").join(format!("{stem}.json"));
    let facts = match fs::read_to_string(&facts_path) {
        Ok(text) => Some(ImportSource {
            name: format!("specs/responses/{stem}.json"),
            text,
        }),
        Err(_) => None,
    };
    let options = ImportOptions {
        operations: Vec::new(),
        facts,
    };
    let source = ImportSource {
        name: format!("{stem}.json"),
        text,
    };
    let imported = import(&source, &options).map_err(|e| format!("import refused it: {e}"))?;
    let spec = SpecSource {
        name: format!("specs/imported/{stem}.yaml"),
        text: imported.yaml,
    };
    let files = crate::generate(std::slice::from_ref(&spec))?;
    Ok((imported.summary.operations, files))
}

/// Every `*.json` directly in `dir`, sorted.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| {
        format!(
            "cannot read the metadata folder {}: {e}\n  help: put Alibaba's metadata at \
             ../shared/metadata beside the workspace, or pass --metadata DIR",
            dir.display()
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files)
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `name` matches `glob`, where `*` stands for any run of characters (none included).
fn glob_matches(glob: &str, name: &str) -> bool {
    let mut parts = glob.split('*');
    let Some(first) = parts.next() else {
        return name.is_empty();
    };
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        // No `*` at all: the whole name must be the glob.
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The scratch workspace's manifest: the real workspace's `[workspace.package]` and
/// `[workspace.dependencies]` (so that a generated `Cargo.toml`, which inherits both, builds
/// unchanged), with `acs-runtime` the one path dependency, pointing at this workspace's runtime.
/// Its members are filled in per product ([`write_workspace`]).
fn scratch_manifest(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let runtime = root.join("runtime");
    let runtime = fs::canonicalize(&runtime).unwrap_or(runtime);
    Ok(rewrite_manifest(&text, &runtime))
}

fn rewrite_manifest(workspace_manifest: &str, runtime: &Path) -> String {
    let mut out = String::from(
        "# Written by cargo xtask check-catalogue for one product at a time.\n\
         [workspace]\nresolver = \"3\"\nmembers = [MEMBERS]\n\n\
         [profile.dev.package.\"*\"]\ndebug = false\n",
    );
    let mut keep = false;
    for line in workspace_manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            keep = trimmed == "[workspace.package]" || trimmed == "[workspace.dependencies]";
            if keep {
                out.push('\n');
                out.push_str(trimmed);
                out.push('\n');
            }
            continue;
        }
        if !keep || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.contains("path = ") {
            // The other crates of the workspace are not in the scratch one; only the runtime is.
            if trimmed.starts_with("acs-runtime ") || trimmed.starts_with("acs-runtime=") {
                let runtime = runtime.display().to_string().replace('\\', "/");
                out.push_str(&format!("acs-runtime = {{ path = \"{runtime}\" }}\n"));
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Makes `workspace` hold exactly `files` beside the manifest (and the real workspace's lock
/// file, so that the same versions are built and nothing is fetched).
fn write_workspace(
    workspace: &Path,
    manifest: &str,
    lock: Option<&str>,
    files: &[GeneratedFile],
) -> Result<(), String> {
    match fs::remove_dir_all(workspace) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot empty {}: {e}", workspace.display())),
    }
    // The generator's output is one crate today; a crate per product would be a folder each, so
    // the members are every folder of the output that holds a manifest.
    let members: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let dir = f.path.strip_suffix("Cargo.toml")?;
            let dir = dir.trim_end_matches('/');
            Some(format!(
                "\"generated{}{dir}\"",
                if dir.is_empty() { "" } else { "/" }
            ))
        })
        .collect();
    let mut written = vec![GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents: manifest.replace("MEMBERS", &members.join(", ")),
    }];
    if let Some(lock) = lock {
        written.push(GeneratedFile {
            path: "Cargo.lock".to_owned(),
            contents: lock.to_owned(),
        });
    }
    for f in files {
        written.push(GeneratedFile {
            path: format!("generated/{}", f.path),
            contents: f.contents.clone(),
        });
    }
    for f in &written {
        let path = workspace.join(&f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, &f.contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// `cargo check --lib --tests --examples --all-features` in `workspace`; the error is the first
/// `errors` compiler errors (or cargo's last lines when it failed without one).
fn cargo_check(workspace: &Path, build: &Path, errors: usize) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .args([
            "check",
            "--workspace",
            "--lib",
            "--tests",
            "--examples",
            "--all-features",
            "--message-format",
            "short",
        ])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", build)
        // Everything was fetched for the real workspace, whose lock file the scratch one has.
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(first_errors(&stderr, errors))
}

/// The first `count` lines of cargo's short output that are errors, and how many there were;
/// cargo's last lines when none is (a failure before the compiler ran).
fn first_errors(stderr: &str, count: usize) -> String {
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": error") || l.starts_with("error"))
        .filter(|l| !l.starts_with("error: could not compile"))
        .collect();
    if errors.is_empty() {
        let lines: Vec<&str> = stderr.lines().collect();
        return lines[lines.len().saturating_sub(20)..].join("\n");
    }
    let mut out = errors
        .iter()
        .take(count)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if errors.len() > count {
        let _ = write!(out, "\n... {} more error line(s)", errors.len() - count);
    }
    out
}

fn report_line(r: &ProductReport) -> String {
    format!(
        "{:<40} {:>5} ops  generate {:>6.1}s  check {:>6.1}s  {}",
        r.file,
        r.operations,
        r.generate.as_secs_f64(),
        r.check.as_secs_f64(),
        if r.failure.is_none() { "ok" } else { "FAILED" }
    )
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn summary(reports: &[ProductReport]) -> String {
    let failed: Vec<&str> = reports
        .iter()
        .filter(|r| r.failure.is_some())
        .map(|r| r.file.as_str())
        .collect();
    let operations: usize = reports.iter().map(|r| r.operations).sum();
    let generate: Duration = reports.iter().map(|r| r.generate).sum();
    let check: Duration = reports.iter().map(|r| r.check).sum();
    let mut out = format!(
        "{} product(s), {operations} operations: generator {:.1}s, cargo check {:.1}s; {} failed",
        reports.len(),
        generate.as_secs_f64(),
        check.as_secs_f64(),
        failed.len()
    );
    if !failed.is_empty() {
        let _ = write!(out, ": {}", failed.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_names_with_stars_for_any_run() {
        assert!(glob_matches("vpc-2016-04-28", "vpc-2016-04-28"));
        assert!(!glob_matches("vpc", "vpc-2016-04-28"));
        assert!(glob_matches("vpc-*", "vpc-2016-04-28"));
        assert!(glob_matches("*-2016-*", "vpc-2016-04-28"));
        assert!(!glob_matches("*-2017-*", "vpc-2016-04-28"));
        assert!(glob_matches("*", "anything"));
        assert!(glob_matches("a*a", "aa"));
        assert!(!glob_matches("a*a", "a"));
        assert!(glob_matches("r*s-*", "rds-2014-08-15"));
    }

    #[test]
    fn the_scratch_manifest_inherits_the_workspace_with_the_runtime_as_its_one_path() {
        let workspace = r#"[workspace]
members = ["generator", "runtime"]

[workspace.package]
edition = "2024"
license = "Apache-2.0"

[profile.dev.package.acs-sdk]
debug = false

[workspace.dependencies]
acs-codegen = { path = "generator" }
acs-runtime = { path = "runtime" }
# a comment
serde = { version = "1", features = ["derive"] }
"#;
        let manifest = rewrite_manifest(workspace, Path::new("/w/runtime"));
        assert!(manifest.contains("edition = \"2024\""), "{manifest}");
        assert!(
            manifest.contains("acs-runtime = { path = \"/w/runtime\" }"),
            "{manifest}"
        );
        assert!(manifest.contains("serde = { version = \"1\""), "{manifest}");
        assert!(!manifest.contains("generator"), "{manifest}");
        assert!(!manifest.contains("acs-sdk"), "{manifest}");
        assert!(manifest.contains("members = [MEMBERS]"), "{manifest}");
    }

    #[test]
    fn the_workspace_holds_every_generated_crate_and_nothing_left_from_the_last_product() {
        let dir = tempfile::tempdir().expect("temp dir");
        let workspace = dir.path().join("ws");
        let file = |path: &str| GeneratedFile {
            path: path.to_owned(),
            contents: String::new(),
        };
        write_workspace(
            &workspace,
            "members = [MEMBERS]",
            None,
            &[file("Cargo.toml"), file("src/old.rs")],
        )
        .expect("first");
        write_workspace(
            &workspace,
            "members = [MEMBERS]",
            Some("lock"),
            &[
                file("vpc/Cargo.toml"),
                file("vpc/src/lib.rs"),
                file("kms/Cargo.toml"),
            ],
        )
        .expect("second");
        let manifest = fs::read_to_string(workspace.join("Cargo.toml")).expect("manifest");
        assert_eq!(manifest, "members = [\"generated/vpc\", \"generated/kms\"]");
        assert!(workspace.join("generated/vpc/src/lib.rs").exists());
        assert!(workspace.join("Cargo.lock").exists());
        assert!(!workspace.join("generated/src/old.rs").exists());
    }

    #[test]
    fn a_failure_shows_the_first_errors_and_counts_the_rest() {
        let stderr = "    Checking acs-sdk\n\
            src/a.rs:1:1: error[E0425]: cannot find value `x`\n\
            src/b.rs:2:2: warning: unused\n\
            src/c.rs:3:3: error: bad doc comment\n\
            src/d.rs:4:4: error[E0308]: mismatched types\n\
            error: could not compile `acs-sdk` (lib) due to 3 previous errors\n";
        let shown = first_errors(stderr, 2);
        assert!(shown.starts_with("src/a.rs:1:1: error[E0425]"), "{shown}");
        assert!(shown.contains("src/c.rs:3:3"), "{shown}");
        assert!(!shown.contains("src/d.rs"), "{shown}");
        assert!(shown.contains("1 more error line"), "{shown}");
        let early = first_errors("Updating index\nfailed to select a version", 5);
        assert!(early.contains("failed to select a version"), "{early}");
    }
}
