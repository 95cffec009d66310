//! HTML pages the simulated servers render, and what a browser reads from them: forms
//! (to fill and submit), subresources (to load) and frames (to show inside the page). Parsing uses the `tl` crate.

/// A form on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub id: Option<String>,
    pub method: String,
    pub action: String,
    /// Inputs with a name, in document order: (name, type, value).
    pub inputs: Vec<(String, String, String)>,
    /// Submit buttons with a name: (name, value, label).
    pub buttons: Vec<(String, String, String)>,
}

/// What a browser needs to know about a page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub title: String,
    pub forms: Vec<Form>,
    /// `src` of `<img>` and `<script>` elements, in document order.
    pub subresources: Vec<String>,
    /// `src` of `<iframe>` elements: other pages shown inside this one.
    pub frames: Vec<String>,
    /// The text of the element with `id="decoy"`: something on this page that invites
    /// a click and lies over a frame (the clickjacking setup of RFC 9700 §4.16).
    pub decoy: Option<String>,
    /// `content` of `<meta name="referrer">`, if any.
    pub meta_referrer: Option<String>,
    /// Visible text, whitespace-collapsed.
    pub text: String,
}

fn attr(tag: &tl::HTMLTag<'_>, name: &str) -> Option<String> {
    tag.attributes()
        .get(name)
        .flatten()
        .map(|v| decode_entities(&v.as_utf8_str()))
}

/// Decodes the few character references our pages use.
fn decode_entities(s: &str) -> String {
    // Most values hold no entity at all: no copy per entity then.
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return s.to_string();
    }
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Parses a page. Malformed HTML yields whatever could be read (never an error).
pub fn parse_page(html: &str) -> Page {
    let Ok(dom) = tl::parse(html, tl::ParserOptions::default()) else {
        return Page::default();
    };
    let parser = dom.parser();
    let mut page = Page::default();
    // One pass over the document collects what the browser needs.
    let mut forms = Vec::new();
    let mut body = None;
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else { continue };
        if page.decoy.is_none() && attr(tag, "id").as_deref() == Some("decoy") {
            page.decoy = Some(tag.inner_text(parser).trim().to_string());
        }
        match tag.name().as_utf8_str().to_ascii_lowercase().as_str() {
            "title" if page.title.is_empty() => {
                page.title = tag.inner_text(parser).trim().to_string()
            }
            "meta" if attr(tag, "name").as_deref() == Some("referrer") => {
                page.meta_referrer = attr(tag, "content")
            }
            "img" | "script" => page.subresources.extend(attr(tag, "src")),
            "iframe" => page.frames.extend(attr(tag, "src")),
            "form" => forms.push(tag),
            "body" if body.is_none() => body = Some(tag),
            _ => {}
        }
    }
    for f in forms {
        let mut form = Form {
            id: attr(f, "id"),
            method: attr(f, "method")
                .unwrap_or_else(|| "get".into())
                .to_ascii_uppercase(),
            action: attr(f, "action").unwrap_or_default(),
            inputs: Vec::new(),
            buttons: Vec::new(),
        };
        for child in f.query_selector(parser, "input").into_iter().flatten() {
            if let Some(tag) = child.get(parser).and_then(|n| n.as_tag())
                && let Some(name) = attr(tag, "name")
            {
                let ty = attr(tag, "type").unwrap_or_else(|| "text".into());
                form.inputs
                    .push((name, ty, attr(tag, "value").unwrap_or_default()));
            }
        }
        for child in f.query_selector(parser, "button").into_iter().flatten() {
            if let Some(tag) = child.get(parser).and_then(|n| n.as_tag())
                && let Some(name) = attr(tag, "name")
            {
                let label = tag.inner_text(parser).trim().to_string();
                form.buttons
                    .push((name, attr(tag, "value").unwrap_or_default(), label));
            }
        }
        page.forms.push(form);
    }
    page.text = body.map(|b| visible_text(b, parser)).unwrap_or_default();
    page
}

/// The visible text under a tag: its text nodes, separated by spaces (so that
/// `<h1>A</h1><p>B</p>` reads "A B"), whitespace-collapsed, character references decoded.
fn visible_text(tag: &tl::HTMLTag<'_>, parser: &tl::Parser<'_>) -> String {
    let mut words = Vec::new();
    for handle in tag.children().all(parser) {
        if let tl::Node::Raw(bytes) = handle {
            words.extend(
                decode_entities(&bytes.as_utf8_str())
                    .split_whitespace()
                    .map(str::to_string),
            );
        }
    }
    words.join(" ")
}

/// A minimal page with a title, a referrer policy (if any) and body HTML.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><title>{}</title></head>\n<body>\n{}\n</body></html>\n",
        escape(title),
        body
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_forms_buttons_images_and_text() {
        let html = page(
            "Sign in",
            r#"<h1>Sign in to as.example</h1>
<form id="login" method="post" action="/login">
<input type="hidden" name="txn" value="t&amp;1">
<input name="username"><input type="password" name="password">
<button type="submit" name="decision" value="approve">Allow</button>
</form><img src="https://cdn.example/logo.png">"#,
        );
        let p = parse_page(&html);
        assert_eq!(p.title, "Sign in");
        assert_eq!(p.subresources, vec!["https://cdn.example/logo.png"]);
        let f = &p.forms[0];
        assert_eq!(f.method, "POST");
        assert_eq!(f.action, "/login");
        assert_eq!(f.inputs[0], ("txn".into(), "hidden".into(), "t&1".into()));
        assert_eq!(f.inputs[2].1, "password");
        assert_eq!(
            f.buttons[0],
            ("decision".into(), "approve".into(), "Allow".into())
        );
        assert!(p.text.contains("Sign in to as.example"));
        let p = parse_page(&page(
            "t",
            "<h1>Photo Printer</h1><p>Grandma&#39;s <b>90th</b></p>",
        ));
        assert_eq!(p.text, "Photo Printer Grandma's 90th");
    }

    #[test]
    fn reads_frames_and_the_decoy_over_them() {
        let p = parse_page(&page(
            "Win",
            r#"<iframe src="https://as.example/authorize?x=1&amp;y=2"></iframe>
<button id="decoy">Claim your prize</button>"#,
        ));
        assert_eq!(p.frames, vec!["https://as.example/authorize?x=1&y=2"]);
        assert_eq!(p.decoy.as_deref(), Some("Claim your prize"));
        assert_eq!(parse_page(&page("t", "<p>x</p>")).decoy, None);
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "<",
            "<form",
            "<<<>>>",
            "<form><input name=></form>",
            "\u{0}\u{ffff}",
        ] {
            let _ = parse_page(s);
        }
    }
}
