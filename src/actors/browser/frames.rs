//! Frames: a page shown inside another site's page (HTML `<iframe>`), and what the
//! framed page says about being framed — `Content-Security-Policy: frame-ancestors`
//! (CSP Level 3 §6.4.2) and `X-Frame-Options` (RFC 7034 §2.1). The browser honours
//! them: a page that forbids it is not shown. Where it is shown, an attacker's page can
//! lay a decoy over it, and the person's click on the decoy lands on the framed page's
//! button instead — clickjacking (RFC 9700 §4.16; docs/PROTOCOL.md item 35).

use http::{Method, StatusCode};

use super::forms::{self, FormKind};
use super::{Browser, MAX_REDIRECTS, Pending, ReferrerSource, fetchable_urls, short};
use crate::actors::Ctx;
use crate::actors::browser::person::ConsentChoice;
use crate::protocol::html::{self, Page};
use crate::protocol::http_wire::{self, Response};
use crate::protocol::params::Params;

/// A frame the browser loaded: where, inside which page, and whether it showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramedPage {
    /// The framed page's URL.
    pub url: String,
    /// The origin of the page around it.
    pub top_origin: String,
    /// Whether the browser showed it.
    pub shown: bool,
    /// Why it did not (the header that forbids it), or what it showed.
    pub why: String,
}

/// A frame's request in flight.
#[derive(Debug, Clone)]
pub(super) struct FrameLoad {
    url: String,
    method: Method,
    body: Vec<u8>,
    content_type: Option<String>,
    /// The URL of the page around the frame.
    top_url: String,
    /// The decoy on the page around it, if any.
    decoy: Option<String>,
    hops: usize,
    /// Whether the person already clicked the decoy (one click per page).
    clicked: bool,
}

/// The origin of a URL (RFC 6454 §4), serialized; empty if it has none.
fn origin_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

/// Why the page in `resp`, loaded from `frame_url`, may not be shown inside a page of
/// `top_url`; `None` if it may. `frame-ancestors` decides when present (CSP Level 3
/// §6.4.2 makes `X-Frame-Options` yield to it); otherwise `X-Frame-Options` `DENY`
/// forbids every framing and `SAMEORIGIN` framing by other origins (RFC 7034 §2.1).
pub fn framing_refusal(resp: &Response, frame_url: &str, top_url: &str) -> Option<String> {
    let top = origin_of(top_url);
    let same_origin = top == origin_of(frame_url);
    let ancestors = resp
        .headers()
        .get_all("content-security-policy")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .find_map(|d| {
            let mut words = d.split_ascii_whitespace();
            words
                .next()
                .filter(|n| n.eq_ignore_ascii_case("frame-ancestors"))
                .map(|_| words.map(str::to_string).collect::<Vec<_>>())
        });
    if let Some(sources) = ancestors {
        let allowed = sources
            .iter()
            .any(|s| s == "*" || s.trim_end_matches('/') == top || (s == "'self'" && same_origin));
        return (!allowed).then(|| {
            format!(
                "Content-Security-Policy: frame-ancestors {} does not allow {top}",
                sources.join(" ")
            )
        });
    }
    let xfo = http_wire::response_header(resp, "x-frame-options")?.trim();
    if xfo.eq_ignore_ascii_case("deny") {
        return Some("X-Frame-Options: DENY".into());
    }
    (xfo.eq_ignore_ascii_case("sameorigin") && !same_origin)
        .then(|| format!("X-Frame-Options: SAMEORIGIN, and {top} is another origin"))
}

impl Browser {
    /// Every frame loaded so far.
    pub fn frames(&self) -> &[FramedPage] {
        &self.framed
    }

    /// Loads the frames of a page just shown.
    pub(super) fn load_frames(&mut self, ctx: &mut Ctx<'_>, page: &Page, source: &ReferrerSource) {
        for u in fetchable_urls(&source.url, &page.frames) {
            ctx.note(format!(
                "Browser: the page frames {}; loading it inside the page.",
                short(u.as_str())
            ));
            let load = FrameLoad {
                url: u.to_string(),
                method: Method::GET,
                body: Vec::new(),
                content_type: None,
                top_url: source.url.clone(),
                decoy: page.decoy.clone(),
                hops: 0,
                clicked: false,
            };
            self.frame_request(ctx, load, source);
        }
    }

    fn frame_request(&mut self, ctx: &mut Ctx<'_>, load: FrameLoad, referrer: &ReferrerSource) {
        if let Some(id) = self.send_http(
            ctx,
            load.method.clone(),
            &load.url,
            load.body.clone(),
            load.content_type.as_deref(),
            Some(referrer),
        ) {
            self.pending.insert(id, Pending::Frame(Box::new(load)));
        }
    }

    /// A response for a frame: a redirect is followed inside the frame; a page is shown
    /// there unless it forbids being framed, and a decoy over it takes the person's click.
    pub(super) fn on_frame_response(
        &mut self,
        ctx: &mut Ctx<'_>,
        mut load: FrameLoad,
        resp: &Response,
    ) {
        self.store_cookies(ctx, &load.url, resp);
        let here = ReferrerSource {
            url: load.url.clone(),
            policy: self.default_policy,
        };
        let status = resp.status();
        if status.is_redirection()
            && let Some(location) = http_wire::response_header(resp, "location")
        {
            let target = url::Url::parse(&load.url)
                .ok()
                .and_then(|b| b.join(location.trim()).ok())
                .filter(|u| matches!(u.scheme(), "http" | "https"));
            let Some(mut target) = target.filter(|_| load.hops < MAX_REDIRECTS) else {
                ctx.note("Browser: the frame's redirect goes nowhere it can follow; the frame stays as it is.");
                return;
            };
            target.set_fragment(None);
            let code = status.as_u16();
            if !matches!(code, 307 | 308) {
                load.method = Method::GET;
                load.body.clear();
                load.content_type = None;
            }
            ctx.note(format!(
                "Browser: inside the frame, {code} → follows the redirect to {}.",
                short(target.as_str())
            ));
            load.url = target.to_string();
            load.hops += 1;
            self.frame_request(ctx, load, &here);
            return;
        }
        let html = http_wire::response_header(resp, "content-type")
            .is_some_and(|ct| ct.trim_start().starts_with("text/html"));
        let top_origin = origin_of(&load.top_url);
        if let Some(why) = framing_refusal(resp, &load.url, &load.top_url) {
            ctx.note(format!(
                "Browser: refuses to show {} inside {top_origin}'s page — {why} (RFC 9700 §4.16); the frame stays blank.",
                short(&load.url)
            ));
            self.framed.push(FramedPage {
                url: load.url,
                top_origin,
                shown: false,
                why,
            });
            return;
        }
        let page = html.then(|| html::parse_page(&http_wire::body_text(resp.body())));
        let title = page
            .as_ref()
            .map(|p| p.title.clone())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| {
                format!(
                    "{} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                )
            });
        ctx.note(format!(
            "Browser: shows “{title}” from {} inside a frame of {top_origin}'s page{}.",
            origin_of(&load.url),
            match &load.decoy {
                Some(d) => format!(", under the decoy “{d}”, made invisible"),
                None => String::new(),
            }
        ));
        self.framed.push(FramedPage {
            url: load.url.clone(),
            top_origin: top_origin.clone(),
            shown: true,
            why: title,
        });
        if status != StatusCode::OK {
            return;
        }
        if let Some(page) = page {
            self.click_through_decoy(ctx, load, &page, &here);
        }
    }

    /// The person clicks the decoy; the click lands on what lies under it in the frame.
    fn click_through_decoy(
        &mut self,
        ctx: &mut Ctx<'_>,
        load: FrameLoad,
        page: &Page,
        here: &ReferrerSource,
    ) {
        let who = self.person.name.clone();
        let Some(decoy) = load.decoy.clone().filter(|_| !load.clicked) else {
            return;
        };
        let Some((form, kind)) = FormKind::first_in(page) else {
            return;
        };
        if kind != FormKind::Consent {
            ctx.note(format!(
                "Browser: the frame shows a {} form; {who}, who sees only “{decoy}”, types nothing into it.",
                kind.id()
            ));
            return;
        }
        // The click hits the button under the decoy: the attacker placed "Allow" there,
        // whatever the person would have chosen on a consent screen she could see.
        let mut clicking = self.person.clone();
        clicking.consent = ConsentChoice::Approve;
        let Ok(sub) =
            forms::submit_with_fields(form, kind, &load.url, &clicking, &Params::default())
        else {
            return;
        };
        ctx.note(format!(
            "Browser: {who} clicks “{decoy}”; the framed consent page lies under it, and the click lands on its “{}” button ({} {}) — {who} never saw the consent screen (clickjacking, RFC 9700 §4.16).",
            sub.pressed.as_deref().unwrap_or(""),
            sub.method,
            short(&sub.url)
        ));
        let (body, content_type) = forms::body_and_content_type(sub.body);
        let next = FrameLoad {
            url: sub.url,
            method: sub.method,
            body,
            content_type,
            clicked: true,
            hops: 0,
            ..load
        };
        self.frame_request(ctx, next, here);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_with(headers: &[(&'static str, &str)]) -> Response {
        let mut r = http_wire::response(StatusCode::OK);
        for &(k, v) in headers {
            r.headers_mut()
                .append(k, http::HeaderValue::from_str(v).unwrap());
        }
        r
    }

    const AS: &str = "https://as.example/consent";
    const EVIL: &str = "https://attacker.example/prize";

    #[test]
    fn frame_ancestors_and_x_frame_options_decide_who_may_frame() {
        assert_eq!(framing_refusal(&page_with(&[]), AS, EVIL), None);
        let none = page_with(&[("content-security-policy", "frame-ancestors 'none'")]);
        assert!(framing_refusal(&none, AS, EVIL).unwrap().contains("'none'"));
        assert!(framing_refusal(&none, AS, "https://as.example/").is_some());
        let deny = page_with(&[("x-frame-options", "DENY")]);
        assert_eq!(
            framing_refusal(&deny, AS, EVIL).as_deref(),
            Some("X-Frame-Options: DENY")
        );
        let same = page_with(&[("x-frame-options", "sameorigin")]);
        assert!(framing_refusal(&same, AS, EVIL).is_some());
        assert_eq!(framing_refusal(&same, AS, "https://as.example/x"), None);
        let listed = page_with(&[(
            "content-security-policy",
            "default-src 'self'; frame-ancestors https://attacker.example",
        )]);
        assert_eq!(framing_refusal(&listed, AS, EVIL), None);
        // frame-ancestors decides over X-Frame-Options (CSP Level 3 §6.4.2).
        let both = page_with(&[
            ("content-security-policy", "frame-ancestors *"),
            ("x-frame-options", "DENY"),
        ]);
        assert_eq!(framing_refusal(&both, AS, EVIL), None);
        let own = page_with(&[("content-security-policy", "frame-ancestors 'self'")]);
        assert!(framing_refusal(&own, AS, EVIL).is_some());
        assert_eq!(framing_refusal(&own, AS, "https://as.example/"), None);
    }
}
