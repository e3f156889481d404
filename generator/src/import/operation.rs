//! One operation of the metadata to an entry of `operations:`: methods, request parameters,
//! response, errors, paging and samples.

use std::collections::BTreeSet;

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use super::Summary;
use super::deprecation;
use super::error::{At, ImportError};
use super::names::TypeNames;
use super::notes::ReviewKind;
use super::parameter::{parameter, reserved_header};
use super::responses::{self, ResponseSource};
use super::schema::{SchemaReader, text};

/// Actions whose names say they only read: the client may repeat them after a failure that may
/// have reached the service.
const READ_ONLY_PREFIXES: &[&str] = &["Describe", "List", "Get", "Query"];

/// Maps the operation `action` at `at`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn operation<'a>(
    names: &mut TypeNames,
    components: Option<&'a serde_json::Map<String, Value>>,
    summary: &mut Summary,
    action: &'a str,
    api: &'a Value,
    at: &At<'_>,
    facts: Option<(&'a Value, At<'_>)>,
    file: &str,
) -> Result<Yaml, ImportError> {
    if !api.is_object() {
        return Err(at.error(
            "the operation is not an object",
            "give `methods` and `parameters` under the action's name",
        ));
    }
    let mut notes_total = std::mem::take(&mut summary.notes);
    let mut reader = SchemaReader {
        names,
        components,
        action,
        notes: &mut notes_total,
        following: Vec::new(),
        trail: Vec::new(),
        secrets: Vec::new(),
        expanded: std::collections::BTreeMap::new(),
    };
    let mut op = Mapping::new();
    op.insert("action".into(), action.into());
    // Without a summary in the metadata there is no title: the docs open with the facts.
    if let Some(title) = text(api, "summary").or_else(|| text(api, "title")) {
        op.insert("title".into(), title.into());
    }
    if let Some(d) = text(api, "description") {
        op.insert("description".into(), d.into());
    }
    let mut op_notes: Vec<String> = Vec::new();
    op.insert(
        "methods".into(),
        Yaml::Sequence(methods(api, at, &mut op_notes, &mut reader)?),
    );
    if READ_ONLY_PREFIXES.iter().any(|p| {
        action
            .strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
    }) {
        op.insert("read_only".into(), true.into());
    }
    if anonymous(api) {
        op.insert("anonymous".into(), true.into());
    }
    if api.get("deprecated").and_then(Value::as_bool) == Some(true) {
        op.insert("deprecated".into(), deprecation::OPERATION.into());
    }
    op.insert(
        "sources".into(),
        Yaml::Sequence(vec![format!("metadata: {file}").into()]),
    );

    let params_at = at.key("parameters");
    let params = match api.get("parameters") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(p)) => p.as_slice(),
        Some(_) => {
            return Err(params_at.error(
                "`parameters` is not a list",
                "give the parameters as a list",
            ));
        }
    };
    let mut request = Vec::new();
    let mut taken = BTreeSet::new();
    let mut wire_names = BTreeSet::new();
    let mut request_types = std::collections::BTreeMap::new();
    let mut firsts: std::collections::BTreeMap<&str, &Value> = std::collections::BTreeMap::new();
    for (i, p) in params.iter().enumerate() {
        let here = params_at.index(i);
        // The metadata lists some parameters twice (ECS's RegionId in a hundred operations): the
        // same one again says nothing new; a different one is for a person to settle.
        if let Some(name) = p.get("name").and_then(Value::as_str) {
            if let Some(first) = firsts.get(name) {
                if *first != p {
                    op_notes.push(reader.notes.review(
                        ReviewKind::DuplicateParameter,
                        &format!("the metadata lists `{name}` twice, differently ({}); the first is kept", here.path),
                    ));
                }
                continue;
            }
            firsts.insert(name, p);
        }
        // Sent, such a parameter would put a second copy of the client's own header on the
        // wire; left out, the call still goes (with the client's value).
        if let Some((name, reserved)) = reserved_header(p) {
            op_notes.push(reader.notes.review(
                ReviewKind::ReservedHeader,
                &format!(
                    "header parameter `{name}` ({}) is named like the `{reserved}` header, which the client sets itself on every call; it was left out",
                    here.path
                ),
            ));
            continue;
        }
        if let Some(name) = super::parameter::bad_header_name(p) {
            op_notes.push(reader.notes.review(
                ReviewKind::BadName,
                &format!(
                    "header parameter `{name}` ({}) is not an HTTP header name (ASCII letters, digits and `-`); it was left out",
                    here.path
                ),
            ));
            continue;
        }
        let field = parameter(&mut reader, p, &here, &mut taken)?;
        let name = field
            .get("name")
            .and_then(Yaml::as_str)
            .unwrap_or("")
            .to_owned();
        wire_names.insert(name.clone());
        let mut ty = field
            .get("type")
            .and_then(Yaml::as_str)
            .unwrap_or("")
            .to_owned();
        if field.get("required").and_then(Yaml::as_bool) == Some(true) {
            // A paginator sets the page parameters page after page: a required one (a plain
            // value, not an option) does not page.
            ty.push_str(" (required)");
        }
        request_types.insert(name, ty);
        request.push(field);
    }
    // A flat parameter that a list, object or map beside it also writes goes: the request would
    // send its name twice.
    for name in super::overlaps::fold(&mut request, &reader.names.shapes) {
        request_types.remove(&name);
        wire_names.remove(&name);
    }
    summary.parameters += request.len();
    deprecation::name_replacements(&mut request, params);

    let (fields, response_notes, source) = responses::response_fields(&mut reader, api, at, facts)?;
    op_notes.extend(response_notes);
    match source {
        ResponseSource::Metadata => summary.responses_from_metadata += 1,
        ResponseSource::Facts => summary.responses_from_facts += 1,
        ResponseSource::None => summary.responses_untyped += 1,
    }
    let paging = paging(&request_types, &fields, &mut op_notes, &mut reader);
    let errors = responses::errors(api, at)?;
    let samples = responses::samples(api, at, &mut op_notes)?;
    summary.secrets.append(&mut reader.secrets);
    summary.notes = notes_total;

    if !op_notes.is_empty() {
        op.insert(
            "notes".into(),
            Yaml::Sequence(op_notes.into_iter().map(Yaml::from).collect()),
        );
    }
    op.insert("request".into(), Yaml::Sequence(request));
    let mut response = Mapping::new();
    if source == ResponseSource::Facts {
        response.insert(
            "description".into(),
            "Fields as the official SDK's response model declares them (specs/responses/).".into(),
        );
    }
    response.insert("fields".into(), Yaml::Sequence(fields));
    op.insert("response".into(), Yaml::Mapping(response));
    if !errors.is_empty() {
        op.insert("errors".into(), Yaml::Sequence(errors));
    }
    if let Some(p) = paging {
        summary.paged += 1;
        op.insert("paging".into(), p);
    }
    if !samples.is_empty() {
        op.insert("samples".into(), Yaml::Sequence(samples));
    }
    summary.operations += 1;
    Ok(Yaml::Mapping(op))
}

/// `methods:` in upper case, the one the SDK sends first: POST whenever the metadata allows it,
/// as the official SDKs send it (the metadata's order says nothing: 134 operations of the seed
/// products list GET first and take POST), else the metadata's first. An RPC call takes POST
/// or GET only: the metadata's other methods (PUT, DELETE, 21 CMS operations) are left out with
/// a note, and an operation that lists none of the two is sent as POST, as every RPC action is
/// served by POST.
fn methods(
    api: &Value,
    at: &At<'_>,
    notes: &mut Vec<String>,
    reader: &mut SchemaReader<'_, '_>,
) -> Result<Vec<Yaml>, ImportError> {
    let at = at.key("methods");
    let list = api
        .get("methods")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut dropped = Vec::new();
    for (i, m) in list.iter().enumerate() {
        let Some(m) = m.as_str() else {
            return Err(at.index(i).error(
                "a method that is not text",
                "write methods as text: \"post\"",
            ));
        };
        let upper = m.to_ascii_uppercase();
        if upper != "GET" && upper != "POST" {
            if !dropped.contains(&upper) {
                dropped.push(upper);
            }
            continue;
        }
        let y: Yaml = upper.into();
        if !out.contains(&y) {
            out.push(y);
        }
    }
    if out.is_empty() {
        out.push("POST".into());
    }
    if let Some(post) = out.iter().position(|m| m.as_str() == Some("POST")) {
        let post = out.remove(post);
        out.insert(0, post);
    }
    if !dropped.is_empty() || list.is_empty() {
        let listed = if list.is_empty() {
            "no method".to_owned()
        } else {
            format!("`{}`", dropped.join("`, `"))
        };
        notes.push(reader.notes.review(
            ReviewKind::HttpMethod,
            &format!(
                "the metadata lists {listed}, which an RPC call does not take (only POST and GET); left out, the SDK sends {}",
                out.first().and_then(Yaml::as_str).unwrap_or("POST")
            ),
        ));
    }
    Ok(out)
}

/// Whether the operation is called without a signature: the metadata's security is
/// `Anonymous` or `ARS_OIDC` (the caller's proof is a parameter, a SAML assertion or an OIDC
/// token), and not also `AK`.
fn anonymous(api: &Value) -> bool {
    let Some(security) = api.get("security").and_then(Value::as_array) else {
        return false;
    };
    let schemes: BTreeSet<&str> = security
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|o| o.keys().map(String::as_str))
        .collect();
    !schemes.is_empty()
        && !schemes.contains("AK")
        && schemes
            .iter()
            .all(|s| matches!(*s, "Anonymous" | "ARS_OIDC"))
}

/// The paging the parameters and the response fields allow: page numbers with a list in the
/// response, or tokens with a token and a list in the response.
fn paging(
    request: &std::collections::BTreeMap<String, String>,
    fields: &[Yaml],
    notes: &mut Vec<String>,
    reader: &mut SchemaReader<'_, '_>,
) -> Option<Yaml> {
    let field_type = |name: &str| {
        fields
            .iter()
            .find(|f| f.get("name").and_then(Yaml::as_str) == Some(name))
            .and_then(|f| f.get("type"))
            .and_then(Yaml::as_str)
    };
    let lists: Vec<&str> = fields
        .iter()
        .filter(|f| f.get("type").and_then(Yaml::as_str) == Some("array"))
        .filter_map(|f| f.get("name").and_then(Yaml::as_str))
        .collect();
    let int = |t: Option<&String>| t.is_some_and(|t| t == "integer");
    let numbers = int(request.get("PageNumber")) && int(request.get("PageSize"));
    let tokens = request.get("NextToken").is_some_and(|t| t == "string");
    if !numbers && !tokens {
        return None;
    }
    let mut p = Mapping::new();
    if tokens && field_type("NextToken") == Some("string") && lists.len() == 1 {
        p.insert("next_token".into(), "NextToken".into());
        if int(request.get("MaxResults")) {
            p.insert("max_results".into(), "MaxResults".into());
        }
    } else if numbers && lists.len() == 1 {
        p.insert("page_number".into(), "PageNumber".into());
        p.insert("page_size".into(), "PageSize".into());
        if matches!(field_type("TotalCount"), Some("integer")) {
            p.insert("total_count".into(), "TotalCount".into());
        }
    } else {
        let why = if lists.is_empty() {
            "the response has no list field"
        } else {
            "the response has more than one list field"
        };
        notes.push(reader.notes.review(
            ReviewKind::PagingWithoutItems,
            &format!(
                "the request pages ({}), but {why}: add `paging:` naming the list it pages through",
                if numbers {
                    "PageNumber, PageSize"
                } else {
                    "NextToken"
                }
            ),
        ));
        return None;
    }
    p.insert("items".into(), lists[0].into());
    Some(Yaml::Mapping(p))
}
