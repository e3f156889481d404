//! What the generator's tests share: the workspace's spec files as the generator reads them, a
//! small spec each rejection test breaks in one place, and the random spec assembler.

use std::path::{Path, PathBuf};

use acs_codegen::{GeneratedFile, SpecError, SpecSource, generate, validate_all};

pub mod random_spec;

/// Every key the spec format knows: what random documents are made of, and what a mutation
/// renames a key to.
pub const SPEC_KEYS: &[&str] = &[
    "product",
    "shapes",
    "operations",
    "code",
    "name",
    "module",
    "version",
    "style",
    "signature",
    "description",
    "endpoint",
    "regional",
    "central",
    "central_regions",
    "regions",
    "networks",
    "fields",
    "action",
    "title",
    "methods",
    "ram",
    "sources",
    "notes",
    "request",
    "response",
    "errors",
    "paging",
    "samples",
    "type",
    "items",
    "required",
    "example",
    "default",
    "location",
    "wrapper",
    "idempotency_token",
    "limits",
    "values",
    "enum",
    "rust_name",
    "value",
    "status",
    "message",
    "body",
    "valid_json",
    "repaired",
    "page_number",
    "page_size",
    "total_count",
    "min",
    "max",
    "max_items",
    "max_length",
    "ascii",
];

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or_else(|| panic!("the generator sits inside the workspace"))
        .to_path_buf()
}

/// Every `*.yaml` file of the given folders (relative to the workspace's root, as
/// `cargo xtask codegen` names them: `specs`, `specs/imported`), sorted by name; a folder that
/// does not exist adds nothing.
pub fn spec_sources(folders: &[&str]) -> Vec<SpecSource> {
    let root = workspace_root();
    let mut sources: Vec<SpecSource> = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for path in entries.filter_map(|entry| entry.ok().map(|entry| entry.path())) {
            if path.extension().is_none_or(|ext| ext != "yaml") {
                continue;
            }
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            sources.push(SpecSource {
                name: format!("{folder}/{name}"),
                text: std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            });
        }
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    sources
}

/// What `cargo xtask codegen` makes of the workspace's specs (written and imported), generated
/// once per test binary however many tests read it: the corpus is thousands of operations, and
/// generating it took most of this suite's time when each test did it again.
pub fn workspace_output() -> &'static [GeneratedFile] {
    static OUTPUT: std::sync::LazyLock<Vec<GeneratedFile>> = std::sync::LazyLock::new(|| {
        generate(&spec_sources(&["specs", "specs/imported"])).unwrap_or_else(|e| panic!("{e}"))
    });
    &OUTPUT
}

/// A spec of the `Demo` product (module `demo`, version 2020-01-01, a regional endpoint): its
/// `product:` header, with `name` as the product's name, followed by the rest (`shapes:`,
/// `operations:`...), as one string literal.
macro_rules! demo_spec {
    ($name:literal, $($rest:expr),+ $(,)?) => {
        concat!(
            "product:\n  code: Demo\n  name: ",
            $name,
            "\n  module: demo\n  version: \"2020-01-01\"\n  style: rpc\n  endpoint:\n",
            "    regional: \"demo.{region_id}.aliyuncs.com\"\n",
            $($rest),+
        )
    };
}
/// The start of a spec's `operations:`: `ListThings` (POST) with its required `RegionId`, the
/// request's other parameters to follow.
macro_rules! list_things_request {
    () => {
        concat!(
            "operations:\n  - action: ListThings\n    title: Lists things.\n",
            "    methods: [POST]\n    request:\n",
            "      - name: RegionId\n        type: string\n        required: true\n",
        )
    };
}
pub(crate) use {demo_spec, list_things_request};

/// A small valid spec (named `specs/demo.yaml`) that a test breaks in one place, and the checks
/// of what the generator says of the broken copy.
pub struct GoodSpec(pub &'static str);

impl GoodSpec {
    /// The spec with `from` (which must occur once) replaced by `to`.
    pub fn broken(&self, from: &str, to: &str) -> String {
        assert_eq!(self.0.matches(from).count(), 1, "`{from}` must occur once");
        self.0.replace(from, to)
    }
}

/// `text` as the spec file `specs/demo.yaml`.
pub fn demo_source(text: &str) -> SpecSource {
    SpecSource {
        name: "specs/demo.yaml".into(),
        text: text.into(),
    }
}

/// The errors validation finds in `text` (as `specs/demo.yaml`); fails when it finds none.
pub fn errors_of(text: &str) -> Vec<SpecError> {
    match validate_all(&[demo_source(text)]) {
        Ok(_) => panic!("the spec was accepted:\n{text}"),
        Err(e) => e.0,
    }
}

/// The line (from 1) of the first line of `text` holding `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .expect("needle")
}

/// The first of `errors` says `part` in its message.
pub fn assert_first_says(errors: &[SpecError], part: &str) {
    let first = errors
        .first()
        .unwrap_or_else(|| panic!("no error, where one saying `{part}` was expected"));
    assert!(first.message.contains(part), "{first}");
}

/// There is one error, in `specs/demo.yaml` at `line`, its message holding `message_part` and
/// its help `help_part`.
pub fn assert_one(errors: &[SpecError], line: usize, message_part: &str, help_part: &str) {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(e.file, "specs/demo.yaml");
    assert_eq!(e.line, line, "{e}");
    assert!(e.column >= 1);
    assert!(e.message.contains(message_part), "message: {e}");
    assert!(
        e.help.as_deref().unwrap_or("").contains(help_part),
        "help: {e}"
    );
}
