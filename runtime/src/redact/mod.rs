//! Every rule that keeps a secret out of what the SDK shows: `Debug` output, error messages,
//! `tracing` lines, anomalies and excerpts of bodies.
//!
//! The secrets are the AccessKey secret, the STS security token and the ECS metadata service's
//! session token. They can surface in three ways, each with its rule here: under a name the
//! protocol gives them (a query parameter, a header, a key in a body a proxy echoes), as their
//! own value quoted anywhere (a signature-mismatch message quotes the string to sign, with the
//! token percent-encoded once or twice), and inside the user name and password of a URL. Texts
//! are cleared before they are cut short ([`excerpt`]), so that no half of a secret is left at a
//! cut.

use std::borrow::Cow;

pub(crate) mod excerpt;

/// Text shown in place of a secret, the same everywhere (errors, `Debug`, logs, signed
/// queries shown for debugging), so that a search of a log for it finds every place.
pub(crate) const REDACTED: &str = "<redacted>";

/// Query parameters whose values are secrets: never shown by `Debug`.
const SECRET_QUERY_KEYS: &[&str] = &["SecurityToken"];

/// Headers whose values are secrets: never shown by `Debug`. The ECS metadata service's session
/// token is one, since whoever holds it can read the instance's role credentials.
const SECRET_HEADERS: &[&str] = &["x-acs-security-token", "x-aliyun-ecs-metadata-token"];

/// The names a secret may be quoted under in a body: the V2 query parameter, the V3 header,
/// and the secret's own name as the CLI's profile file and some proxies print it. Lower case:
/// bodies are searched without regard to case.
const SECRET_KEYS: &[&str] = &["securitytoken", "x-acs-security-token", "accesskeysecret"];

/// What ends an unquoted value in a query, a header line, JSON or HTML, lower case.
const VALUE_ENDS: &[&str] = &[
    "&", "%26", "%2526", "\"", "'", ",", " ", "<", "\n", "\r", "\\", ";", "}",
];

/// `text` with the given secret values and anything quoted under a secret's name blanked.
pub(crate) fn hide_secrets(text: &str, secrets: &[&str]) -> String {
    redact_secrets(&redact_values(text, secrets)).into_owned()
}

/// [`hide_secrets`] on every string inside a JSON value.
pub(crate) fn hide_in_value(value: &mut serde_json::Value, secrets: &[&str]) {
    match value {
        serde_json::Value::String(text) => *text = hide_secrets(text, secrets),
        serde_json::Value::Array(items) => {
            items
                .iter_mut()
                .for_each(|item| hide_in_value(item, secrets));
        }
        serde_json::Value::Object(fields) => {
            fields
                .values_mut()
                .for_each(|item| hide_in_value(item, secrets));
        }
        _ => {}
    }
}

/// Blanks the value after a secret's name (`SecurityToken=`, `x-acs-security-token: `,
/// `"AccessKeySecret": "..."`, or their encoded forms): a signature-mismatch message quotes the
/// server's string to sign, which with V2 holds the security token, and a debugging proxy's error
/// page may echo the request's headers.
pub(crate) fn redact_secrets(text: &str) -> Cow<'_, str> {
    // ASCII lower-casing keeps every byte offset, so positions found in `lower` cut `text`.
    let lower = text.to_ascii_lowercase();
    let next_key = |from: usize| {
        SECRET_KEYS
            .iter()
            .filter_map(|key| {
                let at = lower.get(from..)?.find(key)? + from;
                Some(at + key.len())
            })
            .min()
    };
    let Some(mut after_key) = next_key(0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    loop {
        let mut resume = after_key;
        if let Some((start, end)) = secret_value_span(&lower, after_key) {
            if end > start {
                out.push_str(text.get(copied..start).unwrap_or_default());
                out.push_str(REDACTED);
                copied = end;
                resume = end;
            }
        }
        match next_key(resume) {
            Some(next) => after_key = next,
            None => break,
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

/// Where the value after a secret's name starts and ends in `lower` (the text, lower-cased):
/// past the name's closing quote, spaces, a separator (`=`, `:`, or either percent-encoded once or
/// twice), spaces and an opening quote; up to the matching quote, or to the first character that
/// ends a value. `None` when no separator follows: the name was only mentioned.
fn secret_value_span(lower: &str, after_key: usize) -> Option<(usize, usize)> {
    let rest = lower.get(after_key..)?;
    let rest = rest
        .strip_prefix("\\\"")
        .or_else(|| rest.strip_prefix(['"', '\'']))
        .unwrap_or(rest);
    let rest = rest.trim_start_matches(' ');
    let rest = ["%253d", "%253a", "%3d", "%3a", "=", ":"]
        .iter()
        .find_map(|separator| rest.strip_prefix(separator))?;
    let rest = rest.trim_start_matches(' ');
    let (rest, quote) = match rest.strip_prefix("\\\"") {
        Some(inner) => (inner, Some("\\\"")),
        None => match rest.chars().next() {
            Some(q @ ('"' | '\'')) => (rest.get(1..)?, Some(if q == '"' { "\"" } else { "'" })),
            _ => (rest, None),
        },
    };
    let start = lower.len() - rest.len();
    let len = match quote {
        Some(quote) => rest.find(quote).unwrap_or(rest.len()),
        None => VALUE_ENDS
            .iter()
            .filter_map(|end| rest.find(end))
            .min()
            .unwrap_or(rest.len()),
    };
    Some((start, start + len))
}

/// `%2F` as `%2f`: the same escape, as some encoders write it.
fn lower_hex_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut chars = encoded.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
        }
    }
    out
}

/// Blanks every occurrence of the given secret values in `text`: as sent, percent-encoded once or
/// twice (a string to sign quotes the encoded query; upper- or lower-case hex), and escaped as a
/// JSON string (`\/`).
pub(crate) fn redact_values<'a>(text: &'a str, secrets: &[&str]) -> Cow<'a, str> {
    let mut forms: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|secret| !secret.is_empty()) {
        let once = crate::wire::percent_encode(secret);
        let twice = crate::wire::percent_encode(&once);
        let json = secret
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('/', "\\/");
        forms.extend([
            lower_hex_escapes(&twice),
            twice,
            lower_hex_escapes(&once),
            once,
            json,
            (*secret).to_owned(),
        ]);
    }
    // Longest first, so that no form is left half-blanked by a shorter one inside it.
    forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    forms.dedup();
    if !forms.iter().any(|form| text.contains(form.as_str())) {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_owned();
    for form in &forms {
        if out.contains(form.as_str()) {
            out = out.replace(form.as_str(), REDACTED);
        }
    }
    Cow::Owned(out)
}

/// Whether a header's value is a secret (compared without regard to case).
pub(crate) fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS
        .iter()
        .any(|secret| name.eq_ignore_ascii_case(secret))
}

/// The URL with a user name and password before the host and the values of secret query
/// parameters replaced, for logs and `Debug`.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = split_user_info(url);
    let Some((base, query)) = rest.split_once('?') else {
        return format!("{scheme}{rest}");
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            if SECRET_QUERY_KEYS.contains(&key) {
                format!("{key}={REDACTED}")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{scheme}{base}?{}", pairs.join("&"))
}

/// The scheme of a URL as given (`https://`, or empty when there is none) and the rest, with
/// everything between the two and the last `@` blanked.
///
/// The last `@` of the whole text, not of the authority a parser would find: a password or a
/// security token may hold `/`, `?` or `#`, each of which ends the authority early, and the part
/// of the password after it would then be shown as a path, a query or a fragment. A text with
/// an `@` only in its query loses its host to this rule, which is the safe side to err on.
fn split_user_info(input: &str) -> (&str, Cow<'_, str>) {
    let (scheme, rest) = match input.find("://") {
        Some(at) if is_scheme(input.get(..at).unwrap_or_default()) => input.split_at(at + 3),
        _ => ("", input),
    };
    match rest.rfind('@') {
        Some(at) => (
            scheme,
            Cow::Owned(format!("{REDACTED}{}", rest.get(at..).unwrap_or_default())),
        ),
        None => (scheme, Cow::Borrowed(rest)),
    }
}

/// Whether `text` is a URL scheme (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`);
/// anything else before a `://` may be part of a password.
fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Scheme, host, port and path of a URL: what an error may name without leaking the query (a
/// signed query holds the security token) or a user name and password before the host (blanked
/// up to the last `@`; see [`split_user_info`]).
pub(crate) fn url_target(url: &str) -> String {
    let (scheme, rest) = split_user_info(url);
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    format!("{scheme}{}", rest.get(..end).unwrap_or_default())
}

/// A URL as `Debug` or an error may quote it whole (an endpoint, a credentials URI the user
/// gave): a user name and password before the host (up to the last `@`; see
/// [`split_user_info`]), the value of every query parameter and the fragment blanked. Every
/// query value, not only those with a secret's name: a credentials URI may be pre-signed
/// (`?Signature=...&Expires=...`) or carry a token under any name.
pub(crate) fn url_without_credentials(input: &str) -> String {
    let (scheme, rest) = split_user_info(input);
    let (rest, fragment) = match rest.split_once('#') {
        Some((rest, _)) => (rest, Some(REDACTED)),
        None => (rest.as_ref(), None),
    };
    let mut shown = String::with_capacity(input.len());
    shown.push_str(scheme);
    match rest.split_once('?') {
        Some((base, query)) => {
            shown.push_str(&redact_secrets(base));
            shown.push('?');
            let pairs: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, value)) if !value.is_empty() => format!("{key}={REDACTED}"),
                    _ => pair.to_owned(),
                })
                .collect();
            shown.push_str(&pairs.join("&"));
        }
        None => shown.push_str(&redact_secrets(rest)),
    }
    if let Some(fragment) = fragment {
        shown.push('#');
        shown.push_str(fragment);
    }
    shown
}

/// A URL as [`url_without_credentials`] shows it, in `Debug` output.
pub(crate) struct ShownUrl<'a>(pub(crate) &'a str);

impl std::fmt::Debug for ShownUrl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&url_without_credentials(self.0), f)
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt::EXCERPT_CHARS;
    use super::*;
    use crate::error::ServiceError;
    use crate::http::HttpResponse;

    fn error(status: u16, body: &str) -> ServiceError {
        ServiceError::from_response(&HttpResponse::new(status, body.to_owned()))
    }

    #[test]
    fn security_token_in_a_message_is_not_shown() {
        let err = error(
            400,
            r#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DAK%26SecurityToken%3Dsts-secret-value%26Timestamp%3D1"}"#,
        );
        let shown = err.to_string();
        assert!(!shown.contains("sts-secret-value"), "{shown}");
        assert!(shown.contains("Timestamp"), "{shown}");
        assert_eq!(
            redact_secrets("a SecurityToken=abc&b=1"),
            "a SecurityToken=<redacted>&b=1"
        );
        assert_eq!(redact_secrets("SecurityTokens"), "SecurityTokens");
    }

    #[test]
    fn secrets_are_blanked_under_every_name_and_encoding() {
        assert_eq!(
            redact_secrets("X-Acs-Security-Token: tok/1+2<br>host: h"),
            "X-Acs-Security-Token: <redacted><br>host: h"
        );
        assert_eq!(
            redact_secrets(r#"{"AccessKeySecret":"s3cr3t","Mode":"AK"}"#),
            r#"{"AccessKeySecret":"<redacted>","Mode":"AK"}"#
        );
        assert_eq!(
            redact_secrets("a%26SecurityToken%3Dabc%26b"),
            "a%26SecurityToken%3D<redacted>%26b"
        );
        assert_eq!(
            redact_values("k=tok%2F1%2B2 and tok/1+2", &["tok/1+2"]),
            "k=<redacted> and <redacted>"
        );
        // Quoted values, single quotes, spaced separators, JSON-escaped quotes.
        for (text, shown) in [
            (
                r#"SecurityToken="tok-1" next"#,
                r#"SecurityToken="<redacted>" next"#,
            ),
            (
                "{'x-acs-security-token': 'tok-2', 'host': 'h'}",
                "{'x-acs-security-token': '<redacted>', 'host': 'h'}",
            ),
            (
                r#"{"AccessKeySecret" : "tok 3", "Mode": "AK"}"#,
                r#"{"AccessKeySecret" : "<redacted>", "Mode": "AK"}"#,
            ),
            (
                r#""body": "{\"SecurityToken\":\"tok-4\"}""#,
                r#""body": "{\"SecurityToken\":\"<redacted>\"}""#,
            ),
            (
                "SECURITYTOKEN%3dtok-5%26x=1",
                "SECURITYTOKEN%3d<redacted>%26x=1",
            ),
            ("a SecurityToken is required", "a SecurityToken is required"),
        ] {
            assert_eq!(redact_secrets(text), shown, "{text}");
        }
        // Encoded forms of a known value: lower-case hex, twice encoded, JSON-escaped.
        assert_eq!(
            redact_values(
                r#"q=tok%2f1%2b2 w=tok%252F1%252B2 j="tok\/1+2""#,
                &["tok/1+2"]
            ),
            r#"q=<redacted> w=<redacted> j="<redacted>""#
        );
        // Every field of an error is cleared, not only the message.
        let body = r#"{"Code":"tok/9","RequestId":"R tok/9","HostId":"h","Recommend":"see tok/9","AccessDeniedDetail":{"PolicyType":"tok/9"}}"#;
        let err = ServiceError::from_response_hiding(&HttpResponse::new(403, body), &["tok/9"]);
        let shown = format!("{err:?} {err}");
        assert!(!shown.contains("tok/9"), "{shown}");
        // A secret that the excerpt would cut in half is blanked before the cut.
        let body = format!("{}tok/1+2-and-more", "x".repeat(EXCERPT_CHARS - 3));
        let err = ServiceError::from_response_hiding(
            &HttpResponse::new(502, body),
            &["tok/1+2-and-more"],
        );
        assert!(
            !err.body_excerpt().unwrap_or_default().contains("tok"),
            "{err}"
        );
    }

    #[test]
    fn user_info_is_blanked_up_to_the_last_at_whatever_it_parses_as() {
        for (url, target, whole) in [
            (
                "https://AK:SeCrEt/attack+Value=9&x@ecs.aliyuncs.com",
                "https://<redacted>@ecs.aliyuncs.com",
                "https://<redacted>@ecs.aliyuncs.com",
            ),
            (
                "http://u:SeCrEt?q#f@h:1/c?Sig=SeCrEt&y=",
                "http://<redacted>@h:1/c",
                "http://<redacted>@h:1/c?Sig=<redacted>&y=",
            ),
            // What comes before a `://` is a scheme only if it looks like one.
            ("AK:SeCrEt://x@h/", "<redacted>@h/", "<redacted>@h/"),
            (
                "http://h/p?k=SeCrEt#SeCrEt",
                "http://h/p",
                "http://h/p?k=<redacted>#<redacted>",
            ),
            (
                "h.example.com:8080",
                "h.example.com:8080",
                "h.example.com:8080",
            ),
        ] {
            assert_eq!(url_target(url), target, "{url}");
            assert_eq!(url_without_credentials(url), whole, "{url}");
        }
        assert_eq!(
            redact_url("https://AK:SeCrEt/x@h/?SecurityToken=t&a=1"),
            "https://<redacted>@h/?SecurityToken=<redacted>&a=1"
        );
    }
}
