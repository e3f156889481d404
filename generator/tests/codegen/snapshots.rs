//! Snapshots of the generated code of the seed specs, and the check that `generated/` is what
//! the specs produce.

use std::fs;

use acs_codegen::{SpecSource, generate};

use crate::support::{spec_sources, workspace_output, workspace_root};

/// The written specs, without the imported ones, as the seed snapshots see them.
fn written_specs() -> Vec<SpecSource> {
    spec_sources(&["specs"])
}

/// The modules of the four specs transcribed by hand from the reference pages. Their generated
/// code is snapshotted so that a generator change shows as a reviewable diff; every other spec
/// (and the catalog crate and the manifests, which list every product) is held to the specs by
/// [`generated_directory_is_up_to_date`] instead, so adding a spec needs no new snapshot.
const SEED_MODULES: [&str; 4] = ["appstream_center", "ecs", "ens", "swas_open"];

#[test]
fn generated_code_of_the_seed_specs() {
    let files = generate(&written_specs()).unwrap_or_else(|e| panic!("{e}"));
    for f in files.iter().filter(|f| {
        SEED_MODULES
            .iter()
            .any(|m| f.path.starts_with(&format!("{m}/src/")))
    }) {
        let name = f.path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, f.contents);
    }
}

/// The output does not depend on the order of the spec files. Two products, written and
/// imported specs merged (the order-sensitive part), stand for the corpus: generating all of it
/// twice more would double this suite's time for no other case.
#[test]
fn generation_is_deterministic() {
    let sources: Vec<SpecSource> = spec_sources(&["specs", "specs/imported"])
        .into_iter()
        .filter(|s| s.name.contains("/sts-") || s.name.contains("/appstream-center-"))
        .collect();
    assert!(
        sources.len() >= 3,
        "the two products' written and imported specs are missing: {:?}",
        sources.iter().map(|s| &s.name).collect::<Vec<_>>()
    );
    let a = generate(&sources).unwrap_or_else(|e| panic!("{e}"));
    let mut reversed = sources;
    reversed.reverse();
    let b = generate(&reversed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        a, b,
        "output must not depend on the order of the spec files"
    );
}

#[test]
fn generated_directory_is_up_to_date() {
    let stale: Vec<&str> = workspace_output()
        .iter()
        .filter(|f| {
            fs::read_to_string(workspace_root().join("generated").join(&f.path))
                .ok()
                .as_deref()
                != Some(f.contents.as_str())
        })
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale ({stale:?}): run `cargo xtask codegen` and commit the result"
    );
}

/// Each product is a crate of its own (`generated/<module>/`, package `acs-<module>`) with its
/// own examples and tests, and the catalog crate depends on every one of them, so that a spec
/// change rebuilds one product and cargo builds the products side by side.
#[test]
fn every_product_is_a_crate_of_its_own() {
    let files = workspace_output();
    let text = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.as_str())
            .unwrap_or_else(|| panic!("no {path} generated"))
    };
    let catalog = text("catalog/Cargo.toml");
    for module in ["appstream_center", "ecs", "ens", "sts", "swas_open"] {
        let package = format!("acs-{}", module.replace('_', "-"));
        let manifest = text(&format!("{module}/Cargo.toml"));
        assert!(
            manifest.contains(&format!("name = \"{package}\"")),
            "{module}: {manifest}"
        );
        assert!(
            manifest.contains("acs-runtime.workspace = true"),
            "{manifest}"
        );
        assert!(
            catalog.contains(&format!("{package} = {{ path = \"../{module}\"")),
            "{catalog}"
        );
        text(&format!("{module}/src/lib.rs"));
        text(&format!("{module}/tests/samples.rs"));
        text(&format!("{module}/tests/limits.rs"));
        // Every file of a product lies in its crate and names no other product's crate.
        for f in files
            .iter()
            .filter(|f| f.path.starts_with(&format!("{module}/")))
        {
            for other in ["appstream_center", "ecs", "ens", "sts", "swas_open"] {
                assert!(
                    other == module || !f.contents.contains(&format!("acs_{other}::")),
                    "{} names acs_{other}",
                    f.path
                );
            }
        }
    }
    // Beside the crates, only their list.
    let loose: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|path| !path.contains('/') && *path != "README.md")
        .collect();
    assert!(loose.is_empty(), "files outside the crates: {loose:?}");
}

/// Formatting is shared out among threads; the text must not depend on how many.
#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    use std::num::NonZeroUsize;
    let one = acs_codegen::generate_with_workers(&written_specs(), NonZeroUsize::MIN)
        .unwrap_or_else(|e| panic!("{e}"));
    for workers in [2, 3, 7] {
        let many = NonZeroUsize::new(workers).unwrap_or(NonZeroUsize::MIN);
        let other = acs_codegen::generate_with_workers(&written_specs(), many)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(one == other, "{workers} threads wrote different files");
    }
}

/// Every operation of the workspace's specs, imported or written, is documented from facts: its
/// client method links its page in the API explorer and says how it is sent, whether a retry is
/// safe; no doc is the empty "Calls X." of a title-less import.
#[test]
fn every_operation_is_documented_from_facts() {
    let mut methods = 0;
    for f in workspace_output()
        .iter()
        .filter(|f| f.path.ends_with("/src/lib.rs"))
    {
        assert!(
            !f.contents.contains("Calls "),
            "{}: a doc says only \"Calls X.\"",
            f.path
        );
        // Each client method's doc block: the lines of `///` just above `pub fn`.
        let lines: Vec<&str> = f.contents.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let Some(action) = line.trim().strip_prefix("/// Reference: [`") else {
                continue;
            };
            methods += 1;
            let action = action.split('`').next().unwrap_or_default();
            assert!(
                line.contains("https://api.aliyun.com/api/")
                    && line.contains(&format!("/{action})")),
                "{}: {line}",
                f.path
            );
            let block: Vec<&str> = lines[at..]
                .iter()
                .take_while(|l| l.trim_start().starts_with("///"))
                .copied()
                .collect();
            let block = block.join("\n");
            assert!(block.contains("- Sent as an HTTP `"), "{}: {block}", f.path);
            assert!(
                block.contains("Read-only: safe to repeat") || block.contains("Changes state"),
                "{}: {block}",
                f.path
            );
        }
    }
    // The five products' 798 operations, each on the async client and the blocking one.
    assert!(
        methods >= 798,
        "only {methods} documented client methods found"
    );
}

/// Identical shapes are one type and none is told apart by a number: no generated type or field
/// name of the workspace's specs ends in a digit that the wire name does not have.
#[test]
fn no_generated_type_is_numbered() {
    for f in workspace_output()
        .iter()
        .filter(|f| f.path.ends_with("/types.rs"))
    {
        for line in f.contents.lines() {
            let Some(rest) = line.strip_prefix("pub struct ") else {
                continue;
            };
            let name = rest.split([' ', '{', '(', ';']).next().unwrap_or_default();
            assert!(
                !name.ends_with(|c: char| c.is_ascii_digit()),
                "{}: `{name}` is told apart by a number",
                f.path
            );
        }
    }
}

#[test]
fn the_product_table_is_written_from_the_specs_and_the_readme_links_it() {
    let sources = spec_sources(&["specs", "specs/imported"]);
    let products = acs_codegen::validate_all(&sources).unwrap_or_else(|e| panic!("{e}"));
    // `generated_directory_is_up_to_date` holds the file to what codegen writes; reading it here
    // spares a second generation of every product.
    let path = workspace_root().join("generated/README.md");
    let table = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("codegen writes no {}: {e}", path.display()));
    for p in &products {
        let row = table
            .lines()
            .find(|l| l.starts_with(&format!("| `acs-{}` |", p.module.replace('_', "-"))))
            .unwrap_or_else(|| panic!("no row for {}:\n{table}", p.module));
        assert!(
            row.contains(&format!("| {} | {} |", p.version, p.operations.len())),
            "{row}"
        );
    }
    let readme = fs::read_to_string(workspace_root().join("README.md")).expect("README.md");
    assert!(
        readme.contains("(generated/README.md)"),
        "README.md does not link the generated product table"
    );
    assert!(
        !readme.contains("| module (cargo feature) | product |"),
        "README.md keeps a product table by hand beside the generated one"
    );
}
