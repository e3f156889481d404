//! Cutting bodies and texts short for errors, with secrets blanked before the cut so that no
//! half of a secret is left where the text ends.

use std::borrow::Cow;

use super::{hide_secrets, redact_secrets, redact_values};

/// How much of a body an error quotes, in characters: a
/// [`DecodeError`](crate::decode::DecodeError)'s excerpt, and a
/// [`ServiceError`](crate::ServiceError)'s when the body is not an error document.
pub const EXCERPT_CHARS: usize = 200;

/// How much of each text an error body gives (code, message, request id...) an error keeps, in
/// characters: a 200 MB message must not become a 200 MB `Display`.
pub(crate) const MESSAGE_CHARS: usize = 2048;

/// How far past the part kept a text is searched for secrets before it is cut, in bytes: enough
/// for an STS token encoded twice, so that no secret straddling the cut leaves half of itself
/// behind.
const SECRET_MARGIN: usize = 8 * 1024;

/// How much of a body is read for an XML error document or an excerpt, in bytes: neither needs
/// more, and a large body is never copied whole to be cleared.
const BODY_WINDOW: usize = 64 * 1024;

/// The first `max` characters of a body, cut on a character boundary. Only the start of the
/// body is looked at (a character is at most 4 bytes), so a large body costs nothing here.
pub fn excerpt(body: &[u8], max: usize) -> String {
    let window = body
        .get(..max.saturating_mul(4).saturating_add(4))
        .unwrap_or(body);
    let text = String::from_utf8_lossy(window);
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() || window.len() < body.len() {
        out.push('…');
    }
    out
}

/// The first [`EXCERPT_CHARS`] characters of a body as it arrived, with `secrets` blanked
/// before the cut.
pub(crate) fn verbatim_excerpt(body: &[u8], secrets: &[&str]) -> String {
    let start = excerpt(body, EXCERPT_CHARS * 4);
    let hidden = hide_secrets(&start, secrets);
    excerpt(hidden.as_bytes(), EXCERPT_CHARS)
}

/// The first [`EXCERPT_CHARS`] characters of a body, whitespace collapsed (an HTML page reads
/// better on one line), secrets blanked.
pub(crate) fn collapsed_excerpt(body: &[u8], secrets: &[&str]) -> String {
    let text = body_window(body);
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let hidden = redact_values(&collapsed, secrets);
    let redacted = redact_secrets(&hidden);
    match redacted.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", redacted.get(..cut).unwrap_or_default()),
        None => redacted.into_owned(),
    }
}

/// The start of a body, at most [`BODY_WINDOW`] bytes, as text.
pub(crate) fn body_window(body: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(body.get(..BODY_WINDOW).unwrap_or(body))
}

/// What an error keeps of a text from outside (a token a service sent, a URL a redirect named, a
/// message from a library quoting its input): the first [`MESSAGE_CHARS`] characters, the value
/// after any secret's name blanked, and when cut, its full length.
pub(crate) fn cut_for_error(text: &str) -> String {
    hidden_and_cut(text, &[], MESSAGE_CHARS)
}

/// The first `max` characters of `text` with `secrets` blanked, cleared before the cut (and only
/// as far as [`SECRET_MARGIN`] past it); a text cut short ends with `…` and its full length.
pub(crate) fn hidden_and_cut(text: &str, secrets: &[&str], max: usize) -> String {
    let window_end = text.char_indices().nth(max).map(|(at, _)| at).map(|cut| {
        let mut end = cut.saturating_add(SECRET_MARGIN).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        end
    });
    let Some(window_end) = window_end else {
        return hide_secrets(text, secrets);
    };
    let hidden = hide_secrets(text.get(..window_end).unwrap_or(text), secrets);
    match hidden.char_indices().nth(max) {
        Some((cut, _)) => format!(
            "{}… ({} bytes in all)",
            hidden.get(..cut).unwrap_or_default(),
            text.len()
        ),
        None => hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_keeps_at_most_its_share_of_a_text_and_says_how_long_it_was() {
        assert_eq!(cut_for_error("short"), "short");
        let long = "令".repeat(60_000);
        let kept = cut_for_error(&long);
        assert!(kept.starts_with(&"令".repeat(MESSAGE_CHARS)));
        assert_eq!(
            kept.chars().count(),
            MESSAGE_CHARS + "… (180000 bytes in all)".chars().count()
        );
        assert!(kept.ends_with("… (180000 bytes in all)"), "{kept}");
    }

    #[test]
    fn excerpt_cuts_on_a_character_boundary() {
        assert_eq!(excerpt("镜像镜像".as_bytes(), 2), "镜像…");
        assert_eq!(excerpt(b"ab", 5), "ab");
    }
}
