//! Spec texts refused before they are parsed (nesting too deep to read safely), and one read
//! despite a byte order mark.

use super::*;

#[test]
fn a_value_nested_fifty_thousand_levels_deep_is_refused_before_it_is_parsed() {
    let depth = 50_000;
    let text = GOOD.broken(
        "    title: Lists things.",
        &format!("    title: {}{}", "[".repeat(depth), "]".repeat(depth)),
    );
    let line = line_of(&text, "title: [[[");
    // The scanner reads brackets ahead and gives up at the 256th, at column 12 + 255, before the
    // 65th level is reached as an event.
    assert_eq!(
        report_of(&text),
        format!(
            "specs/demo.yaml:{line}:267: values nest more than 64 levels deep here\n  help: a spec \
             nests a few levels (operations, fields, items, values); close the brackets or fix \
             the indentation that opens level after level"
        )
    );
}

#[test]
fn block_mappings_nested_by_indentation_are_refused_too() {
    let mut nested = String::new();
    for level in 0..3_000 {
        nested.push('\n');
        nested.push_str(&" ".repeat(level + 6));
        nested.push_str("k:");
    }
    nested.push_str(" 1");
    let text = GOOD.broken("    title: Lists things.", &format!("    title:{nested}"));
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_first_says(&errors, "more than 64 levels");
    // The document, `operations` and the operation are three levels: the 62nd `k:` is past the
    // limit, on the 62nd line after `title:`; the scanner marks a block mapping's start at the
    // colon of its first key.
    assert_eq!(
        (errors[0].line, errors[0].column),
        (line_of(&text, "title:") + 62, 6 + 61 + 2),
        "{}",
        errors[0]
    );
}

#[test]
fn a_spec_with_a_byte_order_mark_is_read() {
    let text = format!("\u{feff}{}", GOOD.0);
    let products = validate_all(&[SpecSource {
        name: "specs/demo.yaml".into(),
        text,
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(products[0].module, "demo");
}
