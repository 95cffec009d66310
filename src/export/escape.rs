//! Escaping text for each export format, so that any parameter value a learner or an
//! attacker puts into a message renders as itself and never as markup.

/// Text for XML and HTML content and attribute values (XML 1.0 §2.4, §3.3.3): the five
/// markup characters become entities; control characters XML forbids become spaces.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One line of text: line breaks and other control characters become spaces.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Text inside a Mermaid message, note or participant label. Mermaid reads `;` and a
/// line break as the end of a statement, `#…;` as an entity and `%%` as a comment, and
/// passes `<…>` on as HTML, so those characters (and quotes, `&`, backslashes, backticks,
/// braces and `|`) are written as Mermaid's `#NN;` entities.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '#' | ';' | '<' | '>' | '&' | '"' | '%' | '\\' | '`' | '{' | '}' | '|' => {
                out.push_str(&format!("#{};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// Text inside a PlantUML message, note or title. PlantUML's creole reads doubled
/// `* / - _ ~ " [ ]` as markup, `<…>` as tags, `&…;` as entities, `\n` as a line break,
/// `%` as a preprocessor function and `'` as the start of a comment, so those are
/// written as numeric entities.
pub fn plantuml(text: &str) -> String {
    let chars: Vec<char> = one_line(text).chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let doubled =
            |c: char| chars.get(i + 1) == Some(&c) || (i > 0 && chars.get(i - 1) == Some(&c));
        let entity = match c {
            '<' | '>' | '&' | '\\' | '%' | '\'' | '$' | '!' | '#' | ';' | '"' | '~' => true,
            '*' | '/' | '-' | '_' | '[' | ']' | '=' | '.' => doubled(c),
            _ => false,
        };
        if entity {
            out.push_str(&format!("&#{};", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for a Markdown paragraph or table cell (CommonMark §2.4: any ASCII punctuation
/// may be backslash-escaped); line breaks become spaces.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '|'
                | '#'
                | '~'
                | '&'
                | '!'
                | '{'
                | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Markdown code fence long enough that no backtick run inside `body` closes it
/// (CommonMark §4.5).
pub fn fence_for(body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat(longest.max(2) + 1)
}

/// Text for a JSON value inside an HTML `<script>` element: `<` is written as `\u003c`
/// so that no `</script>` can end the element early (HTML §4.12.1.3).
pub fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// The first `max` characters of `text`, with `…` when it was longer.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// Breaks `text` into lines of at most `width` characters at spaces (a word longer than
/// `width` is cut).
pub fn wrap_lines(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "\"<>&;#end%%-->";

    #[test]
    fn xml_escapes_markup() {
        assert_eq!(xml(HOSTILE), "&quot;&lt;&gt;&amp;;#end%%--&gt;");
        assert_eq!(xml("a\u{1}b"), "a b");
    }

    #[test]
    fn mermaid_writes_entities_for_reserved_characters() {
        let m = mermaid(HOSTILE);
        assert!(!m.contains(['"', '<', '>', '&', '%']), "{m}");
        assert_eq!(m.matches(';').count(), m.matches('#').count());
        assert_eq!(mermaid("a\nb"), "a b");
    }

    #[test]
    fn plantuml_escapes_creole_pairs_only() {
        assert_eq!(plantuml("/authorize"), "/authorize");
        assert_eq!(plantuml("a//b"), "a&#47;&#47;b");
        assert!(!plantuml(HOSTILE).contains(['<', '>', '%', '"']));
    }

    #[test]
    fn markdown_and_fences() {
        assert_eq!(markdown("a|b*c"), "a\\|b\\*c");
        assert_eq!(fence_for("x ``` y"), "````");
        assert_eq!(fence_for("x"), "```");
    }

    #[test]
    fn wrap_and_truncate() {
        assert_eq!(wrap_lines("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap_lines("abcdefg", 3), vec!["abc", "def", "g"]);
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(script_json("</script>"), "\\u003c/script>");
    }
}
