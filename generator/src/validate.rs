//! Stage 2: a loaded spec to a validated [`Product`], or every problem found, each located.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::SpecError;
use crate::load::LoadedSpec;
use crate::location::{NodePath, ScalarLayout};
use crate::model::{
    Deprecation, DocValue, Endpoint, EnumDef, EnumValue, ErrorEntry, ErrorVariant, Field, Limits,
    Location, Operation, Paging, Product, Ram, Sample, ScalarType, Shape, Signature, TokenPaging,
    Type, WireStyle,
};
use crate::naming::{self, generated};
use crate::spec::{
    DeprecatedSpec, FieldSpec, ItemsSpec, LimitsSpec, OperationSpec, ProductSpec, SpecFile,
    ValueSpec,
};
use crate::warning::SpecWarning;

const SCALARS: &[&str] = &["string", "integer", "long", "number", "double", "boolean"];

/// The containers a `type:` may name beside the scalars and shapes.
const CONTAINERS: &[&str] = &["array", "map"];

/// Validates one loaded spec. Collects every problem rather than stopping at the first.
pub fn validate(loaded: &LoadedSpec) -> Result<Product, Vec<SpecError>> {
    let mut v = Validator {
        loaded,
        errors: Vec::new(),
        enums: BTreeMap::new(),
        request_shapes: BTreeSet::new(),
        warnings: Vec::new(),
    };
    let product = v.product(&loaded.spec);
    if v.errors.is_empty() {
        Ok(product)
    } else {
        Err(v.errors)
    }
}

/// What a field is used for: decides which keys it may carry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Request,
    Response,
    ShapeField,
}

impl Role {
    /// Members the generated type holding such a field has besides the field and its setters.
    fn generated_members(self) -> &'static [&'static str] {
        match self {
            Role::Request => generated::BUILDER_MEMBERS,
            Role::Response => generated::RESPONSE_MEMBERS,
            Role::ShapeField => generated::SHAPE_MEMBERS,
        }
    }

    /// The generated type those members belong to, for messages.
    fn holder(self) -> &'static str {
        match self {
            Role::Request => "the request builder",
            Role::Response => "the response",
            Role::ShapeField => "a shape",
        }
    }
}

/// A derived Rust name that the generated code already uses gets a trailing underscore, as a
/// keyword does (`Client` -> `client_`); the wire name is kept apart, so nothing on the wire
/// changes.
fn clear_of(name: String, taken: &[&str]) -> String {
    if taken.contains(&naming::bare(&name)) {
        format!("{}_", naming::bare(&name))
    } else {
        name
    }
}

struct Validator<'a> {
    loaded: &'a LoadedSpec,
    errors: Vec<SpecError>,
    /// Enums by Rust name, with the path of their first declaration.
    enums: BTreeMap<String, (EnumDef, NodePath)>,
    /// Shapes reached from request parameters.
    request_shapes: BTreeSet<String>,
    /// Values the generated code drops.
    warnings: Vec<SpecWarning>,
}

impl Validator<'_> {
    fn warn(&mut self, path: &NodePath, message: impl Into<String>, help: impl Into<String>) {
        let (file, pos) = self.loaded.locate(path);
        self.warnings.push(SpecWarning {
            file: file.to_owned(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            help: help.into(),
        });
    }

    /// Warns of what a field's spec writes that the generated code drops without a word: a null
    /// example or default, an empty description, a `format` on a string.
    /// Warns of each `Review:` note (what an import could not decide), until a person resolves
    /// it and rewrites or removes the note.
    fn review_notes(&mut self, notes: &[String], path: &NodePath, subject: &str) {
        for (i, note) in notes.iter().enumerate() {
            if let Some(text) = note.strip_prefix(crate::import::REVIEW_PREFIX) {
                self.warn(
                    &path.key("notes").index(i),
                    format!("{subject}: {}", text.trim()),
                    "decide, mend the spec (in the hand-written spec, which wins over the import), and drop the `Review:` note",
                );
            }
        }
    }

    fn dropped_values(&mut self, f: &FieldSpec, path: &NodePath) {
        let name = f.name.as_deref().unwrap_or("?");
        self.review_notes(&f.notes, path, &format!("`{name}`"));
        if matches!(f.example, Some(None)) {
            self.warn(
                &path.key("example"),
                format!("`example: null` on `{name}` is dropped"),
                "give the page's example, quoted if it reads as something else (`example: \"null\"`), or remove the key",
            );
        }
        if matches!(f.default, Some(None)) {
            self.warn(
                &path.key("default"),
                format!("`default: null` on `{name}` is dropped"),
                "give the documented default, or remove the key",
            );
        }
        if let Some(ItemsSpec::Detailed(d)) = &f.items {
            if matches!(d.example, Some(None)) {
                self.warn(
                    &path.key("items").key("example"),
                    format!("`example: null` on the items of `{name}` is dropped"),
                    "give the page's example of an item, or remove the key",
                );
            }
            self.empty_description(d.description.as_deref(), &path.key("items"));
        }
        self.empty_description(f.description.as_deref(), path);
        if let (Some("string"), Some(format)) = (f.ty.as_deref(), f.format.as_deref()) {
            self.warn(
                &path.key("format"),
                format!("`format: {format}` on the string `{name}` changes nothing"),
                "the value stays a string; say what it holds in `description`, or remove `format`",
            );
        }
    }

    /// An empty `description:` is dropped: the item is documented by its name.
    fn empty_description(&mut self, description: Option<&str>, path: &NodePath) {
        if description.is_some_and(|d| d.trim().is_empty()) {
            self.warn(
                &path.key("description"),
                "an empty `description` is dropped: rustdoc shows the name instead",
                "transcribe the page's description, or remove the key",
            );
        }
    }

    fn error(&mut self, path: &NodePath, message: impl Into<String>, help: impl Into<String>) {
        let (file, pos) = self.loaded.locate(path);
        self.errors.push(SpecError {
            file: file.to_owned(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            help: Some(help.into()),
        });
    }

    /// An error inside a block scalar (a sample body): `line`/`column` count within its text, the
    /// column in characters (see [`char_column`]), as the file's positions are.
    fn error_within(
        &mut self,
        path: &NodePath,
        line: usize,
        column: usize,
        message: String,
        help: &str,
    ) {
        let (file, start) = self.loaded.locate(path);
        let file = file.to_owned();
        let (line, column, message) = match self.loaded.layout(path) {
            Some(ScalarLayout::Lines) => (
                start.line + line.saturating_sub(1),
                start.column + column.saturating_sub(1),
                message,
            ),
            // Escapes or folding moved the text: point at its start, and say where inside it.
            _ => (
                start.line,
                start.column,
                format!("{message} (line {line}, column {column} of the text)"),
            ),
        };
        self.errors.push(SpecError {
            file,
            line,
            column,
            message,
            help: Some(help.to_owned()),
        });
    }

    fn product(&mut self, spec: &SpecFile) -> Product {
        let root = NodePath::root();
        let p = &spec.product;
        let ppath = root.key("product");
        if !p
            .module
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            || !p.module.starts_with(|c: char| c.is_ascii_lowercase())
            || !naming::is_valid_ident(&p.module)
        {
            self.error(
                &ppath.key("module"),
                format!(
                    "module `{}` is not a lower snake case Rust identifier",
                    p.module
                ),
                "use lower case letters, digits and `_`, starting with a letter (`swas_open`)",
            );
        }
        if generated::CRATE_FEATURES.contains(&p.module.as_str()) {
            self.error(
                &ppath.key("module"),
                format!(
                    "module `{}` is the name of a cargo feature the crate has beside its products",
                    p.module
                ),
                "choose another module name",
            );
        }
        if p.style != "rpc" {
            self.error(
                &ppath.key("style"),
                format!("unknown API style `{}`", p.style),
                "the only style supported is `rpc`",
            );
        }
        let signature = match p.signature.as_deref() {
            None | Some("v3") => Signature::V3,
            Some("v2") => Signature::V2,
            Some(other) => {
                self.error(
                    &ppath.key("signature"),
                    format!("unknown signature `{other}`"),
                    "use `v3` (ACS3-HMAC-SHA256) or `v2` (HMAC-SHA1)",
                );
                Signature::V3
            }
        };
        let e = &p.endpoint;
        let epath = ppath.key("endpoint");
        if e.regional.is_none() && e.central.is_none() {
            self.error(
                &epath,
                "the endpoint has neither `regional` nor `central`",
                "give `regional: \"<product>.{region_id}.aliyuncs.com\"` or `central: <host>`",
            );
        }
        self.endpoint_hosts(e, &epath);
        if !e.central_regions.is_empty() && e.central.is_none() {
            self.error(
                &epath.key("central_regions"),
                "`central_regions` is given but `central` is not",
                "add `central: <host>` for those regions",
            );
        }
        let endpoint = Endpoint {
            regional: e.regional.clone(),
            central: e.central.clone(),
            central_regions: e.central_regions.clone(),
            regions: e.regions.clone().into_iter().collect(),
            networks: e.networks.clone().into_iter().collect(),
        };

        // Shapes: names first, so that fields can refer to any of them.
        for name in spec.shapes.keys() {
            if !naming::has_identifier_material(name) || !naming::is_valid_ident(name) {
                self.error(
                    &root.key("shapes").key(name),
                    format!("shape name `{name}` is not a Rust identifier"),
                    "name the shape in UpperCamelCase ASCII (`ImageTag`)",
                );
            } else if naming::type_name(name) != *name {
                self.error(
                    &root.key("shapes").key(name),
                    format!("shape name `{name}` is not UpperCamelCase"),
                    format!("rename it `{}`", naming::type_name(name)),
                );
            }
        }
        let mut operations = Vec::new();
        let mut actions = BTreeSet::new();
        for (i, op) in spec.operations.iter().enumerate() {
            let path = root.key("operations").index(i);
            if !actions.insert(op.action.clone()) {
                self.error(
                    &path.key("action"),
                    format!("operation `{}` is declared twice", op.action),
                    "merge the two entries into one",
                );
            }
            operations.push(self.operation(spec, op, &path));
        }
        let examples = self.examples(p, &operations, &ppath);
        let mut shapes = Vec::new();
        for (name, shape) in &spec.shapes {
            let spath = root.key("shapes").key(name);
            self.empty_description(shape.description.as_deref(), &spath);
            let fields = self.fields(spec, &shape.fields, &spath.key("fields"), Role::ShapeField);
            shapes.push(Shape {
                rust_name: name.clone(),
                description: shape.description.clone(),
                fields,
                in_request: false,
            });
        }
        // Which shapes are reachable from request parameters, transitively.
        let mut pending: Vec<String> = self.request_shapes.iter().cloned().collect();
        let mut reached = BTreeSet::new();
        while let Some(name) = pending.pop() {
            if !reached.insert(name.clone()) {
                continue;
            }
            if let Some(shape) = shapes.iter().find(|s| s.rust_name == name) {
                for f in &shape.fields {
                    if let Type::Shape(inner) = f.ty.item() {
                        pending.push(inner.clone());
                    }
                }
            }
        }
        for shape in &mut shapes {
            shape.in_request = reached.contains(&shape.rust_name);
        }
        box_recursive_fields(&mut shapes);
        self.check_type_names(&shapes, &operations);
        self.check_operation_names(spec, &operations);
        for (i, op) in operations.iter().enumerate() {
            let declared = spec.operations.get(i).map_or(&[][..], |o| &o.request[..]);
            self.check_limit_test_names(&root.key("operations").index(i), op, declared, &shapes);
        }
        self.check_wrapper_keys(spec);
        Product {
            file: self.loaded.name.clone(),
            code: p.code.clone(),
            name: p.name.clone(),
            module: p.module.clone(),
            version: p.version.clone(),
            description: p.description.clone(),
            signature,
            endpoint,
            shapes,
            enums: self.enums.values().map(|(e, _)| e.clone()).collect(),
            operations,
            examples,
            warnings: std::mem::take(&mut self.warnings),
        }
    }

    /// The actions that get a runnable example: those the spec names, each an operation of the
    /// spec, or else the first operation.
    fn examples(
        &mut self,
        p: &ProductSpec,
        operations: &[Operation],
        path: &NodePath,
    ) -> Vec<String> {
        if p.examples.is_empty() {
            return operations
                .iter()
                .take(1)
                .map(|op| op.action.clone())
                .collect();
        }
        let mut chosen = Vec::new();
        for (i, action) in p.examples.iter().enumerate() {
            if !operations.iter().any(|op| op.action == *action) {
                self.error(
                    &path.key("examples").index(i),
                    format!("`examples` names `{action}`, which is not an operation of this spec"),
                    "name an `action:` declared under `operations:`",
                );
            } else if !chosen.contains(action) {
                chosen.push(action.clone());
            }
        }
        chosen
    }

    /// Every host of the endpoint rule is a host name the runtime can put in a URL as it is:
    /// patterns (`regional`, `networks`) with `{region_id}` inside one label, fixed hosts
    /// (`central`, `regions`) with no placeholder.
    fn endpoint_hosts(&mut self, e: &crate::spec::EndpointSpec, epath: &NodePath) {
        let patterns = e.regional.iter().map(|r| (epath.key("regional"), r)).chain(
            e.networks
                .iter()
                .map(|(n, h)| (epath.key("networks").key(n), h)),
        );
        let fixed = e.central.iter().map(|c| (epath.key("central"), c)).chain(
            e.regions
                .iter()
                .map(|(r, h)| (epath.key("regions").key(r), h)),
        );
        let hosts: Vec<(NodePath, &String, HostKind)> = patterns
            .map(|(p, h)| (p, h, HostKind::Pattern))
            .chain(fixed.map(|(p, h)| (p, h, HostKind::Fixed)))
            .collect();
        for (path, host, kind) in hosts {
            if let Err((message, help)) = check_host(host, kind) {
                self.error(&path, format!("host `{host}` {message}"), help);
            }
        }
    }

    /// Shapes, enums and the types generated per operation share one namespace.
    fn check_type_names(&mut self, shapes: &[Shape], operations: &[Operation]) {
        let root = NodePath::root();
        let mut taken: BTreeMap<String, String> = generated::PRODUCT_TYPES
            .iter()
            .map(|name| {
                (
                    (*name).to_owned(),
                    format!("`{name}`, which generated code uses"),
                )
            })
            .collect();
        // An action declared twice is reported as such, once.
        let mut seen = BTreeSet::new();
        for (i, op) in operations.iter().enumerate() {
            if !seen.insert(op.action.as_str()) {
                continue;
            }
            for name in generated::operation_types(&op.type_prefix) {
                let owner = format!("a type generated for operation {}", op.action);
                if let Some(other) = taken.insert(name.clone(), owner) {
                    self.error(
                        &root.key("operations").index(i).key("action"),
                        format!(
                            "operation `{}` would generate the type `{name}`, which is already {other}",
                            op.action
                        ),
                        "the two actions cannot share one spec; split the spec",
                    );
                }
            }
        }
        for shape in shapes {
            if let Some(owner) = taken.get(&shape.rust_name) {
                self.error(
                    &root.key("shapes").key(&shape.rust_name),
                    format!("shape `{}` has the name of {owner}", shape.rust_name),
                    "rename the shape",
                );
            }
            taken.insert(
                shape.rust_name.clone(),
                format!("shape {}", shape.rust_name),
            );
        }
        let enums: Vec<(String, NodePath)> = self
            .enums
            .iter()
            .map(|(k, (_, p))| (k.clone(), p.clone()))
            .collect();
        for (name, path) in enums {
            if let Some(owner) = taken.get(&name) {
                self.error(
                    &path,
                    format!("enum `{name}` has the name of {owner}"),
                    "set `enum:` on this field to another name",
                );
            }
        }
    }

    /// Operations' methods, modules, statics and sample tests are named after their actions:
    /// two actions must not meet in one name.
    fn check_operation_names(&mut self, spec: &SpecFile, operations: &[Operation]) {
        let root = NodePath::root();
        let mut methods: BTreeMap<&str, &str> = BTreeMap::new();
        let mut statics: BTreeMap<String, String> = BTreeMap::from([(
            generated::SERVICE_STATIC.to_owned(),
            "the product's service".to_owned(),
        )]);
        let mut tests: BTreeMap<String, String> = BTreeMap::new();
        for (i, op) in operations.iter().enumerate() {
            let path = root.key("operations").index(i);
            match methods.insert(naming::bare(&op.method_name), &op.action) {
                // An action declared twice is reported as such, once.
                Some(other) if other == op.action => continue,
                Some(other) => {
                    self.error(
                        &path.key("action"),
                        format!(
                            "actions `{other}` and `{}` both become the method `{}`",
                            op.action, op.method_name
                        ),
                        "the two actions cannot share one spec; split the spec",
                    );
                    continue;
                }
                None => {}
            }
            let static_name = generated::operation_static(&op.method_name);
            if let Some(other) = statics.insert(
                static_name.clone(),
                format!("that of operation {}", op.action),
            ) {
                self.error(
                    &path.key("action"),
                    format!(
                        "operation `{}` would define the static `{static_name}`, which is already {other}",
                        op.action
                    ),
                    "an operation's static is its method in upper case: the two cannot share one module; split the spec",
                );
            }
            let Some(op_spec) = spec.operations.get(i) else {
                continue;
            };
            for (j, sample) in op_spec.samples.iter().enumerate() {
                let test = format!(
                    "{}_{}",
                    naming::bare(&op.method_name),
                    naming::bare(&naming::field_name(&sample.name))
                );
                let owner = format!("sample `{}` of {}", sample.name, op.action);
                if let Some(other) = tests.insert(test.clone(), owner) {
                    self.error(
                        &path.key("samples").index(j).key("name"),
                        format!(
                            "sample `{}` would be tested by `{test}`, as {other} is",
                            sample.name
                        ),
                        "give the sample another name",
                    );
                }
            }
        }
    }

    /// Each required parameter and each limit of an operation gets a test of its own in
    /// `tests/limits.rs`, named after the parameter and the limit: two must not meet in a name.
    fn check_limit_test_names(
        &mut self,
        path: &NodePath,
        op: &Operation,
        declared: &[FieldSpec],
        shapes: &[Shape],
    ) {
        let mut tests: BTreeMap<String, String> = BTreeMap::from([(
            generated::BUILDS_TEST.to_owned(),
            "the test of the required parameters together".to_owned(),
        )]);
        for f in &op.request {
            let mut names = Vec::new();
            if f.required {
                names.push(generated::required_test(&f.rust_name));
            }
            match &f.ty {
                Type::List(item) => {
                    if f.limits.max_items.is_some() {
                        names.push(generated::limit_test(&f.rust_name, "max_items"));
                    }
                    for kind in limit_kinds(item, &f.item_limits) {
                        names.push(generated::item_limit_test(&f.rust_name, kind));
                    }
                    if let Type::Shape(s) = &**item {
                        for sf in shapes
                            .iter()
                            .filter(|x| &x.rust_name == s)
                            .flat_map(|x| &x.fields)
                        {
                            for kind in limit_kinds(&sf.ty, &sf.limits) {
                                names.push(generated::item_field_limit_test(
                                    &f.rust_name,
                                    &sf.rust_name,
                                    kind,
                                ));
                            }
                        }
                    }
                }
                ty => {
                    for kind in limit_kinds(ty, &f.limits) {
                        names.push(generated::limit_test(&f.rust_name, kind));
                    }
                }
            }
            for name in names {
                let owner = format!("parameter `{}`", f.wire_name);
                match tests.get(&name) {
                    Some(other) if *other != owner => {
                        let message = format!(
                            "a test of parameter `{}` would be named `{name}`, as {other} is",
                            f.wire_name
                        );
                        let at = declared
                            .iter()
                            .position(|d| d.name.as_deref() == Some(f.wire_name.as_str()));
                        let fpath = match at {
                            Some(j) => path.key("request").index(j).key("name"),
                            None => path.key("request"),
                        };
                        self.error(
                            &fpath,
                            message,
                            "set `rust_name:` on one of the two parameters",
                        );
                    }
                    _ => {
                        tests.insert(name, owner);
                    }
                }
            }
        }
    }

    /// Each wrapper key gets a marker type in the product's `wrappers` module.
    fn check_wrapper_keys(&mut self, spec: &SpecFile) {
        let root = NodePath::root();
        let operation_fields = spec.operations.iter().enumerate().flat_map(|(i, op)| {
            let path = root
                .key("operations")
                .index(i)
                .key("response")
                .key("fields");
            op.response
                .fields
                .iter()
                .enumerate()
                .map(move |(j, f)| (path.index(j), f))
        });
        let shape_fields = spec.shapes.iter().flat_map(|(name, shape)| {
            let path = root.key("shapes").key(name).key("fields");
            shape
                .fields
                .iter()
                .enumerate()
                .map(move |(j, f)| (path.index(j), f))
        });
        let mut types: BTreeMap<String, String> = BTreeMap::new();
        let mut clashes = Vec::new();
        for (path, f) in operation_fields.chain(shape_fields) {
            let Some(key) = &f.wrapper else { continue };
            let marker = generated::wrapper_type(key);
            match types.get(&marker) {
                Some(other) if other != key => {
                    clashes.push((path.key("wrapper"), key.clone(), other.clone(), marker));
                }
                Some(_) => {}
                None => {
                    types.insert(marker, key.clone());
                }
            }
        }
        for (path, key, other, marker) in clashes {
            self.error(
                &path,
                format!("wrapper keys `{other}` and `{key}` both become the marker type `{marker}`"),
                "write each key exactly as the samples have it; keys that differ only in case or punctuation cannot share one spec",
            );
        }
    }

    fn operation(&mut self, spec: &SpecFile, op: &OperationSpec, path: &NodePath) -> Operation {
        self.review_notes(&op.notes, path, &format!("operation `{}`", op.action));
        // Actions are written as the service spells them, acronyms in capitals included
        // (`DescribeDiskDefaultKMSKeyId`); the Rust names come from their UpperCamelCase.
        let well_formed = op.action.starts_with(|c: char| c.is_ascii_uppercase())
            && op.action.chars().all(|c| c.is_ascii_alphanumeric());
        if !well_formed {
            self.error(
                &path.key("action"),
                format!("action `{}` is not UpperCamelCase", op.action),
                "write the Action exactly as documented (`DescribeImages`)",
            );
        }
        if op.methods.is_empty() {
            self.error(
                &path.key("methods"),
                "no HTTP method",
                "write `methods: [POST]`",
            );
        }
        for (i, m) in op.methods.iter().enumerate() {
            if m != "POST" && m != "GET" {
                self.error(
                    &path.key("methods").index(i),
                    format!("unknown HTTP method `{m}`"),
                    "RPC APIs take `POST` or `GET`",
                );
            }
        }
        self.empty_description(op.description.as_deref(), path);
        self.empty_description(op.response.description.as_deref(), &path.key("response"));
        let request = self.fields(spec, &op.request, &path.key("request"), Role::Request);
        let response = self.fields(
            spec,
            &op.response.fields,
            &path.key("response").key("fields"),
            Role::Response,
        );
        let tokens = request.iter().filter(|f| f.idempotency_token).count();
        if tokens > 1 {
            self.error(
                &path.key("request"),
                "more than one parameter is marked `idempotency_token`",
                "mark only the ClientToken parameter",
            );
        }
        let errors = self.errors_of(op, path);
        let ppath = path.key("paging");
        let (paging, token_paging) = match &op.paging {
            None => (None, None),
            Some(p) if p.next_token.is_some() => {
                (None, self.token_paging(p, &request, &response, &ppath))
            }
            Some(p) => (self.paging(p, &request, &response, &ppath), None),
        };
        let deprecated = self.deprecation(op.deprecated.as_ref(), &path.key("deprecated"));
        let mut samples = Vec::new();
        for (i, s) in op.samples.iter().enumerate() {
            let spath = path.key("samples").index(i);
            if let Some(sample) = self.sample(spec, s, &op.response.fields, &spath) {
                samples.push(sample);
            }
        }
        Operation {
            action: op.action.clone(),
            method_name: clear_of(naming::method_name(&op.action), generated::CLIENT_MEMBERS),
            type_prefix: naming::type_name(&op.action),
            title: op.title.clone(),
            description: op.description.clone(),
            methods: op.methods.clone(),
            ram: op.ram.as_ref().map(|r| Ram {
                action: r.action.clone(),
                access_level: r.access_level.clone(),
                resource_types: r.resource_types.clone(),
                condition_keys: r.condition_keys.clone(),
                dependent_actions: r.dependent_actions.clone(),
            }),
            sources: op.sources.clone(),
            notes: op.notes.clone(),
            request,
            response_description: op.response.description.clone(),
            response,
            errors,
            paging,
            read_only: op.read_only,
            anonymous: op.anonymous,
            token_paging,
            deprecated,
            samples,
        }
    }

    /// `location: header`: one scalar value, under a name HTTP accepts as a header name.
    fn header_location(&mut self, wire_name: &str, ty: &Type, path: &NodePath) -> Location {
        if !matches!(ty, Type::Scalar(_) | Type::Enum(_)) {
            self.error(
                &path.key("location"),
                format!("`{wire_name}` is not a scalar and cannot be a header"),
                "send lists and objects in the query or the body",
            );
        }
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if !wire_name.chars().all(token) {
            self.error(
                &path.key("name"),
                format!("`{wire_name}` is not a valid HTTP header name"),
                "a header name holds ASCII letters, digits and `-` (`x-acs-resource-group-id`)",
            );
        }
        Location::Header
    }

    /// `deprecated: true` or `deprecated: "reason"`; `false` says nothing.
    fn deprecation(&mut self, d: Option<&DeprecatedSpec>, path: &NodePath) -> Option<Deprecation> {
        match d? {
            DeprecatedSpec::Flag(false) => None,
            DeprecatedSpec::Flag(true) => Some(Deprecation { reason: None }),
            DeprecatedSpec::Reason(r) if r.trim().is_empty() => {
                self.error(
                    path,
                    "`deprecated` is an empty text",
                    "write why and what to use instead (`deprecated: \"use ImageIds\"`), or `deprecated: true`",
                );
                None
            }
            DeprecatedSpec::Reason(r) => Some(Deprecation {
                reason: Some(r.trim().to_owned()),
            }),
        }
    }

    /// The type a `type:` and the metadata's `format:` beside it name together: `integer` with
    /// `int64` is a `long`, `number` with `float` or `double` a `double`.
    fn with_format(&mut self, ty: &str, format: Option<&str>, path: &NodePath) -> Option<String> {
        let Some(format) = format else {
            return Some(ty.to_owned());
        };
        let resolved = match (ty, format) {
            ("integer" | "long", "int64") => "long",
            ("integer", "int32") => "integer",
            // An `f32` widens to an `f64` without loss; the runtime reads and writes `f64`.
            ("number" | "double", "double" | "float") => "double",
            ("string", _) => "string",
            ("long", "int32") => {
                self.error(
                    path,
                    "`type: long` with `format: int32`",
                    "write `type: integer` with `format: int32`, or `format: int64`",
                );
                return None;
            }
            (_, other) => {
                let fits = match ty {
                    "integer" | "long" => "`int32` or `int64`",
                    "number" | "double" => "`float` or `double`",
                    _ => "nothing: only integers and numbers have a `format`",
                };
                self.error(
                    path,
                    format!("`format: {other}` does not fit `type: {ty}`"),
                    format!("a `{ty}` takes {fits}; remove `format` or correct it"),
                );
                return None;
            }
        };
        Some(resolved.to_owned())
    }

    fn errors_of(&mut self, op: &OperationSpec, path: &NodePath) -> Vec<ErrorVariant> {
        let mut variants: Vec<ErrorVariant> = Vec::new();
        for (i, e) in op.errors.iter().enumerate() {
            let epath = path.key("errors").index(i);
            if e.code.trim().is_empty() {
                self.error(
                    &epath.key("code"),
                    "empty error code",
                    "write the code as documented",
                );
                continue;
            }
            let variant = match &e.name {
                Some(n) => n.clone(),
                None => naming::type_name(&e.code.replace("%s", "")),
            };
            if !naming::is_valid_ident(&variant) || variant == generated::UNHANDLED_ERROR {
                self.error(
                    &epath,
                    format!("error variant name `{variant}` is not usable"),
                    format!(
                        "set `name:` to an UpperCamelCase name other than `{}`",
                        generated::UNHANDLED_ERROR
                    ),
                );
                continue;
            }
            let entry = ErrorEntry {
                status: e.status,
                message: e.message.clone(),
                description: e.description.clone(),
            };
            match variants.iter_mut().find(|v| v.variant == variant) {
                Some(v) if v.code == e.code => v.entries.push(entry),
                Some(v) => {
                    let other = v.code.clone();
                    self.error(
                        &epath,
                        format!(
                            "codes `{other}` and `{}` both become variant `{variant}`",
                            e.code
                        ),
                        "set `name:` on one of them",
                    );
                }
                None => variants.push(ErrorVariant {
                    variant,
                    code: e.code.clone(),
                    entries: vec![entry],
                }),
            }
        }
        variants
    }

    fn paging(
        &mut self,
        p: &crate::spec::PagingSpec,
        request: &[Field],
        response: &[Field],
        path: &NodePath,
    ) -> Option<Paging> {
        let is_int = |t: &Type| matches!(t, Type::Scalar(ScalarType::Integer | ScalarType::Long));
        let mut ok = true;
        let mut find =
            |this: &mut Self, fields: &[Field], name: &str, key: &str, want: &str| match fields
                .iter()
                .find(|f| f.wire_name == name)
            {
                Some(f) => Some(f.clone()),
                None => {
                    this.error(
                        &path.key(key),
                        format!("paging field `{name}` is not a {want}"),
                        format!("name a {want} declared in this operation"),
                    );
                    ok = false;
                    None
                }
            };
        if p.max_results.is_some() {
            self.error(
                &path.key("max_results"),
                "`max_results` without `next_token`",
                "token paging names `next_token` (and `max_results`); page numbers name `page_number` and `page_size`",
            );
            return None;
        }
        let (Some(page_number), Some(page_size)) = (&p.page_number, &p.page_size) else {
            self.error(
                path,
                "paging names neither `page_number` and `page_size` nor `next_token`",
                "give `page_number: PageNumber` and `page_size: PageSize`, or `next_token: NextToken` for token paging",
            );
            return None;
        };
        let number = find(
            self,
            request,
            page_number,
            "page_number",
            "request parameter",
        );
        let size = find(self, request, page_size, "page_size", "request parameter");
        let items = find(self, response, &p.items, "items", "response field");
        let total = match &p.total_count {
            Some(t) => find(self, response, t, "total_count", "response field"),
            None => None,
        };
        for (f, key) in [(&number, "page_number"), (&size, "page_size")] {
            if let Some(f) = f {
                if !is_int(&f.ty) {
                    self.error(
                        &path.key(key),
                        format!("`{}` is not an integer", f.wire_name),
                        "page parameters must be `integer` or `long`",
                    );
                    ok = false;
                }
            }
        }
        if let Some(f) = &items {
            if !matches!(f.ty, Type::List(_)) {
                self.error(
                    &path.key("items"),
                    format!("`{}` is not a list", f.wire_name),
                    "name the response field that holds the page's items",
                );
                ok = false;
            }
        }
        if let Some(f) = &total {
            if !matches!(
                f.ty,
                Type::Scalar(ScalarType::Integer | ScalarType::Long | ScalarType::String)
            ) {
                self.error(
                    &path.key("total_count"),
                    format!("`{}` is not a count", f.wire_name),
                    "name an integer (or numeric string) response field",
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let (number, size, items) = (number?, size?, items?);
        Some(Paging {
            page_number: number.rust_name,
            page_size: size.rust_name,
            total_count: total.map(|t| t.rust_name),
            item_type: items.ty.item().clone(),
            items: items.rust_name,
        })
    }

    /// `paging: {next_token: NextToken, max_results: MaxResults, items: Images}`: the token is an
    /// optional string parameter of the request and a string field of the response.
    fn token_paging(
        &mut self,
        p: &crate::spec::PagingSpec,
        request: &[Field],
        response: &[Field],
        path: &NodePath,
    ) -> Option<TokenPaging> {
        let token = p.next_token.as_deref()?;
        let mut ok = true;
        for key in ["page_number", "page_size", "total_count"] {
            let given = match key {
                "page_number" => p.page_number.is_some(),
                "page_size" => p.page_size.is_some(),
                _ => p.total_count.is_some(),
            };
            if given {
                self.error(
                    &path.key(key),
                    format!("`{key}` beside `next_token`"),
                    "an operation pages by tokens or by page numbers: keep one of the two",
                );
                ok = false;
            }
        }
        let is_text = |f: &Field| f.ty == Type::Scalar(ScalarType::String);
        let request_token = request.iter().find(|f| f.wire_name == token);
        match request_token {
            Some(f) if is_text(f) && !f.required => {}
            Some(f) => {
                self.error(
                    &path.key("next_token"),
                    format!("`{}` is not an optional string parameter", f.wire_name),
                    "the token is `type: string` and not `required`: the first page is asked for without one",
                );
                ok = false;
            }
            None => {
                self.error(
                    &path.key("next_token"),
                    format!("paging token `{token}` is not a request parameter"),
                    "declare it in `request:` as `type: string`",
                );
                ok = false;
            }
        }
        let response_token = response.iter().find(|f| f.wire_name == token);
        match response_token {
            Some(f) if is_text(f) => {}
            Some(f) => {
                self.error(
                    &path.key("next_token"),
                    format!("response field `{}` is not a string", f.wire_name),
                    "declare the response's token as `type: string`",
                );
                ok = false;
            }
            None => {
                self.error(
                    &path.key("next_token"),
                    format!("paging token `{token}` is not a response field"),
                    "declare it in `response: fields:` as `type: string`",
                );
                ok = false;
            }
        }
        let max_results = match &p.max_results {
            None => None,
            Some(name) => match request.iter().find(|f| f.wire_name == *name) {
                Some(f) if matches!(f.ty, Type::Scalar(ScalarType::Integer | ScalarType::Long)) => {
                    Some(f.rust_name.clone())
                }
                Some(f) => {
                    self.error(
                        &path.key("max_results"),
                        format!("`{}` is not an integer", f.wire_name),
                        "the page size is `integer` or `long`",
                    );
                    ok = false;
                    None
                }
                None => {
                    self.error(
                        &path.key("max_results"),
                        format!("paging field `{name}` is not a request parameter"),
                        "name a request parameter declared in this operation",
                    );
                    ok = false;
                    None
                }
            },
        };
        let items = match response.iter().find(|f| f.wire_name == p.items) {
            Some(f) if matches!(f.ty, Type::List(_)) => Some(f),
            Some(f) => {
                self.error(
                    &path.key("items"),
                    format!("`{}` is not a list", f.wire_name),
                    "name the response field that holds the page's items",
                );
                None
            }
            None => {
                self.error(
                    &path.key("items"),
                    format!("paging field `{}` is not a response field", p.items),
                    "name a response field declared in this operation",
                );
                None
            }
        };
        let (request_token, response_token, items) = (request_token?, response_token?, items?);
        if !ok {
            return None;
        }
        Some(TokenPaging {
            request_token: request_token.rust_name.clone(),
            response_token: response_token.rust_name.clone(),
            max_results,
            items: items.rust_name.clone(),
            item_type: items.ty.item().clone(),
        })
    }

    fn fields(
        &mut self,
        spec: &SpecFile,
        fields: &[FieldSpec],
        path: &NodePath,
        role: Role,
    ) -> Vec<Field> {
        let mut built: Vec<(NodePath, bool, Field)> = Vec::new();
        let mut wire_names = BTreeSet::new();
        for (i, f) in fields.iter().enumerate() {
            let fpath = path.index(i);
            let Some(field) = self.field(spec, f, &fpath, role) else {
                continue;
            };
            if !wire_names.insert(field.wire_name.clone()) {
                self.error(
                    &fpath.key("name"),
                    format!("`{}` is declared twice here", field.wire_name),
                    "merge the two entries",
                );
                continue;
            }
            built.push((fpath, f.rust_name.is_none(), field));
        }
        if role == Role::Request {
            // `SetFoo` beside `Foo` would be the setter of `Foo`: it moves aside as a generated
            // name does.
            let names: BTreeSet<String> = built
                .iter()
                .map(|(_, _, f)| naming::bare(&f.rust_name).to_owned())
                .collect();
            for (_, derived, f) in &mut built {
                let shadows_a_setter = naming::bare(&f.rust_name)
                    .strip_prefix("set_")
                    .is_some_and(|rest| names.contains(rest));
                if *derived && shadows_a_setter {
                    f.rust_name = format!("{}_", naming::bare(&f.rust_name));
                }
            }
        }
        let mut out: Vec<Field> = Vec::new();
        let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
        // Every method of the request builder, with what it sets.
        let mut methods: BTreeMap<String, String> = generated::BUILDER_MEMBERS
            .iter()
            .map(|m| ((*m).to_owned(), format!("the builder's own `{m}`")))
            .collect();
        for (fpath, _, field) in built {
            if let Some(other) = rust_names.insert(field.rust_name.clone(), field.wire_name.clone())
            {
                self.error(
                    &fpath.key("name"),
                    format!(
                        "`{}` and `{other}` both become the Rust field `{}`",
                        field.wire_name, field.rust_name
                    ),
                    "set `rust_name:` on one of them",
                );
                continue;
            }
            if role == Role::Request {
                let setter = generated::setter(&field.rust_name);
                let own = [
                    (naming::bare(&field.rust_name).to_owned(), "setter"),
                    (setter, "replacing setter"),
                ];
                let clash = own.iter().find_map(|(m, what)| {
                    methods
                        .get(m)
                        .map(|owner| (m.clone(), *what, owner.clone()))
                });
                if let Some((method, what, owner)) = clash {
                    self.error(
                        &fpath.key("name"),
                        format!(
                            "the builder method `{method}` would be both the {what} of `{}` and {owner}",
                            field.wire_name
                        ),
                        "set `rust_name:` on one of them",
                    );
                    continue;
                }
                for (m, what) in own {
                    methods.insert(m, format!("the {what} of `{}`", field.wire_name));
                }
            }
            out.push(field);
        }
        out
    }

    fn field(
        &mut self,
        spec: &SpecFile,
        f: &FieldSpec,
        path: &NodePath,
        role: Role,
    ) -> Option<Field> {
        self.dropped_values(f, path);
        let Some(wire_name) = f.name.clone().filter(|n| !n.trim().is_empty()) else {
            self.error(
                path,
                "field has no wire name",
                "add `name:` with the name exactly as the page documents it",
            );
            return None;
        };
        let members = role.generated_members();
        let rust_name = match &f.rust_name {
            Some(r) if !naming::is_valid_ident(r) => {
                self.error(
                    &path.key("rust_name"),
                    format!("`{r}` is not a Rust identifier"),
                    "use lower snake case; write a keyword as `r#type`",
                );
                return None;
            }
            Some(r) if members.contains(&naming::bare(r)) => {
                self.error(
                    &path.key("rust_name"),
                    format!("`{r}` is a name {} already has", role.holder()),
                    format!(
                        "choose another `rust_name:` (taken: {})",
                        members.join(", ")
                    ),
                );
                return None;
            }
            Some(r) => r.clone(),
            None if !naming::has_identifier_material(&wire_name) => {
                self.error(
                    &path.key("name"),
                    format!("`{wire_name}` has no ASCII letter or digit to make a Rust name of"),
                    "set `rust_name:` to a lower snake case name for it",
                );
                return None;
            }
            None => clear_of(naming::field_name(&wire_name), members),
        };
        let Some(type_name) = f.ty.as_deref() else {
            self.error(
                path,
                format!("field `{wire_name}` has no type"),
                format!(
                    "add `type:` with one of {} or a shape name",
                    SCALARS.join(", ")
                ),
            );
            return None;
        };
        let limits = self.limits(f.limits.as_ref(), &path.key("limits"));
        let mut item_limits = Limits::default();
        let mut description = f.description.clone();
        let mut values = doc_values(&f.values);
        let mut notes = f.notes.clone();
        let is_map = type_name == "map";
        let ty = if type_name == "array" || is_map {
            let Some(items) = &f.items else {
                let (what, help) = if is_map {
                    (
                        "map",
                        "add `items:` with the type of its values (`items: string`, `items: Tag`)",
                    )
                } else {
                    (
                        "array",
                        "add `items:` with the item type (`items: string`, `items: Tag`)",
                    )
                };
                self.error(path, format!("{what} `{wire_name}` has no `items`"), help);
                return None;
            };
            let ipath = path.key("items");
            let (item_ty_name, item_values, item_enum, ilimits, idesc) = match items {
                ItemsSpec::Name(n) => (n.clone(), &[][..], None, None, None),
                ItemsSpec::Detailed(d) => (
                    self.with_format(&d.ty, d.format.as_deref(), &ipath.key("format"))?,
                    &d.values[..],
                    d.enum_name.as_deref(),
                    d.limits.as_ref(),
                    d.description.as_ref(),
                ),
            };
            let ipath_ty = if matches!(items, ItemsSpec::Detailed(_)) {
                ipath.key("type")
            } else {
                ipath.clone()
            };
            if item_ty_name == "array" || item_ty_name == "map" {
                self.error(
                    &ipath_ty,
                    format!(
                        "{} of lists or maps are not supported",
                        if is_map { "maps" } else { "lists" }
                    ),
                    "wrap the inner list or map in a shape",
                );
                return None;
            }
            item_limits = self.limits(ilimits, &ipath.key("limits"));
            if let Some(d) = idesc {
                description = Some(match description {
                    Some(x) => format!("{x}\n\nEach item: {d}"),
                    None => format!("Each item: {d}"),
                });
            }
            if !item_values.is_empty() {
                values = doc_values(item_values);
            }
            // What the page says of each item goes into the field's docs with the rest.
            if let ItemsSpec::Detailed(d) = items {
                if let Some(Some(example)) = &d.example {
                    notes.push(format!("Example of an item: `{}`.", example.text()));
                }
                notes.extend(d.notes.iter().cloned());
            }
            let name_for_enum = item_enum
                .map(str::to_owned)
                .unwrap_or_else(|| naming::type_name(&wire_name));
            let item = self.resolve(
                spec,
                &item_ty_name,
                item_values,
                &name_for_enum,
                item_enum.is_some(),
                description.as_deref(),
                &ipath_ty,
                &ipath.key("values"),
            )?;
            if !f.values.is_empty() {
                self.error(
                    &path.key("values"),
                    "valid values on a list",
                    "move `values:` into `items:` (`items: {type: string, values: [...]}`)",
                );
            }
            if is_map {
                Type::Map(Box::new(item))
            } else {
                Type::List(Box::new(item))
            }
        } else {
            if f.items.is_some() {
                self.error(
                    &path.key("items"),
                    format!("`items` on `{wire_name}`, which is not an array"),
                    "set `type: array`, or remove `items`",
                );
            }
            let enum_name = f
                .enum_name
                .clone()
                .unwrap_or_else(|| naming::type_name(&wire_name));
            let type_name =
                self.with_format(type_name, f.format.as_deref(), &path.key("format"))?;
            self.resolve(
                spec,
                &type_name,
                &f.values,
                &enum_name,
                f.enum_name.is_some(),
                description.as_deref(),
                &path.key("type"),
                &path.key("values"),
            )?
        };
        self.check_limits_fit(&ty, &limits, &path.key("limits"));
        if matches!(ty, Type::Map(_)) && !item_limits.is_empty() {
            self.error(
                &path.key("items").key("limits"),
                "limits on the values of a map",
                "remove them: the SDK checks no limits on map values (note them under `notes:`)",
            );
        }

        let location = match (role, f.location.as_deref()) {
            (_, None) | (Role::Request, Some("query")) => Location::Query,
            (Role::Request, Some("body")) => Location::Body,
            (Role::Request, Some("header")) => self.header_location(&wire_name, &ty, path),
            (Role::Request, Some(other)) => {
                self.error(
                    &path.key("location"),
                    format!("unknown location `{other}`"),
                    "use `query`, `body` or `header`",
                );
                Location::Query
            }
            (_, Some(_)) => {
                self.error(
                    &path.key("location"),
                    "`location` is for request parameters only",
                    "remove it",
                );
                Location::Query
            }
        };
        let style = self.style(f, &ty, role, path);
        if f.wrapper.is_some() && (role == Role::Request || !matches!(ty, Type::List(_))) {
            self.error(
                &path.key("wrapper"),
                "`wrapper` is for lists in responses only",
                "remove it, or make the field a response list",
            );
        }
        if f.idempotency_token && (role != Role::Request || ty != Type::Scalar(ScalarType::String))
        {
            self.error(
                &path.key("idempotency_token"),
                "only a string request parameter can be an idempotency token",
                "remove `idempotency_token`",
            );
        }
        if f.required && role != Role::Request {
            self.error(
                &path.key("required"),
                "`required` is for request parameters only",
                "remove it: response fields are all optional",
            );
        }
        if role == Role::Request {
            if let Type::Shape(s) = ty.item() {
                self.request_shapes.insert(s.clone());
            }
        }
        if let Some(Some(default)) = &f.default {
            if let (Type::Scalar(ScalarType::Integer | ScalarType::Long), Ok(d)) =
                (&ty, default.text().parse::<i64>())
            {
                if limits.min.is_some_and(|m| d < m) || limits.max.is_some_and(|m| d > m) {
                    self.error(
                        &path.key("default"),
                        format!("default {d} is outside the limits"),
                        "correct the default or the limits",
                    );
                }
            }
        }
        if type_name == "array" && f.format.is_some() {
            self.error(
                &path.key("format"),
                "`format` on a list",
                "move it into `items:` (`items: {type: integer, format: int64}`)",
            );
        }
        let deprecated = self.deprecation(f.deprecated.as_ref(), &path.key("deprecated"));
        if f.secret && (role == Role::Request || ty != Type::Scalar(ScalarType::String)) {
            self.error(
                &path.key("secret"),
                format!("`secret: true` on `{wire_name}`, which is not a response or shape field of type string"),
                "mark only string fields of responses and shapes as secret (a key secret, a token)",
            );
        }
        Some(Field {
            secret: f.secret,
            deprecated,
            wire_name,
            rust_name,
            ty,
            required: f.required,
            description,
            example: f.example.clone().flatten().map(|e| e.text()),
            default: f.default.clone().flatten().map(|e| e.text()),
            location,
            style,
            wrapper: f.wrapper.clone(),
            idempotency_token: f.idempotency_token,
            limits,
            item_limits,
            values,
            notes,
            boxed: false,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &mut self,
        spec: &SpecFile,
        name: &str,
        values: &[ValueSpec],
        enum_name: &str,
        enum_named: bool,
        description: Option<&str>,
        path: &NodePath,
        values_path: &NodePath,
    ) -> Option<Type> {
        let ty = match name {
            "string" => Type::Scalar(ScalarType::String),
            "integer" => Type::Scalar(ScalarType::Integer),
            "long" => Type::Scalar(ScalarType::Long),
            "double" | "number" => Type::Scalar(ScalarType::Double),
            "boolean" => Type::Scalar(ScalarType::Boolean),
            shape if spec.shapes.contains_key(shape) => Type::Shape(shape.to_owned()),
            other => {
                let lower = other.to_ascii_lowercase();
                let hint = if SCALARS.contains(&lower.as_str())
                    || CONTAINERS.contains(&lower.as_str())
                {
                    format!("write it in lower case: `{lower}`")
                } else if lower == "object" {
                    "declare the object under `shapes:` and use its name, or `type: map` for free keys".to_owned()
                } else {
                    let shapes: Vec<&str> = spec.shapes.keys().map(String::as_str).collect();
                    format!(
                        "use one of {}, {}{}",
                        SCALARS.join(", "),
                        CONTAINERS.join(", "),
                        if shapes.is_empty() {
                            String::new()
                        } else {
                            format!(", or a shape: {}", shapes.join(", "))
                        }
                    )
                };
                self.error(path, format!("unknown type `{other}`"), hint);
                return None;
            }
        };
        if values.is_empty() {
            if enum_named {
                self.error(
                    values_path,
                    "`enum:` without `values:`",
                    "list the valid values, or remove `enum:`",
                );
            }
            return Some(ty);
        }
        if ty != Type::Scalar(ScalarType::String) {
            // Valid values of numbers and booleans stay documentation: an enum would change the
            // JSON type callers read and write.
            return Some(ty);
        }
        if !naming::is_valid_ident(enum_name) || naming::type_name(enum_name) != enum_name {
            self.error(
                values_path,
                format!("enum name `{enum_name}` is not an UpperCamelCase identifier"),
                "set `enum:` to an UpperCamelCase name",
            );
            return Some(ty);
        }
        let mut variants: Vec<EnumValue> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let wire = v.value.text();
            let vpath = values_path.index(i);
            if v.name.is_none() && !wire.is_empty() && !naming::has_identifier_material(&wire) {
                self.error(
                    &vpath,
                    format!(
                        "value `{wire}` has no ASCII letter or digit to make a variant name of"
                    ),
                    "set `name:` to an UpperCamelCase name for it",
                );
                continue;
            }
            let variant = v.name.clone().unwrap_or_else(|| naming::type_name(&wire));
            if !naming::is_valid_ident(&variant)
                || generated::ENUM_MEMBERS.contains(&variant.as_str())
            {
                self.error(
                    &vpath,
                    format!("variant name `{variant}` is not usable"),
                    format!(
                        "set `name:` to an UpperCamelCase name other than `{}`",
                        generated::ENUM_MEMBERS.join("` and `")
                    ),
                );
                continue;
            }
            if variants.iter().any(|x| x.wire == wire) {
                self.error(
                    &vpath,
                    format!("value `{wire}` is listed twice"),
                    "remove the duplicate",
                );
                continue;
            }
            if let Some(x) = variants.iter().find(|x| x.variant == variant) {
                let other = x.wire.clone();
                self.error(
                    &vpath,
                    format!("values `{other}` and `{wire}` both become variant `{variant}`"),
                    "set `name:` on one of them",
                );
                continue;
            }
            variants.push(EnumValue {
                wire,
                variant,
                description: v.description.clone(),
            });
        }
        match self.enums.get(enum_name) {
            Some((existing, _)) if existing.values == variants => {}
            Some(_) => {
                self.error(
                    values_path,
                    format!("enum `{enum_name}` is declared again with other values"),
                    "set `enum:` on this field to a name of its own",
                );
            }
            None => {
                self.enums.insert(
                    enum_name.to_owned(),
                    (
                        EnumDef {
                            rust_name: enum_name.to_owned(),
                            description: description.map(str::to_owned),
                            values: variants,
                        },
                        values_path.clone(),
                    ),
                );
            }
        }
        Some(Type::Enum(enum_name.to_owned()))
    }

    fn limits(&mut self, l: Option<&LimitsSpec>, path: &NodePath) -> Limits {
        let Some(l) = l else { return Limits::default() };
        let pairs = [
            (
                "min_length",
                "max_length",
                l.min_length.map(|x| x as f64),
                l.max_length.map(|x| x as f64),
            ),
            ("min", "max", l.min, l.max),
            (
                "min_items",
                "max_items",
                l.min_items.map(|x| x as f64),
                l.max_items.map(|x| x as f64),
            ),
        ];
        for (lo_name, hi_name, lo, hi) in pairs {
            if let (Some(lo), Some(hi)) = (lo, hi) {
                if lo > hi {
                    self.error(&path.key(lo_name), format!("`{lo_name}` {lo} is greater than `{hi_name}` {hi}"), format!("a value must fit between `{lo_name}` and `{hi_name}`: correct one of them"));
                }
            }
        }
        let int = |this: &mut Self, key: &str, v: Option<f64>| -> Option<i64> {
            let v = v?;
            if v.fract() != 0.0 || v.abs() > 9.0e15 {
                this.error(
                    &path.key(key),
                    format!("`{key}` {v} is not a whole number"),
                    "limits on numbers are whole numbers",
                );
                return None;
            }
            Some(v as i64)
        };
        let min = int(self, "min", l.min);
        let max = int(self, "max", l.max);
        if l.max_items == Some(0) {
            self.error(
                &path.key("max_items"),
                "`max_items` is 0: the list could never be sent",
                "remove the parameter, or correct the limit",
            );
        }
        Limits {
            min_length: l.min_length,
            max_length: l.max_length,
            ascii: l.ascii,
            min,
            max,
            min_items: l.min_items,
            max_items: l.max_items,
        }
    }

    fn check_limits_fit(&mut self, ty: &Type, l: &Limits, path: &NodePath) {
        let is_list = matches!(ty, Type::List(_));
        let is_text = matches!(ty, Type::Scalar(ScalarType::String) | Type::Enum(_));
        let is_number = matches!(
            ty,
            Type::Scalar(ScalarType::Integer | ScalarType::Long | ScalarType::Double)
        );
        if (l.min_items.is_some() || l.max_items.is_some()) && !is_list {
            self.error(
                path,
                "`min_items`/`max_items` on a field that is not a list",
                "use `max_length` for text, `max` for numbers, or make the field a list",
            );
        }
        if (l.min_length.is_some() || l.max_length.is_some() || l.ascii) && !is_text {
            self.error(
                path,
                "a length limit on a field that is not text",
                if is_list {
                    "put limits of each item under `items: {limits: ...}`"
                } else {
                    "use `min`/`max` for numbers"
                },
            );
        }
        if (l.min.is_some() || l.max.is_some()) && !is_number {
            self.error(
                path,
                "`min`/`max` on a field that is not a number",
                "use `max_length` for text or `max_items` for lists",
            );
        }
    }

    fn style(&mut self, f: &FieldSpec, ty: &Type, role: Role, path: &NodePath) -> WireStyle {
        let default = match ty {
            Type::List(item) if matches!(**item, Type::Shape(_)) => WireStyle::Flat,
            Type::List(_) => WireStyle::RepeatList,
            Type::Shape(_) | Type::Map(_) => WireStyle::Flat,
            _ => WireStyle::Plain,
        };
        let Some(style) = f.style.as_deref() else {
            return default;
        };
        if role == Role::Response {
            self.error(
                &path.key("style"),
                "`style` is for request parameters only",
                "remove it",
            );
            return default;
        }
        let parsed = match style {
            "plain" => WireStyle::Plain,
            "repeat_list" => WireStyle::RepeatList,
            "flat" => WireStyle::Flat,
            "json" => WireStyle::Json,
            "comma" => WireStyle::Comma,
            other => {
                self.error(
                    &path.key("style"),
                    format!("unknown wire style `{other}`"),
                    "use plain, repeat_list, flat, json or comma",
                );
                return default;
            }
        };
        let item_is_shape = matches!(ty.item(), Type::Shape(_));
        let fits = match (parsed, ty) {
            (WireStyle::Plain, Type::Scalar(_) | Type::Enum(_)) => true,
            (WireStyle::RepeatList | WireStyle::Comma, Type::List(_)) => !item_is_shape,
            (WireStyle::Flat, Type::Shape(_)) => true,
            (WireStyle::Flat, Type::List(_)) => item_is_shape,
            (WireStyle::Json, Type::List(_) | Type::Shape(_) | Type::Map(_)) => true,
            (WireStyle::Flat, Type::Map(_)) => true,
            _ => false,
        };
        if !fits {
            let what = match ty {
                Type::Map(_) => "a map",
                Type::List(_) if item_is_shape => "a list of objects",
                Type::List(_) => "a list of scalars",
                Type::Shape(_) => "an object that is not a list",
                _ => "a scalar",
            };
            let help = match ty {
                Type::Map(_) => "use `flat` (`Name.key=value`) or `json` (one JSON object)",
                Type::List(_) if item_is_shape => "use `flat` (`Tag.1.Key=...`) or `json`",
                Type::List(_) => "use `repeat_list`, `comma` or `json`",
                Type::Shape(_) => "use `flat` (`Name.Field=...`) or `json` (one JSON object)",
                _ => "use `plain`, or make the field a list",
            };
            self.error(
                &path.key("style"),
                format!(
                    "style `{style}` does not fit `{}`, {what}",
                    f.name.as_deref().unwrap_or("?")
                ),
                help,
            );
            return default;
        }
        parsed
    }

    fn sample(
        &mut self,
        spec: &SpecFile,
        s: &crate::spec::SampleSpec,
        fields: &[FieldSpec],
        path: &NodePath,
    ) -> Option<Sample> {
        let published = serde_json::from_str::<serde_json::Value>(&s.body);
        let (body, repaired, bpath) = match (s.valid_json, &s.repaired, published) {
            (Some(false), Some(repaired), Err(_)) => (repaired.clone(), true, path.key("repaired")),
            (Some(false), _, Ok(_)) => {
                self.error(
                    &path.key("valid_json"),
                    "the sample is marked `valid_json: false` but it parses",
                    "remove `valid_json` and `repaired`",
                );
                return None;
            }
            (Some(false), None, Err(_)) => {
                self.error(
                    path,
                    "a sample marked `valid_json: false` has no `repaired` copy",
                    "add `repaired:` with a corrected copy for the tests",
                );
                return None;
            }
            (_, _, Err(e)) => {
                let message = format!("the sample is not valid JSON: {}", json_message(&e));
                let column = char_column(&s.body, e.line(), e.column());
                self.error_within(&path.key("body"), e.line(), column, message, "if the page publishes it so, keep it, set `valid_json: false` and add a `repaired:` copy");
                return None;
            }
            (_, _, Ok(_)) => (s.body.clone(), false, path.key("body")),
        };
        let value: serde_json::Value = match serde_json::from_str(&body) {
            Ok(v) => v,
            Err(e) => {
                let message = format!(
                    "the repaired sample is not valid JSON: {}",
                    json_message(&e)
                );
                let column = char_column(&body, e.line(), e.column());
                self.error_within(
                    &bpath,
                    e.line(),
                    column,
                    message,
                    "correct the repaired copy",
                );
                return None;
            }
        };
        let mut problems = Vec::new();
        check_object(spec, fields, &value, "", &mut problems);
        for p in problems {
            self.error(
                &bpath,
                format!("sample `{}` does not match the response: {p}", s.name),
                "declare the field with a type that holds this value, or correct the sample",
            );
        }
        Some(Sample {
            name: s.name.clone(),
            status: s.status.unwrap_or(200),
            body,
            repaired,
        })
    }
}

/// The limits of a value the generated tests break one at a time, by the name each test takes.
fn limit_kinds(ty: &Type, limits: &Limits) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    match ty {
        Type::Scalar(ScalarType::String) => {
            if limits.max_length.is_some() {
                kinds.push("max_length");
            }
            if limits.min_length.is_some_and(|m| m >= 1) {
                kinds.push("min_length");
            }
            if limits.ascii {
                kinds.push("ascii");
            }
        }
        Type::Scalar(ScalarType::Integer | ScalarType::Long) => {
            if limits.max.is_some() {
                kinds.push("max");
            }
            if limits.min.is_some() {
                kinds.push("min");
            }
        }
        _ => {}
    }
    kinds
}

/// Boxes every field whose shape leads back to the shape that holds it through fields that are
/// shapes (a list holds its items on the heap already): a type that contains itself has no size.
fn box_recursive_fields(shapes: &mut [Shape]) {
    let edges: BTreeMap<String, Vec<String>> = shapes
        .iter()
        .map(|s| {
            let targets = s
                .fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Type::Shape(t) => Some(t.clone()),
                    _ => None,
                })
                .collect();
            (s.rust_name.clone(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut pending = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(at) = pending.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at) {
                pending.extend(edges.get(at).into_iter().flatten().map(String::as_str));
            }
        }
        false
    };
    for shape in shapes.iter_mut() {
        for f in &mut shape.fields {
            if let Type::Shape(target) = &f.ty {
                f.boxed = reaches(target, &shape.rust_name);
            }
        }
    }
}

/// serde_json counts a column in bytes, the spec's positions count characters: the character
/// column of byte column `column` (from 1) on line `line` of `text`.
fn char_column(text: &str, line: usize, column: usize) -> usize {
    let Some(line_text) = text.lines().nth(line.saturating_sub(1)) else {
        return column;
    };
    let mut bytes = column.saturating_sub(1).min(line_text.len());
    while !line_text.is_char_boundary(bytes) {
        bytes -= 1;
    }
    line_text
        .get(..bytes)
        .map_or(column, |before| before.chars().count() + 1)
}

/// serde_json's message without its own " at line L column C": the position is reported apart.
fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

fn doc_values(values: &[ValueSpec]) -> Vec<DocValue> {
    values
        .iter()
        .map(|v| DocValue {
            value: v.value.text(),
            description: v.description.clone(),
        })
        .collect()
}

/// Walks a sample against declared fields, leniently as the decoder reads the wire.
fn check_object(
    spec: &SpecFile,
    fields: &[FieldSpec],
    value: &serde_json::Value,
    path: &str,
    out: &mut Vec<String>,
) {
    let serde_json::Value::Object(map) = value else {
        out.push(format!(
            "`{}` is {}, not an object",
            display_path(path),
            kind(value)
        ));
        return;
    };
    for (key, v) in map {
        let fpath = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match fields
            .iter()
            .find(|f| f.name.as_deref() == Some(key.as_str()))
        {
            None => out.push(format!("field `{fpath}` is not declared")),
            Some(f) => check_value(
                spec,
                f.ty.as_deref().unwrap_or(""),
                f.items.as_ref(),
                f.wrapper.as_deref(),
                v,
                &fpath,
                out,
            ),
        }
    }
}

fn check_value(
    spec: &SpecFile,
    ty: &str,
    items: Option<&ItemsSpec>,
    wrapper: Option<&str>,
    v: &serde_json::Value,
    path: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value as J;
    if v.is_null() {
        return;
    }
    let ok = match ty {
        "string" => matches!(v, J::String(_) | J::Number(_) | J::Bool(_)),
        "integer" | "long" => match v {
            J::Number(n) => n.is_i64() || n.is_u64(),
            J::String(s) => s.is_empty() || s.trim().parse::<i64>().is_ok(),
            _ => false,
        },
        "double" | "number" => match v {
            J::Number(_) => true,
            J::String(s) => s.is_empty() || s.trim().parse::<f64>().is_ok(),
            _ => false,
        },
        "boolean" => match v {
            J::Bool(_) => true,
            J::String(s) => s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false"),
            _ => false,
        },
        "array" => {
            let list = match (wrapper, v) {
                (Some(w), J::Object(m)) => match m.get(w) {
                    Some(inner) => inner,
                    None => {
                        out.push(format!("`{path}` has no wrapper key `{w}`"));
                        return;
                    }
                },
                _ => v,
            };
            let J::Array(list) = list else {
                out.push(format!("`{path}` is {}, not a list", kind(list)));
                return;
            };
            let (ity, iitems) = match items {
                Some(ItemsSpec::Name(n)) => (n.as_str(), None),
                Some(ItemsSpec::Detailed(d)) => (d.ty.as_str(), None),
                None => ("", None),
            };
            let inner = match wrapper {
                Some(w) => format!("{path}.{w}"),
                None => path.to_owned(),
            };
            for (i, item) in list.iter().enumerate() {
                check_value(spec, ity, iitems, None, item, &format!("{inner}[{i}]"), out);
            }
            return;
        }
        "map" => {
            let J::Object(entries) = v else {
                out.push(format!("`{path}` is {}, not an object", kind(v)));
                return;
            };
            let ity = match items {
                Some(ItemsSpec::Name(n)) => n.as_str(),
                Some(ItemsSpec::Detailed(d)) => d.ty.as_str(),
                None => "",
            };
            for (key, value) in entries {
                check_value(spec, ity, None, None, value, &format!("{path}.{key}"), out);
            }
            return;
        }
        shape => match spec.shapes.get(shape) {
            Some(s) => {
                check_object(spec, &s.fields, v, path, out);
                return;
            }
            None => return, // unknown types are reported where they are declared
        },
    };
    if !ok {
        out.push(format!("`{path}` is {}, declared `{ty}`", kind(v)));
    }
}

fn display_path(path: &str) -> &str {
    if path.is_empty() { "(body)" } else { path }
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The placeholder a host pattern holds for the region.
const REGION_PLACEHOLDER: &str = "{region_id}";

/// A region id that stands in for `{region_id}` when a pattern's labels are checked.
const SAMPLE_REGION: &str = "cn-hangzhou";

/// Whether a host is a pattern for every region or one fixed host.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HostKind {
    Pattern,
    Fixed,
}

/// Checks a host as it goes between `https://` and the path: what is wrong and how to mend it.
fn check_host(host: &str, kind: HostKind) -> Result<(), (String, String)> {
    let plain =
        "write the host name alone (`ecs.aliyuncs.com`): the SDK adds the scheme and the path";
    let fail = |message: &str, help: &str| Err((message.to_owned(), help.to_owned()));
    if host.trim().is_empty() {
        return fail("is empty", plain);
    }
    if host.contains("://") {
        return fail("has a scheme", plain);
    }
    if host.contains('@') {
        return fail("has user information (`user@`)", plain);
    }
    if host.contains('/') {
        return fail("has a path", plain);
    }
    if host.contains('?') {
        return fail("has a query", plain);
    }
    if host.contains('#') {
        return fail("has a fragment", plain);
    }
    if host.contains(':') {
        return fail(
            "has a port",
            "the SDK always calls port 443: remove the port",
        );
    }
    if host.chars().any(char::is_whitespace) {
        return fail("has a space in it", "a host name has no spaces");
    }
    let placeholders = host.matches(REGION_PLACEHOLDER).count();
    let without = host.replace(REGION_PLACEHOLDER, "");
    if let Some(at) = without.find(['{', '}']) {
        let rest = &without[at..];
        let end = rest.find('}').map_or(rest.len(), |i| i + 1);
        return fail(
            &format!("has the placeholder `{}`", &rest[..end]),
            "`{region_id}` is the only placeholder a host can have",
        );
    }
    match (kind, placeholders) {
        (HostKind::Fixed, 0) | (HostKind::Pattern, 1) => {}
        (HostKind::Fixed, _) => {
            return fail(
                "has `{region_id}`, but this host serves fixed regions",
                "write the host itself; a host that follows the region goes under `regional:`",
            );
        }
        (HostKind::Pattern, 0) => {
            return fail(
                "has no `{region_id}`",
                "write the region's place in the host as `{region_id}`",
            );
        }
        (HostKind::Pattern, _) => {
            return fail(
                "has `{region_id}` more than once",
                "write the region's place in the host once",
            );
        }
    }
    let labels: Vec<&str> = host.split('.').collect();
    if kind == HostKind::Pattern {
        let at = labels
            .iter()
            .position(|l| l.contains(REGION_PLACEHOLDER))
            .unwrap_or_default();
        // The region goes inside the host, never as all of its first label nor in its domain:
        // `ecs.{region_id}.aliyuncs.com` and `ecs-{region_id}.aliyuncs.com` (Alibaba's own
        // forms) keep fixed text before it and a domain of two labels after it.
        let alone = labels.get(at).is_some_and(|l| *l == REGION_PLACEHOLDER);
        if (at == 0 && alone) || labels.len() - at - 1 < 2 {
            return fail(
                "does not have `{region_id}` between fixed text and a domain of two labels",
                "put the region inside the host: `ecs.{region_id}.aliyuncs.com` or `ecs-{region_id}.aliyuncs.com`",
            );
        }
    }
    let concrete = host.replace(REGION_PLACEHOLDER, SAMPLE_REGION);
    if concrete.len() > 253 {
        return fail(
            "is longer than 253 characters",
            "a host name has at most 253 characters",
        );
    }
    for label in concrete.split('.') {
        if label.is_empty() {
            return fail(
                "has an empty label (`..`, or a dot at an end)",
                "remove the extra dot",
            );
        }
        if label.len() > 63 {
            return fail(
                &format!("has the label `{label}`, longer than 63 characters"),
                "each dot-separated label of a host name has at most 63 characters",
            );
        }
        if let Some(c) = label
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
        {
            return fail(
                &format!("has `{c}`, which a host name cannot hold"),
                "a host name holds ASCII letters, digits, `-` and dots",
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            return fail(
                &format!("has the label `{label}`, which starts or ends with `-`"),
                "a label of a host name starts and ends with a letter or digit",
            );
        }
    }
    Ok(())
}
