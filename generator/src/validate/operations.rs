//! One operation: its action and methods, request and response, documented errors, paging,
//! deprecation and samples.

use crate::location::NodePath;
use crate::model::{Deprecation, ErrorEntry, ErrorVariant, Operation, Ram};
use crate::naming::{self, generated};
use crate::spec::{DeprecatedSpec, OperationSpec, SpecFile};

use super::Validator;
use super::names::{Role, clear_of};

impl Validator<'_> {
    pub(super) fn operation(
        &mut self,
        spec: &SpecFile,
        op: &OperationSpec,
        path: &NodePath,
    ) -> Operation {
        self.review_notes(&op.notes, path, &format!("operation `{}`", op.action));
        // Actions are written as the service spells them, acronyms in capitals included
        // (`DescribeDiskDefaultKMSKeyId`); the Rust names come from their UpperCamelCase.
        // A few are lower camel case (SCSP's `createTicketWithBizData`): sent as written, named
        // in Rust from their UpperCamelCase all the same.
        let well_formed = op.action.starts_with(|c: char| c.is_ascii_alphabetic())
            && op.action.chars().all(|c| c.is_ascii_alphanumeric());
        if !well_formed {
            self.error(
                &path.key("action"),
                format!(
                    "action `{}` is not an identifier of ASCII letters and digits",
                    op.action
                ),
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

    /// `deprecated: true` or `deprecated: "reason"`; `false` says nothing.
    pub(super) fn deprecation(
        &mut self,
        d: Option<&DeprecatedSpec>,
        path: &NodePath,
    ) -> Option<Deprecation> {
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
}
