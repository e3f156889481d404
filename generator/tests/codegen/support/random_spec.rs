//! Specs assembled at random from the spec format's keys, shared by the tests that feed them to
//! the generator (`random_specs.rs`) and compile what it makes of them
//! (`hostile_specs_compile.rs`).

/// Names for products, shapes, fields, enums, values, errors, samples and wrapper keys.
pub const NAMES: &[&str] = &[
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

pub const TYPES: &[&str] = &[
    "string", "integer", "long", "double", "boolean", "array", "object", "Int", "Tag", "Node",
    "Item", "Self",
];

const STYLES: &[&str] = &["plain", "repeat_list", "flat", "json", "comma", "csv"];

/// A YAML double-quoted scalar holding `text` exactly (JSON strings are YAML).
pub fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

pub struct Assembler<'a> {
    pub rng: &'a mut fastrand::Rng,
}

impl Assembler<'_> {
    pub fn pick(&mut self, pool: &[&'static str]) -> &'static str {
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

    pub fn chance(&mut self, percent: u8) -> bool {
        self.rng.u8(..100) < percent
    }

    /// A spec of product `demo` (or, now and then, another module name).
    pub fn spec(&mut self) -> String {
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
}
