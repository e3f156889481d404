//! `cargo xtask import METADATA.json [--operation NAME]... [--out FILE]`: a thin shell over
//! `acs_codegen::import`, which does the work; this reads the files, writes the spec only when
//! its text changed, and prints what was imported.

use std::fs;
use std::path::{Path, PathBuf};

use acs_codegen::import::{ImportOptions, ImportSource, Summary, import};

/// The command's arguments.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// The metadata file (the portal's api-docs JSON, e.g. ../shared/metadata/ecs-2014-05-26.json).
    metadata: PathBuf,
    /// Import only this operation (repeat for several); all operations when not given.
    #[arg(long = "operation", value_name = "NAME")]
    operations: Vec<String>,
    /// Where to write the spec; default `specs/imported/<metadata file name>.yaml`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Response facts to merge; default `specs/responses/<metadata file name>.json` if present.
    #[arg(long)]
    facts: Option<PathBuf>,
}

/// Runs the import; the error is the message to print.
pub fn run(root: &Path, args: &ImportArgs) -> Result<(), String> {
    let stem = args
        .metadata
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} is not a file name", args.metadata.display()))?;
    let text = fs::read_to_string(&args.metadata)
        .map_err(|e| format!("cannot read {}: {e}", args.metadata.display()))?;
    let facts_path = match &args.facts {
        Some(p) => Some(p.clone()),
        None => {
            let p = root.join("specs/responses").join(format!("{stem}.json"));
            p.exists().then_some(p)
        }
    };
    let facts = match &facts_path {
        Some(p) => Some(ImportSource {
            name: display(root, p),
            text: fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?,
        }),
        None => None,
    };
    let source = ImportSource {
        name: display(root, &args.metadata),
        text,
    };
    let options = ImportOptions {
        operations: args.operations.clone(),
        facts,
    };
    let imported = import(&source, &options).map_err(|e| format!("{e}\n\nnothing was written."))?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("specs/imported").join(format!("{stem}.yaml")));
    let unchanged = fs::read_to_string(&out).ok().as_deref() == Some(imported.yaml.as_str());
    if !unchanged {
        if let Some(parent) = out.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&out, &imported.yaml)
            .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    }
    print_summary(&imported.summary, &display(root, &out), unchanged);
    Ok(())
}

/// A path as messages show it: relative to the workspace when inside it.
fn display(root: &Path, path: &Path) -> String {
    let absolute = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    absolute
        .strip_prefix(&root)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.display().to_string())
}

fn print_summary(s: &Summary, out: &str, unchanged: bool) {
    println!(
        "{out}: {} ({}) {} operations, {} parameters; responses: {} from the metadata, {} from the response facts, {} untyped; {} paged{}",
        s.product,
        s.module,
        s.operations,
        s.parameters,
        s.responses_from_metadata,
        s.responses_from_facts,
        s.responses_untyped,
        s.paged,
        if unchanged { " (unchanged)" } else { "" }
    );
    if s.notes.by_kind.is_empty() {
        println!("  no notes to review");
    }
    for (kind, n) in &s.notes.by_kind {
        println!("  {n} review note(s): {kind}");
    }
    if s.secrets.is_empty() {
        println!("  no field marked secret");
    } else {
        println!(
            "  {} field(s) marked secret by their names (`Debug` shows them redacted):",
            s.secrets.len()
        );
    }
    for secret in &s.secrets {
        println!("    {secret}");
    }
    println!(
        "then run `cargo xtask codegen`; `Review:` notes are reported as warnings until resolved."
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const METADATA: &str = r#"{"info": {"product": "Demo", "style": "RPC", "version": "2020-01-01"},
      "apis": {"GetThing": {"methods": ["post"], "parameters": [
        {"in": "query", "name": "ThingId", "schema": {"type": "string", "required": true}}]}},
      "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"}]}"#;

    fn args(metadata: PathBuf) -> ImportArgs {
        ImportArgs {
            metadata,
            operations: Vec::new(),
            out: None,
            facts: None,
        }
    }

    #[test]
    fn writes_the_spec_once_and_a_rerun_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let metadata = dir.path().join("demo-2020-01-01.json");
        fs::write(&metadata, METADATA).expect("write");
        run(dir.path(), &args(metadata.clone())).expect("import");
        let out = dir.path().join("specs/imported/demo-2020-01-01.yaml");
        let first = fs::read_to_string(&out).expect("spec written");
        assert!(first.contains("action: GetThing"), "{first}");
        run(dir.path(), &args(metadata)).expect("again");
        assert_eq!(fs::read_to_string(&out).expect("spec"), first);
    }

    #[test]
    fn bad_metadata_writes_nothing_and_says_where() {
        let dir = tempfile::tempdir().expect("temp dir");
        let metadata = dir.path().join("demo-2020-01-01.json");
        // An unknown HTTP method is left out with a note now; an unknown placement is refused.
        fs::write(
            &metadata,
            METADATA.replace("\"in\": \"query\"", "\"in\": \"host\""),
        )
        .expect("write");
        let err = run(dir.path(), &args(metadata)).expect_err("bad placement");
        assert!(err.contains("apis.GetThing.parameters[0].in"), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert!(!dir.path().join("specs/imported").exists());
        let missing = run(dir.path(), &args(dir.path().join("nope.json"))).expect_err("missing");
        assert!(missing.contains("cannot read"), "{missing}");
    }
}
