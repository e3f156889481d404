//! Why an operation or a parameter is deprecated, and what replaces it, as far as the metadata
//! shows: it marks deprecation with a bare `deprecated: true`, so the reason is read off the
//! parameters that stay (a list carrying the same field, token paging beside page numbers).

use serde_json::Value;
use serde_yaml::Value as Yaml;

/// The note of a deprecated operation: the metadata names no successor.
pub(super) const OPERATION: &str = "deprecated in Alibaba Cloud's API metadata, which names no \
     replacement: see the operation's reference page in the API explorer";

/// The note of a deprecated parameter or field whose replacement the metadata does not show.
pub(super) const UNKNOWN: &str = "deprecated in Alibaba Cloud's API metadata, which names no replacement: \
     see the operation's reference page in the API explorer";

/// Replaces the note of each deprecated parameter of `request` (the imported parameters) with
/// one naming what to use instead, where `params` (the metadata's parameters) show it.
pub(super) fn name_replacements(request: &mut [Yaml], params: &[Value]) {
    let live: Vec<&Value> = params.iter().filter(|p| !is_deprecated(p)).collect();
    for field in request.iter_mut() {
        let Some(map) = field.as_mapping_mut() else {
            continue;
        };
        if map.get("deprecated").and_then(Yaml::as_str) != Some(UNKNOWN) {
            continue;
        }
        let name = map.get("name").and_then(Yaml::as_str).unwrap_or_default();
        if let Some(note) = replacement(name, &live) {
            map.insert("deprecated".into(), note.into());
        }
    }
}

fn is_deprecated(p: &Value) -> bool {
    let marked = |v: &Value| v.get("deprecated").and_then(Value::as_bool) == Some(true);
    marked(p) || p.get("schema").is_some_and(marked)
}

fn named<'a>(live: &[&'a Value], name: &str) -> Option<&'a Value> {
    live.iter()
        .copied()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
}

/// What replaces the parameter `name`, when the parameters that stay show it.
fn replacement(name: &str, live: &[&Value]) -> Option<String> {
    if matches!(name, "PageNumber" | "PageSize") && named(live, "NextToken").is_some() {
        let size = if named(live, "MaxResults").is_some() {
            " and `MaxResults`"
        } else {
            ""
        };
        return Some(format!("use token paging instead: `NextToken`{size}"));
    }
    // A flat parameter that lists or objects of the same operation carry as one of their
    // fields (`Policy` beside `Permissions.N.Policy`): every such holder is named.
    let holders: Vec<String> = live
        .iter()
        .filter_map(|p| {
            let schema = p.get("schema")?;
            let (fields, each) = match schema.get("items") {
                Some(items) => (items.get("properties")?, "each item's"),
                None => (schema.get("properties")?, "its"),
            };
            fields.get(name)?;
            let holder = p.get("name").and_then(Value::as_str)?;
            Some(format!("`{holder}` ({each} `{name}`)"))
        })
        .collect();
    (!holders.is_empty()).then(|| format!("use {} instead", holders.join(" or ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deprecated(name: &str) -> Yaml {
        serde_yaml::from_str(&format!(
            "{{name: {name}, type: string, deprecated: \"{UNKNOWN}\"}}"
        ))
        .unwrap()
    }

    fn note(field: &Yaml) -> &str {
        field
            .get("deprecated")
            .and_then(Yaml::as_str)
            .unwrap_or_default()
    }

    #[test]
    fn a_field_a_list_carries_names_the_list() {
        let params = [
            json!({"name": "Policy", "deprecated": true, "schema": {"type": "string"}}),
            json!({"name": "Permissions", "style": "repeatList", "schema": {"type": "array",
                "items": {"type": "object", "properties": {"Policy": {"type": "string"}}}}}),
            json!({"name": "Stray", "schema": {"type": "string", "deprecated": true}}),
        ];
        let mut request = vec![deprecated("Policy"), deprecated("Stray")];
        name_replacements(&mut request, &params);
        assert_eq!(
            note(&request[0]),
            "use `Permissions` (each item's `Policy`) instead"
        );
        assert_eq!(note(&request[1]), UNKNOWN);
    }

    #[test]
    fn page_numbers_beside_a_token_name_token_paging() {
        let params = [
            json!({"name": "PageNumber", "schema": {"type": "integer", "deprecated": true}}),
            json!({"name": "NextToken", "schema": {"type": "string"}}),
            json!({"name": "MaxResults", "schema": {"type": "integer"}}),
        ];
        let mut request = vec![deprecated("PageNumber")];
        name_replacements(&mut request, &params);
        assert_eq!(
            note(&request[0]),
            "use token paging instead: `NextToken` and `MaxResults`"
        );
    }

    #[test]
    fn a_field_an_object_carries_names_the_object() {
        let params = [
            json!({"name": "ImageName", "schema": {"type": "string", "deprecated": true}}),
            json!({"name": "ImageOptions", "schema": {"type": "object",
                "properties": {"ImageName": {"type": "string"}}}}),
        ];
        let mut request = vec![deprecated("ImageName")];
        name_replacements(&mut request, &params);
        assert_eq!(
            note(&request[0]),
            "use `ImageOptions` (its `ImageName`) instead"
        );
    }
}
