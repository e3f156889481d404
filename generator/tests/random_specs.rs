//! A spec never panics the generator: specs assembled at random from the spec format's own keys
//! (every name drawn from a pool of names that clash with generated code, keywords, Unicode and
//! punctuation; types, styles, limits, values, paging and samples that fit or do not), and
//! random YAML documents made of the format's keys, all go through `generate`. Each must come
//! back as files or as errors that point into the file, never as a panic.
//!
//! The cases come from a seeded generator, so a failure reproduces: the report names the seed and
//! the case, and `SPEC_RANDOM_SEED` replays another seed.

use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};

use acs_codegen::{GenerateError, SpecSource, generate_with_workers};

const DEFAULT_SEED: u64 = 0x00dd_ba11_5eed;

/// Specs assembled field by field.
const SPEC_CASES: usize = 1_000;

/// YAML documents of random shape.
const YAML_CASES: usize = 300;

/// Names for products, shapes, fields, enums, values, errors, samples and wrapper keys.
const NAMES: &[&str] = &[
    "Tag",
    "Node",
    "Item",
    "RegionId",
    "ImageId",
    "imageId",
    "Image_Id",
    "PageNumber",
    "PageSize",
    "TotalCount",
    "Items",
    "Client",
    "Meta",
    "Build",
    "Send",
    "Empty",
    "IntoParts",
    "IntoPaginator",
    "Clone",
    "Default",
    "Foo",
    "SetFoo",
    "New",
    "Type",
    "Self",
    "self",
    "super",
    "crate",
    "_",
    "-",
    "__",
    "名前",
    "é",
    "镜像Id",
    "123abc",
    "0",
    "Error",
    "Result",
    "Option",
    "Box",
    "String",
    "Unknown",
    "Unhandled",
    "VALUES",
    "ListThingsRequest",
    "ListThingsError",
    "Match",
    "r#type",
    "a b",
    "x.y",
    "Tag.N.Key",
    "%s",
    "*",
    "",
    " ",
    "😀",
    "A",
    "a",
    "Z9",
    "AVeryLongNameThatKeepsGoingPastAnythingAPageWouldDocumentForOneParameter",
];

/// Plain names, so that many assembled specs are accepted and reach the emitter.
const PLAIN: &[&str] = &[
    "Alpha",
    "Beta",
    "Gamma",
    "Delta",
    "RegionId",
    "InstanceId",
    "Status",
    "Count",
    "Name",
];

const ACTIONS: &[&str] = &[
    "ListThings",
    "DescribeItems",
    "Type",
    "New",
    "Service",
    "Mod",
    "Types",
    "Clone",
    "Runtime",
    "FromEnv",
    "Self",
    "_",
    "listThings",
    "X",
    "DescribeIPv6",
    "Describe2Fa",
    "A",
];

const MODULES: &[&str] = &[
    "demo", "full", "default", "types", "self", "Demo", "a_b", "x9", "_",
];

const HOSTS: &[&str] = &[
    "demo.{region_id}.aliyuncs.com",
    "{region_id}",
    "demo.{region}.aliyuncs.com",
    "https://demo.{region_id}.aliyuncs.com/",
    "demo.aliyuncs.com",
    "demo.aliyuncs.com:80",
    "",
    "demo..{region_id}.com",
];

const TYPES: &[&str] = &[
    "string", "integer", "long", "double", "boolean", "array", "object", "Int", "Tag", "Node",
    "Item", "Self",
];

const STYLES: &[&str] = &["plain", "repeat_list", "flat", "json", "comma", "csv"];

const KEYS: &[&str] = &[
    "product",
    "shapes",
    "operations",
    "code",
    "name",
    "module",
    "version",
    "style",
    "endpoint",
    "regional",
    "central",
    "fields",
    "action",
    "title",
    "methods",
    "request",
    "response",
    "errors",
    "paging",
    "samples",
    "type",
    "items",
    "required",
    "values",
    "value",
    "enum",
    "rust_name",
    "wrapper",
    "limits",
    "max",
    "body",
    "status",
];

/// A YAML double-quoted scalar holding `text` exactly (JSON strings are YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

struct Assembler<'a> {
    rng: &'a mut fastrand::Rng,
}

impl Assembler<'_> {
    fn pick(&mut self, pool: &[&'static str]) -> &'static str {
        pool[self.rng.usize(..pool.len())]
    }

    /// A name: plain half the time, from the hostile pool otherwise.
    fn name(&mut self) -> &'static str {
        if self.chance(50) {
            self.pick(PLAIN)
        } else {
            self.pick(NAMES)
        }
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.rng.u8(..100) < percent
    }

    fn spec(&mut self) -> String {
        let mut out = String::new();
        out.push_str("product:\n  code: Demo\n  name: Demo\n");
        let module = if self.chance(85) {
            "demo"
        } else {
            self.pick(MODULES)
        };
        out.push_str(&format!("  module: {}\n", quoted(module)));
        out.push_str("  version: \"2020-01-01\"\n  style: rpc\n");
        if self.chance(20) {
            out.push_str("  signature: v2\n");
        }
        out.push_str("  endpoint:\n");
        let regional = if self.chance(85) {
            HOSTS[0]
        } else {
            self.pick(HOSTS)
        };
        out.push_str(&format!("    regional: {}\n", quoted(regional)));
        if self.chance(30) {
            let central = self.pick(HOSTS);
            out.push_str(&format!("    central: {}\n", quoted(central)));
        }
        let shapes = self.rng.usize(..4);
        if shapes > 0 {
            out.push_str("shapes:\n");
            for i in 0..shapes {
                let name = if i < 3 && self.chance(80) {
                    ["Tag", "Node", "Item"][i]
                } else {
                    self.pick(NAMES)
                };
                out.push_str(&format!("  {}:\n    fields:\n", quoted(name)));
                for _ in 0..self.rng.usize(..4) {
                    self.field(&mut out, "      ", false);
                }
                if out.ends_with("fields:\n") {
                    out.push_str("      []\n");
                }
            }
        }
        out.push_str("operations:\n");
        for i in 0..self.rng.usize(..4) {
            let action = if i == 0 && self.chance(70) {
                "ListThings"
            } else {
                self.pick(ACTIONS)
            };
            out.push_str(&format!(
                "  - action: {}\n    title: {}\n    methods: [POST]\n",
                quoted(action),
                quoted("Does a thing. */ `x` 😀")
            ));
            out.push_str("    request:\n");
            let before = out.len();
            for _ in 0..self.rng.usize(..5) {
                self.field(&mut out, "      ", true);
            }
            if out.len() == before {
                out.push_str("      []\n");
            }
            out.push_str("    response:\n      fields:\n");
            let before = out.len();
            for _ in 0..self.rng.usize(..4) {
                self.field(&mut out, "        ", false);
            }
            if out.len() == before {
                out.push_str("        []\n");
            }
            if self.chance(40) {
                out.push_str("    errors:\n");
                for _ in 0..self.rng.usize(1..3) {
                    let code = self.pick(NAMES);
                    out.push_str(&format!(
                        "      - status: 400\n        code: {}\n",
                        quoted(code)
                    ));
                    if self.chance(20) {
                        let name = self.pick(NAMES);
                        out.push_str(&format!("        name: {}\n", quoted(name)));
                    }
                }
            }
            if self.chance(25) {
                let (number, size, items) = (self.pick(NAMES), self.pick(NAMES), self.pick(NAMES));
                out.push_str(&format!(
                    "    paging:\n      page_number: {}\n      page_size: {}\n      items: {}\n",
                    quoted(number),
                    quoted(size),
                    quoted(items)
                ));
            }
            if self.chance(40) {
                out.push_str("    samples:\n");
                for _ in 0..self.rng.usize(1..3) {
                    let name = self.pick(NAMES);
                    let key = self.pick(NAMES);
                    let body = if self.chance(50) {
                        "{}".to_owned()
                    } else {
                        format!("{{{}: \"1\"}}", quoted(key))
                    };
                    out.push_str(&format!(
                        "      - name: {}\n        body: {}\n",
                        quoted(name),
                        quoted(&body)
                    ));
                }
            }
        }
        if out.ends_with("operations:\n") {
            out.push_str("  []\n");
        }
        out
    }

    /// One field at `indent`, its keys drawn to fit its role or not.
    fn field(&mut self, out: &mut String, indent: &str, request: bool) {
        let name = self.name();
        out.push_str(&format!("{indent}- name: {}\n", quoted(name)));
        let inner = format!("{indent}  ");
        let ty = if self.chance(60) {
            "string"
        } else {
            self.pick(TYPES)
        };
        out.push_str(&format!("{inner}type: {}\n", quoted(ty)));
        if ty == "array" || self.chance(5) {
            let item = if self.chance(60) {
                "string"
            } else {
                self.pick(TYPES)
            };
            if self.chance(30) {
                out.push_str(&format!(
                    "{inner}items:\n{inner}  type: {}\n{inner}  values:\n{inner}    - value: {}\n",
                    quoted(item),
                    quoted(self.pick(NAMES))
                ));
            } else {
                out.push_str(&format!("{inner}items: {}\n", quoted(item)));
            }
        }
        if self.chance(10) {
            let rust = self.pick(NAMES);
            out.push_str(&format!(
                "{inner}rust_name: {}\n",
                quoted(&rust.to_lowercase())
            ));
        }
        if request && self.chance(30) {
            out.push_str(&format!("{inner}required: true\n"));
        }
        if request && self.chance(15) {
            let style = self.pick(STYLES);
            out.push_str(&format!("{inner}style: {style}\n"));
        }
        if !request && self.chance(10) {
            let key = self.pick(NAMES);
            out.push_str(&format!("{inner}wrapper: {}\n", quoted(key)));
        }
        if self.chance(15) {
            let limits = [
                "{max: 10}",
                "{min: 1, max: 5}",
                "{max_length: 3}",
                "{max_items: 2}",
                "{min: 5, max: 1}",
            ];
            out.push_str(&format!("{inner}limits: {}\n", self.pick(&limits)));
        }
        if self.chance(20) {
            out.push_str(&format!("{inner}values:\n"));
            for _ in 0..self.rng.usize(1..4) {
                let value = self.name();
                out.push_str(&format!("{inner}  - value: {}\n", quoted(value)));
            }
            if self.chance(30) {
                let e = self.pick(NAMES);
                out.push_str(&format!("{inner}enum: {}\n", quoted(e)));
            }
        }
    }

    /// A YAML document of random shape: mappings keyed by the format's keys, lists and scalars.
    fn yaml(&mut self, depth: usize, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match self.rng.u8(..3) {
            0 if depth < 6 => {
                for _ in 0..self.rng.usize(1..4) {
                    let key = self.pick(KEYS);
                    out.push_str(&format!("{pad}{key}:"));
                    self.value(depth, indent, out);
                }
            }
            1 if depth < 6 => {
                for _ in 0..self.rng.usize(1..3) {
                    out.push_str(&format!("{pad}-"));
                    self.value(depth, indent, out);
                }
            }
            _ => out.push_str(&format!("{pad}{}\n", quoted(self.pick(NAMES)))),
        }
    }

    fn value(&mut self, depth: usize, indent: usize, out: &mut String) {
        if self.chance(50) {
            let scalar = match self.rng.u8(..4) {
                0 => quoted(self.pick(NAMES)),
                1 => self.rng.i64(-5..100).to_string(),
                2 => "[]".to_owned(),
                _ => quoted(self.pick(TYPES)),
            };
            out.push_str(&format!(" {scalar}\n"));
        } else {
            out.push('\n');
            self.yaml(depth + 1, indent + 2, out);
        }
    }
}

#[derive(Default)]
struct Tally {
    accepted: usize,
    rejected: usize,
    failures: Vec<String>,
}

impl Tally {
    fn run(&mut self, case: &str, text: String) {
        let source = SpecSource {
            name: "specs/random.yaml".into(),
            text,
        };
        let lines = source.text.lines().count();
        let one = NonZeroUsize::MIN;
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            generate_with_workers(std::slice::from_ref(&source), one)
        }));
        match outcome {
            Err(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                self.failures
                    .push(format!("{case}: panicked: {message}\n{}", source.text));
            }
            Ok(Ok(_)) => self.accepted += 1,
            Ok(Err(GenerateError::Spec(errors))) => {
                self.rejected += 1;
                for e in &errors.0 {
                    if e.line < 1 || e.line > lines + 1 || e.column < 1 || e.help.is_none() {
                        self.failures.push(format!(
                            "{case}: an error points nowhere: {e}\n{}",
                            source.text
                        ));
                    }
                }
            }
            Ok(Err(e)) => self.failures.push(format!(
                "{case}: an accepted spec gave code that does not parse: {e}\n{}",
                source.text
            )),
        }
    }
}

#[test]
fn random_specs_and_random_yaml_never_panic_the_generator() {
    let seed = std::env::var("SPEC_RANDOM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut tally = Tally::default();
    // Panics are caught and reported with their case; the default hook would print each one.
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    for i in 0..SPEC_CASES {
        let text = Assembler { rng: &mut rng }.spec();
        tally.run(&format!("seed {seed} spec {i}"), text);
    }
    let assembled = (tally.accepted, tally.rejected);
    for i in 0..YAML_CASES {
        let mut text = String::new();
        Assembler { rng: &mut rng }.yaml(0, 0, &mut text);
        tally.run(&format!("seed {seed} yaml {i}"), text);
    }
    panic::set_hook(hook);
    println!(
        "random specs (seed {seed}): assembled {} accepted, {} rejected; {} YAML documents",
        assembled.0, assembled.1, YAML_CASES
    );
    // Both outcomes must be common, or the cases test little.
    assert!(
        assembled.0 >= SPEC_CASES / 20,
        "only {} assembled specs accepted",
        assembled.0
    );
    assert!(
        assembled.1 >= SPEC_CASES / 20,
        "only {} assembled specs rejected",
        assembled.1
    );
    assert!(
        tally.failures.is_empty(),
        "{} broken promises; the first:\n{}",
        tally.failures.len(),
        tally
            .failures
            .first()
            .map(String::as_str)
            .unwrap_or_default()
    );
}
