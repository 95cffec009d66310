//! The rule against control characters in TOML text (`lessons check` applies it to
//! lesson files).
//!
//! TOML strings may hold any character through escapes (`\u001B`, `\e`; TOML 1.1
//! §String), so a title can carry `ESC ] 52` (write the clipboard) or `ESC [ 2 J`
//! (clear the screen). Printing escapes them anyway ([`crate::terminal_text`]); a
//! lesson file that holds one is still reported, at the escape's line and column,
//! because it is either a mistake or an attack on whoever opens the file.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::source::{Diagnostic, Source};
use crate::terminal_text::{describe_control, first_control, is_terminal_control};

/// Every string (key or value) of the file that holds a control character other
/// than newline and tab. A file that does not parse has none: the parser's own
/// diagnostic says why.
pub fn problems(source: &Source) -> Vec<Diagnostic> {
    let Ok(doc) = DeTable::parse(&source.text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk_table(source, doc.get_ref(), &mut out);
    out
}

fn walk_table(source: &Source, table: &DeTable<'_>, out: &mut Vec<Diagnostic>) {
    for (key, value) in table.iter() {
        check_string(source, key.get_ref(), key.span(), "a key", out);
        walk_value(source, value, out);
    }
}

fn walk_value(source: &Source, value: &Spanned<DeValue<'_>>, out: &mut Vec<Diagnostic>) {
    match value.get_ref() {
        DeValue::String(s) => check_string(source, s, value.span(), "this string", out),
        DeValue::Array(items) => {
            for item in items.iter() {
                walk_value(source, item, out);
            }
        }
        DeValue::Table(t) => walk_table(source, t, out),
        _ => {}
    }
}

fn check_string(
    source: &Source,
    text: &str,
    span: Range<usize>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some((_, c)) = first_control(text) else {
        return;
    };
    let raw = source.text.get(span.clone()).unwrap_or("");
    let at = span.start + escape_offset(raw).unwrap_or(0);
    out.push(source.diagnostic(
        Some(at..at),
        format!(
            "{what} holds the control character {}, which would drive the terminal of whoever reads the lesson; remove it",
            describe_control(c)
        ),
    ));
}

/// The byte offset in a string's source text of the first escape (or raw character)
/// that stands for a control character other than newline and tab.
fn escape_offset(raw: &str) -> Option<usize> {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &raw[i..];
        let c = rest.chars().next()?;
        if c != '\\' {
            if is_terminal_control(c) && c != '\n' && c != '\t' && c != '\r' {
                return Some(i);
            }
            i += c.len_utf8();
            continue;
        }
        let decoded = match rest[1..].chars().next() {
            Some('e') => Some('\u{1b}'),
            Some('b') => Some('\u{8}'),
            Some('f') => Some('\u{c}'),
            Some('r') => Some('\r'),
            Some('x') => hex_char(rest.get(2..4)),
            Some('u') => hex_char(rest.get(2..6)),
            Some('U') => hex_char(rest.get(2..10)),
            _ => None,
        };
        if decoded.is_some_and(|c| is_terminal_control(c) && c != '\n' && c != '\t') {
            return Some(i);
        }
        // Skip the backslash and the escaped character (`\\` included).
        i += 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
    }
    None
}

fn hex_char(digits: Option<&str>) -> Option<char> {
    u32::from_str_radix(digits?, 16)
        .ok()
        .and_then(char::from_u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_found_at_their_column() {
        let text = "id = \"x\"\ntitle = \"Hi \\u001B]0;pwned\\u0007\"\nsummary = '''\nok\\e'''\n";
        let d = problems(&Source::new("l.toml", text));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 2);
        assert_eq!(d[0].column, 13);
        assert!(d[0].message.contains("U+001B (ESC)"), "{}", d[0].message);
        let clean = "title = \"tab\\there\\nnewline \\\\u001B\"\n";
        assert!(problems(&Source::new("c.toml", clean)).is_empty());
        let bell = "[[part]]\ntext = \"\\e[2J\"\n";
        let d = problems(&Source::new("b.toml", bell));
        assert_eq!((d[0].line, d[0].column), (2, 9));
    }
}
