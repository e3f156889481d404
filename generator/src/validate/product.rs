//! The product as a whole: its header (module, style, signature), the order in which its parts
//! are checked, and the model assembled from them.

use std::collections::BTreeSet;

use crate::location::NodePath;
use crate::model::{Operation, Product, ScalarType, Signature, Type};
use crate::naming::{self, generated};
use crate::spec::{ProductSpec, SpecFile};

use super::Validator;

impl Validator<'_> {
    pub(super) fn product(&mut self, spec: &SpecFile) -> Product {
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
        if generated::RESERVED_MODULES.contains(&p.module.as_str()) {
            self.error(
                &ppath.key("module"),
                format!(
                    "module `{0}` would make the crate `acs-{1}` in `generated/{0}/`, which another crate of the workspace is",
                    p.module,
                    p.module.replace('_', "-")
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
        let endpoint = self.endpoint(&p.endpoint, &ppath.key("endpoint"));
        self.review_notes(&p.notes, &ppath, &format!("product `{}`", p.code));

        // Shapes: names first, so that fields can refer to any of them.
        self.check_shape_names(spec);
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
        let mut shapes = self.shapes(spec);
        super::shapes::mark_secret_holders(&mut shapes, &mut operations);
        self.check_type_names(&shapes, &operations);
        self.check_operation_names(spec, &operations);
        for (i, op) in operations.iter().enumerate() {
            let declared = spec.operations.get(i).map_or(&[][..], |o| &o.request[..]);
            self.check_limit_test_names(&root.key("operations").index(i), op, declared, &shapes);
            self.check_written_names(&root.key("operations").index(i), op, declared, &shapes);
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
    /// spec, or else the one [`default_example`] picks.
    fn examples(
        &mut self,
        p: &ProductSpec,
        operations: &[Operation],
        path: &NodePath,
    ) -> Vec<String> {
        if p.examples.is_empty() {
            return default_example(operations).into_iter().collect();
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
}

/// The operation a product's example calls when its spec names none: one that a user can run as
/// generated, with credentials and a region only, and that changes nothing. That is a
/// `Describe`/`List`/`Get` call, not deprecated, whose only required parameter (if any) is a
/// text `RegionId`, which the example sets. One that pages comes first (its example prints a
/// table of what the account holds), then the spec's order (for an imported spec, the actions'
/// alphabetical order). A product with no such call gets its first read-only operation, else
/// its first: an example that builds, though the service may refuse what it sends.
fn default_example(operations: &[Operation]) -> Option<String> {
    let runnable = |op: &&Operation| {
        ["Describe", "List", "Get"].iter().any(|verb| {
            op.action
                .strip_prefix(verb)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        }) && op.deprecated.is_none()
            && op
                .request
                .iter()
                .filter(|f| f.required)
                .all(|f| f.wire_name == "RegionId" && f.ty == Type::Scalar(ScalarType::String))
    };
    let pages = |op: &&Operation| op.paging.is_some() || op.token_paging.is_some();
    operations
        .iter()
        .filter(runnable)
        .find(pages)
        .or_else(|| operations.iter().find(runnable))
        .or_else(|| operations.iter().find(|op| op.read_only))
        .or_else(|| operations.first())
        .map(|op| op.action.clone())
}
