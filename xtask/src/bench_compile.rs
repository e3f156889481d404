//! `cargo xtask bench-compile`: what the generated SDK costs its users to compile, and how that
//! cost grows with a product's size.
//!
//! Two parts:
//! - the lines of generated code per operation of every product crate in `generated/`;
//! - for synthetic products of 100, 350 and 800 operations (`acs_codegen::synthetic`: every wire
//!   style, nested and wrapped shapes, enums, errors, paging), the generator's time, the lines
//!   per operation, and the CPU seconds and peak memory of a clean build of that product's crate
//!   (`acs-synthetic`, dev and release), then of the incremental rebuild after one operation's
//!   spec changes.
//!
//! Builds run in a scratch copy of the workspace (`target/bench-compile/workspace`, with its own
//! target directory beside it), so the real tree is never touched. Dependencies (the runtime
//! among them) are built first and not counted: the figures are the SDK crate's own cost. CPU
//! time and peak memory come from GNU time (`/usr/bin/time`), which reads them from the kernel
//! for cargo and every compiler process it waits for; peak memory is that of the largest one,
//! which is rustc compiling the product's crate.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use acs_codegen::{GeneratedFile, SpecSource};

/// Options of `cargo xtask bench-compile`.
#[derive(Debug, clap::Args)]
pub struct BenchCompileArgs {
    /// Sizes of the synthetic products to build, in operations.
    #[arg(long, value_delimiter = ',', default_values_t = [100, 350, 800])]
    sizes: Vec<usize>,
    /// Profiles to build with: `dev`, `release` or both.
    #[arg(long, value_delimiter = ',', default_values_t = [String::from("release"), String::from("dev")])]
    profiles: Vec<String>,
    /// Only count lines of generated code; build nothing.
    #[arg(long)]
    lines_only: bool,
    /// Build a consumer program (its own workspace under `target/bench-consumer`) that calls
    /// operations of one product, instead of the synthetic products: a clean release build with
    /// every dependency, then the SDK and the program alone for each count of `--calls`.
    #[arg(long)]
    consumer: bool,
    /// How many operations the consumer program calls, each from a function of its own.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 10, 50])]
    calls: Vec<usize>,
    /// The product whose operations the consumer program calls.
    #[arg(long, default_value = "ecs")]
    product: String,
    /// The workspace whose SDK the consumer program depends on (default: this one). Another
    /// checkout measures a before-and-after pair in one sitting.
    #[arg(long)]
    sdk_workspace: Option<PathBuf>,
}

/// Line counts of one generated product crate (all the files of its `src/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ModuleLines {
    module: String,
    operations: usize,
    total: usize,
    code: usize,
    docs: usize,
}

impl ModuleLines {
    fn add_text(&mut self, text: &str) {
        for line in text.lines() {
            self.total += 1;
            let trimmed = line.trim_start();
            if trimmed.starts_with("///") || trimmed.starts_with("//!") {
                self.docs += 1;
            } else if !trimmed.is_empty() && !trimmed.starts_with("//") {
                self.code += 1;
            }
            if trimmed.contains(": acs_runtime::Operation = acs_runtime::Operation") {
                self.operations += 1;
            }
        }
    }

    fn per_operation(&self, count: usize) -> usize {
        count.checked_div(self.operations).unwrap_or(count)
    }
}

/// Counts the lines of every product crate among `files` (paths `<module>/src/...`, relative to
/// `generated/`; the catalog crate is no product): code (neither blank nor a comment), doc
/// comments, and the operations (one `acs_runtime::Operation` static each).
fn count_modules<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<ModuleLines> {
    let mut modules: Vec<ModuleLines> = Vec::new();
    for (path, text) in files {
        let Some((module, _)) = path.split_once("/src/") else {
            continue;
        };
        if module.contains('/') || acs_codegen::emit::RESERVED_MODULES.contains(&module) {
            continue;
        }
        let index = match modules.iter().position(|m| m.module == module) {
            Some(index) => index,
            None => {
                modules.push(ModuleLines {
                    module: module.to_owned(),
                    ..ModuleLines::default()
                });
                modules.len() - 1
            }
        };
        modules[index].add_text(text);
    }
    modules.sort_by(|a, b| a.module.cmp(&b.module));
    modules
}

fn lines_table(modules: &[ModuleLines]) -> String {
    let mut table = String::from(
        "module               operations    lines     code     docs  code/op  lines/op\n",
    );
    for m in modules {
        let _ = writeln!(
            table,
            "{:<20} {:>10} {:>8} {:>8} {:>8} {:>8} {:>9}",
            m.module,
            m.operations,
            m.total,
            m.code,
            m.docs,
            m.per_operation(m.code),
            m.per_operation(m.total)
        );
    }
    table
}

/// Every Rust file under `generated/`, as (path relative to `generated/`, text).
fn generated_sources(generated: &Path) -> Result<Vec<(String, String)>, String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, base, out)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(base).unwrap_or(&path);
                out.push((
                    rel.to_string_lossy().replace('\\', "/"),
                    fs::read_to_string(&path)?,
                ));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(generated, generated, &mut out)
        .map_err(|e| format!("cannot read {}: {e}", generated.display()))?;
    Ok(out)
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

/// What one build cost.
#[derive(Debug, Clone, Copy, PartialEq)]
struct BuildCost {
    wall_s: f64,
    /// User plus system CPU seconds of cargo and every process it waited for.
    cpu_s: f64,
    /// Largest resident set of any of those processes, in MiB.
    peak_mib: f64,
}

/// Reads GNU time's `-f "%e %U %S %M"` line (the last line of its output).
fn parse_time(stderr: &str) -> Option<BuildCost> {
    let line = stderr.lines().rev().find(|l| !l.trim().is_empty())?;
    let mut fields = line.split_whitespace().map(str::parse::<f64>);
    let wall_s = fields.next()?.ok()?;
    let user = fields.next()?.ok()?;
    let system = fields.next()?.ok()?;
    let peak_kib = fields.next()?.ok()?;
    Some(BuildCost {
        wall_s,
        cpu_s: user + system,
        peak_mib: peak_kib / 1024.0,
    })
}

/// The scratch workspace's cargo.
struct Scratch {
    workspace: PathBuf,
    target: PathBuf,
    cargo: String,
}

impl Scratch {
    /// Runs cargo there (under GNU time), failing with its output when it fails.
    fn cargo(&self, args: &[&str]) -> Result<BuildCost, String> {
        let started = Instant::now();
        let output = Command::new("/usr/bin/time")
            .args(["-f", "%e %U %S %M", &self.cargo])
            .args(args)
            .arg("--target-dir")
            .arg(&self.target)
            .current_dir(&self.workspace)
            .output()
            .map_err(|e| {
                format!(
                    "cannot run /usr/bin/time {} (GNU time is needed to count CPU and memory): {e}",
                    self.cargo
                )
            })?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            return Err(format!(
                "`cargo {}` failed in {}:\n{stderr}",
                args.join(" "),
                self.workspace.display()
            ));
        }
        Ok(parse_time(&stderr).unwrap_or(BuildCost {
            wall_s: started.elapsed().as_secs_f64(),
            cpu_s: f64::NAN,
            peak_mib: f64::NAN,
        }))
    }

    fn build(&self, profile: &str, package: &str) -> Result<BuildCost, String> {
        self.cargo(&[
            "build",
            "--quiet",
            "-p",
            package,
            "--no-default-features",
            "--profile",
            profile,
        ])
    }

    fn clean(&self, profile: &str, package: &str) -> Result<BuildCost, String> {
        self.cargo(&["clean", "--quiet", "-p", package, "--profile", profile])
    }

    fn write_generated(&self, files: &[GeneratedFile]) -> Result<(), String> {
        crate::write_generated(&self.workspace.join("generated"), files, false)
    }
}

/// The synthetic product's module (its crate's folder), and its crate's package.
const SYNTHETIC_MODULE: &str = "synthetic";
const SYNTHETIC_PACKAGE: &str = "acs-synthetic";

/// The figures of one synthetic product.
struct SizeReport {
    operations: usize,
    generate_s: f64,
    lines: ModuleLines,
    builds: Vec<(String, BuildCost, BuildCost)>,
}

/// The synthetic product of `operations` operations with one operation's description edited, as
/// a maintainer changes one operation's spec.
fn edited_synthetic(operations: usize) -> SpecSource {
    let mut spec = acs_codegen::synthetic::synthetic_spec(operations);
    spec.text = spec.text.replacen(
        "title: Queries the widgets of family 1.",
        "title: Queries the widgets of family 1 (edited).",
        1,
    );
    spec
}

fn measure_size(
    scratch: &Scratch,
    real_specs: &[SpecSource],
    operations: usize,
    profiles: &[String],
) -> Result<SizeReport, String> {
    let synthetic = acs_codegen::synthetic::synthetic_spec(operations);
    let mut sources = real_specs.to_vec();
    sources.push(synthetic.clone());
    // The generator's own time, on the synthetic spec alone; the best of three runs, since the
    // other work on a shared machine only ever adds to it.
    let mut generate_s = f64::INFINITY;
    for _ in 0..3 {
        let started = Instant::now();
        crate::generate(std::slice::from_ref(&synthetic))?;
        generate_s = generate_s.min(started.elapsed().as_secs_f64());
    }
    let files = crate::generate(&sources)?;
    let lines = count_modules(
        files
            .iter()
            .filter(|f| f.path.starts_with(&format!("{SYNTHETIC_MODULE}/src/")))
            .map(|f| (f.path.as_str(), f.contents.as_str())),
    )
    .into_iter()
    .next()
    .unwrap_or_default();
    let mut builds = Vec::new();
    for profile in profiles {
        scratch.write_generated(&files)?;
        eprintln!("{operations} operations, {profile}: dependencies (not counted) ...");
        scratch.build(profile, SYNTHETIC_PACKAGE)?;
        scratch.clean(profile, SYNTHETIC_PACKAGE)?;
        eprintln!("{operations} operations, {profile}: clean build ...");
        let clean = scratch.build(profile, SYNTHETIC_PACKAGE)?;
        let mut edited = real_specs.to_vec();
        edited.push(edited_synthetic(operations));
        scratch.write_generated(&crate::generate(&edited)?)?;
        eprintln!("{operations} operations, {profile}: rebuild after one operation's edit ...");
        let incremental = scratch.build(profile, SYNTHETIC_PACKAGE)?;
        builds.push((profile.clone(), clean, incremental));
    }
    Ok(SizeReport {
        operations,
        generate_s,
        lines,
        builds,
    })
}

fn size_table(reports: &[SizeReport]) -> String {
    let mut out = String::from(
        "synthetic product: its crate alone (dependencies prebuilt)\n\
         ops  profile  generate(s)  lines/op  clean cpu(s)  cpu/op(s)  peak(MiB)  MiB/op  clean wall(s)  edit-one-op cpu(s)  wall(s)\n",
    );
    for r in reports {
        let ops = r.operations.max(1) as f64;
        for (profile, clean, incremental) in &r.builds {
            let _ = writeln!(
                out,
                "{:>4} {:>8} {:>12.3} {:>9} {:>13.1} {:>10.3} {:>10.0} {:>7.2} {:>14.1} {:>19.1} {:>8.1}",
                r.operations,
                profile,
                r.generate_s,
                r.lines.per_operation(r.lines.total),
                clean.cpu_s,
                clean.cpu_s / ops,
                clean.peak_mib,
                clean.peak_mib / ops,
                clean.wall_s,
                incremental.cpu_s,
                incremental.wall_s,
            );
        }
    }
    out
}

/// Runs `cargo xtask bench-compile`.
pub fn run(root: &Path, args: &BenchCompileArgs) -> ExitCode {
    match report(root, args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn report(root: &Path, args: &BenchCompileArgs) -> Result<(), String> {
    let generated = generated_sources(&root.join("generated"))?;
    let modules = count_modules(generated.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    println!(
        "generated code per operation (generated/<module>/src)\n{}",
        lines_table(&modules)
    );
    if args.lines_only {
        return Ok(());
    }
    if args.consumer {
        let sdk_workspace = args
            .sdk_workspace
            .clone()
            .unwrap_or_else(|| root.to_owned());
        return consumer_report(root, &sdk_workspace, &args.product, &args.calls);
    }
    for profile in &args.profiles {
        if profile != "dev" && profile != "release" {
            return Err(format!(
                "unknown profile `{profile}`: use `dev` or `release`"
            ));
        }
    }
    let scratch_root = root.join("target").join("bench-compile");
    let scratch = Scratch {
        workspace: scratch_root.join("workspace"),
        target: scratch_root.join("target"),
        cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
    };
    eprintln!(
        "copying the workspace to {} ...",
        scratch.workspace.display()
    );
    copy_workspace(root, &scratch.workspace)
        .map_err(|e| format!("cannot copy the workspace: {e}"))?;
    let real_specs = crate::read_specs(root)?;
    let mut reports = Vec::new();
    for &operations in &args.sizes {
        reports.push(measure_size(
            &scratch,
            &real_specs,
            operations,
            &args.profiles,
        )?);
        // Print as we go: the whole run takes a while.
        println!("{}", size_table(&reports));
    }
    Ok(())
}

/// Where a product's operations live for a program that depends on the SDK. The one place that
/// knows the SDK's layout: a crate per product, `generated/<module>/`, package `acs-<module>`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ProductDependency {
    /// The package the program depends on.
    package: String,
    /// Its folder, relative to the SDK's workspace.
    folder: String,
    /// The features the program turns on.
    features: Vec<String>,
    /// The Rust path of the product's module (where `Client` is).
    module: String,
    /// The source holding the client's methods, relative to the SDK's workspace.
    client_source: String,
}

impl ProductDependency {
    fn of(product: &str) -> Self {
        ProductDependency {
            package: format!("acs-{}", product.replace('_', "-")),
            folder: format!("generated/{product}"),
            features: Vec::new(),
            module: format!("acs_{product}"),
            client_source: format!("generated/{product}/src/lib.rs"),
        }
    }

    /// The `[dependencies]` line of the program.
    fn dependency_line(&self, sdk_workspace: &Path) -> String {
        let features: Vec<String> = self.features.iter().map(|f| format!("{f:?}")).collect();
        format!(
            "{} = {{ path = {:?}, default-features = false, features = [{}] }}",
            self.package,
            sdk_workspace.join(&self.folder).display().to_string(),
            features.join(", ")
        )
    }
}

/// The names of the client's operation methods (`pub fn name(&self) -> ...RequestBuilder`), in
/// the order the source has them.
fn operation_methods(client_source: &str) -> Vec<String> {
    let mut methods = Vec::new();
    let mut rest = client_source;
    while let Some(start) = rest.find("pub fn ") {
        rest = &rest[start + "pub fn ".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let signature = rest.split('{').next().unwrap_or_default();
        let takes_only_self = signature
            .split_once('(')
            .and_then(|(_, args)| args.split_once(')'))
            .is_some_and(|(args, _)| args.trim().trim_end_matches(',').trim() == "&self");
        if takes_only_self && signature.contains("RequestBuilder") {
            methods.push(name);
        }
    }
    methods
}

/// The program: `main` picks one function by its first argument, so that every function is
/// reachable, as in a real program; each sends one operation's request.
fn consumer_main(module: &str, methods: &[String]) -> String {
    let mut source = format!(
        "//! Calls {} operations of `{module}`, each from a function of its own.\n\n\
         use {module}::Client;\n\n\
         type Failure = Box<dyn std::error::Error + Send + Sync>;\n\n",
        methods.len()
    );
    for method in methods {
        let _ = write!(
            source,
            "async fn call_{method}(client: &Client) -> Result<(), Failure> {{\n    \
             let answer = client.{method}().send().await?;\n    \
             std::hint::black_box(&answer);\n    \
             Ok(())\n}}\n\n"
        );
    }
    source.push_str(
        "#[tokio::main(flavor = \"current_thread\")]\nasync fn main() -> Result<(), Failure> {\n    \
         let client = Client::from_env().await?;\n    \
         match std::env::args().nth(1).as_deref() {\n",
    );
    for method in methods {
        let _ = writeln!(
            source,
            "        Some({method:?}) => call_{method}(&client).await?,"
        );
    }
    source.push_str("        _ => eprintln!(\"name an operation\"),\n    }\n    Ok(())\n}\n");
    source
}

const CONSUMER_PACKAGE: &str = "acs-consumer-bench";

/// The program's manifest: a workspace of its own, release as cargo's default has it.
fn consumer_manifest(dependency: &ProductDependency, sdk_workspace: &Path) -> String {
    format!(
        "[package]\nname = \"{CONSUMER_PACKAGE}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n\
         [dependencies]\n{}\n\
         tokio = {{ version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }}\n",
        dependency.dependency_line(sdk_workspace)
    )
}

/// One consumer build's figures.
struct ConsumerBuild {
    what: String,
    cost: BuildCost,
    binary_bytes: u64,
}

fn consumer_table(dependency: &ProductDependency, builds: &[ConsumerBuild]) -> String {
    let mut out = format!(
        "consumer program: `{}` (features {}), release\n\
         {:<58} {:>9} {:>9} {:>10} {:>11}\n",
        dependency.package,
        dependency.features.join(","),
        "build",
        "cpu(s)",
        "wall(s)",
        "peak(MiB)",
        "binary(MB)"
    );
    for build in builds {
        let _ = writeln!(
            out,
            "{:<58} {:>9.1} {:>9.1} {:>10.0} {:>11.2}",
            build.what,
            build.cost.cpu_s,
            build.cost.wall_s,
            build.cost.peak_mib,
            build.binary_bytes as f64 / 1e6
        );
    }
    out
}

/// Builds the consumer program: clean with every dependency calling `calls[0]` operations, then
/// for each count the SDK's crate and the program alone, the other dependencies prebuilt.
fn consumer_report(
    root: &Path,
    sdk_workspace: &Path,
    product: &str,
    calls: &[usize],
) -> Result<(), String> {
    let sdk_workspace = sdk_workspace
        .canonicalize()
        .map_err(|e| format!("cannot find {}: {e}", sdk_workspace.display()))?;
    let dependency = ProductDependency::of(product);
    let client_path = sdk_workspace.join(&dependency.client_source);
    let client_source = fs::read_to_string(&client_path)
        .map_err(|e| format!("cannot read {}: {e}", client_path.display()))?;
    let methods = operation_methods(&client_source);
    let most = calls.iter().copied().max().unwrap_or(0);
    if methods.len() < most {
        return Err(format!(
            "`{product}` has {} operations; --calls asks for {most}",
            methods.len()
        ));
    }
    let Some(&first) = calls.first() else {
        return Err("--calls names no count".to_owned());
    };
    let program = root.join("target").join("bench-consumer");
    let scratch = Scratch {
        workspace: program.join("program"),
        target: program.join("target"),
        cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
    };
    for dir in [&scratch.workspace, &scratch.target] {
        if dir.exists() {
            fs::remove_dir_all(dir).map_err(|e| format!("cannot empty {}: {e}", dir.display()))?;
        }
    }
    fs::create_dir_all(scratch.workspace.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", scratch.workspace.display()))?;
    let write = |path: PathBuf, text: &str| {
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(
        scratch.workspace.join("Cargo.toml"),
        &consumer_manifest(&dependency, &sdk_workspace),
    )?;
    // The SDK's own lock file, so that both sides of a comparison build the same versions.
    if let Ok(lock) = fs::read_to_string(sdk_workspace.join("Cargo.lock")) {
        write(scratch.workspace.join("Cargo.lock"), &lock)?;
    }
    let binary = scratch.target.join("release").join(CONSUMER_PACKAGE);
    let binary_bytes = || fs::metadata(&binary).map(|m| m.len()).unwrap_or(0);
    let mut builds = Vec::new();
    let write_main = |count: usize| {
        write(
            scratch.workspace.join("src").join("main.rs"),
            &consumer_main(&dependency.module, &methods[..count]),
        )
    };
    write_main(first)?;
    eprintln!("{first} call(s): clean build with every dependency ...");
    let cost = scratch.cargo(&["build", "--quiet", "--release"])?;
    builds.push(ConsumerBuild {
        what: format!("{first} call(s), clean, dependencies included"),
        cost,
        binary_bytes: binary_bytes(),
    });
    println!("{}", consumer_table(&dependency, &builds));
    for &count in calls {
        write_main(count)?;
        scratch.cargo(&[
            "clean",
            "--quiet",
            "--release",
            "-p",
            &dependency.package,
            "-p",
            CONSUMER_PACKAGE,
        ])?;
        eprintln!("{count} call(s): the SDK's crate and the program ...");
        let cost = scratch.cargo(&["build", "--quiet", "--release"])?;
        builds.push(ConsumerBuild {
            what: format!("{count} call(s), `{}` and the program", dependency.package),
            cost,
            binary_bytes: binary_bytes(),
        });
        println!("{}", consumer_table(&dependency, &builds));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_code_docs_and_operations_per_module_folder() {
        let op = "// header\n\n//! Module docs.\n/// An op.\npub static A: acs_runtime::Operation = acs_runtime::Operation {\n    action: \"A\",\n};\n";
        let modules = count_modules(
            [
                ("demo/src/a.rs", op),
                ("demo/src/lib.rs", "pub struct Client;\n"),
                ("demo/tests/limits.rs", "#[test]\nfn a() {}\n"),
                ("catalog/src/lib.rs", "pub static OPERATIONS: () = ();\n"),
            ]
            .into_iter(),
        );
        assert_eq!(modules.len(), 1);
        let demo = &modules[0];
        assert_eq!(demo.module, "demo");
        assert_eq!(demo.total, 8);
        assert_eq!(demo.docs, 2);
        assert_eq!(demo.code, 4);
        assert_eq!(demo.operations, 1);
    }

    #[test]
    fn finds_the_client_operation_methods_and_nothing_else() {
        let source = "impl Client {\n    pub fn new(config: Config) -> Self {}\n    pub fn config(&self) -> &Config {}\n    pub fn describe_images(&self) -> DescribeImagesRequestBuilder<C> {}\n    pub fn accept_event(\n        &self,\n    ) -> AcceptEventRequestBuilder<C> {}\n    pub fn send<R>(&self, request: R) -> C::Sent<R> {}\n}\n";
        assert_eq!(
            operation_methods(source),
            ["describe_images", "accept_event"]
        );
    }

    #[test]
    fn the_consumer_program_calls_each_operation_from_its_own_function() {
        let methods = ["describe_images".to_owned(), "add_tags".to_owned()];
        let main = consumer_main("acs_ecs", &methods);
        assert!(
            main.contains("async fn call_describe_images(client: &Client)"),
            "{main}"
        );
        assert!(main.contains("client.add_tags().send().await?"), "{main}");
        assert!(
            main.contains("Some(\"add_tags\") => call_add_tags(&client).await?"),
            "{main}"
        );
        let manifest = consumer_manifest(&ProductDependency::of("ecs"), Path::new("/sdk"));
        assert!(
            manifest.contains("acs-ecs = { path = \"/sdk/generated/ecs\", default-features = false, features = [] }"),
            "{manifest}"
        );
    }

    #[test]
    fn reads_gnu_time_after_cargo_output() {
        let cost = parse_time("warning: something\n12.50 20.25 1.75 204800\n").expect("parsed");
        assert_eq!(cost.wall_s, 12.5);
        assert_eq!(cost.cpu_s, 22.0);
        assert_eq!(cost.peak_mib, 200.0);
        assert_eq!(parse_time("Command exited with non-zero status 1\n"), None);
    }

    #[test]
    fn the_edited_synthetic_spec_differs_in_one_operation() {
        let a = acs_codegen::generate(&[acs_codegen::synthetic::synthetic_spec(3)]).expect("a");
        let b = acs_codegen::generate(&[edited_synthetic(3)]).expect("b");
        let changed: Vec<&str> = a
            .iter()
            .zip(&b)
            .filter(|(x, y)| x != y)
            .map(|(x, _)| x.path.as_str())
            .collect();
        assert!(
            changed
                .iter()
                .all(|p| !p.contains("describe_widgets2") && !p.contains("describe_widgets3")),
            "{changed:?}"
        );
        assert!(
            changed.iter().any(|p| p.ends_with("describe_widgets1.rs")),
            "{changed:?}"
        );
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
