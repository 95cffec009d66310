//! The user agent (RFC 6749 §1.1) and the person at it.
//!
//! The browser behaves as browsers do, because several attacks live in exactly that
//! behaviour:
//! - redirects: 301/302/303 are followed with GET and no body, 307/308 re-send the same
//!   method and body (RFC 9110 §15.4; the RFC 9700 §4.12 weakness); a `Location` with
//!   a custom scheme is handed to the app that claims it (RFC 8252 §7.1);
//! - cookies per host ([`cookies`]);
//! - `Referer` per the policy of the page that caused the request ([`referrer`]). The
//!   default policy is `strict-origin-when-cross-origin`, what browsers do since 2020:
//!   other sites get only the origin, so a code in a URL does not leak to them. A
//!   legacy browser (`no-referrer-when-downgrade`, the default before 2020) sends the
//!   full URL — query included — to other https sites, the leak of RFC 9700 §4.2; pick
//!   it with [`Browser::with_default_referrer_policy`];
//! - pages: subresources (`<img>`, `<script>`) are loaded, and the person acts on the
//!   forms: `#login` (types credentials, where [`person`]'s trust rule allows),
//!   `#consent` (presses the button of their choice), `#autosubmit` (an attacker page's script submits it at once),
//!   `#fragment-handler` (the page's script posts the URL fragment's parameters);
//! - URL fragments stay in the browser: never sent in a request (RFC 9110 §4.2.4,
//!   §7.1), kept in the current URL and the history, and inherited by a redirect whose
//!   `Location` has none (RFC 9110 §10.2.2).

pub mod cookies;
pub mod forms;
pub mod frames;
pub mod person;
pub mod referrer;

use std::collections::BTreeMap;

use http::{Method, StatusCode};

pub use cookies::{Cookie, CookieJar};
pub use forms::FormKind;
pub use frames::FramedPage;
pub use person::{ConsentChoice, PasswordTrust, Person};
pub use referrer::{ReferrerPolicy, referer_for};

use super::{Actor, ActorId, ActorKind, Ctx, Delivery, MsgId, StateSection, UserAction};
use crate::actors::contract::actor_identity;
use crate::protocol::html::{self, Page};
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::params::Params;

/// Longest redirect chain followed (browsers use about 20).
pub const MAX_REDIRECTS: usize = 20;
/// Most forms submitted automatically after one typed navigation (a loop guard).
pub const MAX_AUTO_SUBMITS: usize = 20;
/// Characters of page text kept for a non-HTML document.
const MAX_TEXT: usize = 2000;
/// Characters of a URL shown in a note.
const NOTE_URL: usize = 90;

/// A URL shortened for a note (the message itself shows it in full).
fn short(url: &str) -> String {
    if url.chars().count() > NOTE_URL {
        format!("{}…", url.chars().take(NOTE_URL - 1).collect::<String>())
    } else {
        url.to_string()
    }
}

/// Splits `url#fragment` into the URL a request may carry and the fragment (without
/// the `#`), which only the browser knows (RFC 9110 §4.2.4).
pub fn split_fragment(url: &str) -> (&str, Option<&str>) {
    match url.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (url, None),
    }
}

/// `url` with `#fragment` appended, if there is one.
fn with_fragment(url: &str, fragment: Option<&str>) -> String {
    match fragment {
        Some(f) => format!("{url}#{f}"),
        None => url.to_string(),
    }
}

/// The page on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentPage {
    /// The page's URL as the address bar shows it, fragment included.
    pub url: String,
    pub status: u16,
    pub content_type: String,
    pub title: String,
    /// Visible text (for HTML), or the body (for other documents), shortened.
    pub text: String,
    /// The parsed page, for HTML.
    pub page: Option<Page>,
    /// The policy in force for requests this page causes.
    pub referrer_policy: ReferrerPolicy,
}

impl CurrentPage {
    /// The fragment of the page's URL (without the `#`), if any.
    pub fn fragment(&self) -> Option<&str> {
        split_fragment(&self.url).1
    }
}

/// Where the `Referer` of a request comes from: the page that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ReferrerSource {
    url: String,
    policy: ReferrerPolicy,
}

/// A top-level navigation in flight.
#[derive(Debug, Clone)]
struct Nav {
    method: Method,
    /// The URL requested: never with a fragment.
    url: String,
    /// The fragment of the navigated URL (without `#`), kept by the browser.
    fragment: Option<String>,
    body: Vec<u8>,
    content_type: Option<String>,
    referrer: Option<ReferrerSource>,
    hops: usize,
    /// The form whose submission started this navigation (for the retry guard).
    form: Option<FormKind>,
    /// The URL whose redirect brought the tab here (`None` for the first request).
    redirected_from: Option<String>,
}

#[derive(Debug, Clone)]
enum Pending {
    Navigation(Nav),
    Subresource { url: String },
    Frame(Box<frames::FrameLoad>),
}

/// The browser.
pub struct Browser {
    id: ActorId,
    person: Person,
    default_policy: ReferrerPolicy,
    jar: CookieJar,
    history: Vec<String>,
    current: Option<CurrentPage>,
    last_status: Option<u16>,
    pending: BTreeMap<MsgId, Pending>,
    /// The navigation whose response will replace the page; older ones are abandoned.
    current_nav: Option<MsgId>,
    auto_submits: usize,
    handed_to_apps: Vec<String>,
    /// (URL, Referer sent) of every request, for tests and lessons.
    sent: Vec<(String, Option<String>)>,
    /// Every frame loaded, shown or refused.
    framed: Vec<FramedPage>,
}

impl Browser {
    pub fn new(id: &str, person: Person) -> Self {
        Browser {
            id: ActorId::new(id),
            person,
            default_policy: ReferrerPolicy::StrictOriginWhenCrossOrigin,
            jar: CookieJar::default(),
            history: Vec::new(),
            current: None,
            last_status: None,
            pending: BTreeMap::new(),
            current_nav: None,
            auto_submits: 0,
            handed_to_apps: Vec::new(),
            sent: Vec::new(),
            framed: Vec::new(),
        }
    }

    /// Alice's browser, with the standard id.
    pub fn alice() -> Self {
        Browser::new(super::well_known::BROWSER, Person::alice())
    }

    /// The policy used when a page sets none (starts as `strict-origin-when-cross-origin`,
    /// today's browsers' default; `no-referrer-when-downgrade` makes a legacy browser).
    pub fn with_default_referrer_policy(mut self, policy: ReferrerPolicy) -> Self {
        self.default_policy = policy;
        self
    }

    pub fn set_default_referrer_policy(&mut self, policy: ReferrerPolicy) {
        self.default_policy = policy;
    }

    pub fn default_referrer_policy(&self) -> ReferrerPolicy {
        self.default_policy
    }

    pub fn person(&self) -> &Person {
        &self.person
    }

    /// Changes what the person answers on consent screens.
    pub fn set_consent(&mut self, consent: ConsentChoice) {
        self.person.consent = consent;
    }

    pub fn cookie_jar(&self) -> &CookieJar {
        &self.jar
    }

    /// The cookies stored for a host (`client.example`).
    pub fn cookies(&self, host: &str) -> &[Cookie] {
        self.jar.for_host(host)
    }

    /// One cookie's value.
    pub fn cookie(&self, host: &str, name: &str) -> Option<&str> {
        self.jar.get(host, name)
    }

    /// Every URL the tab navigated to (typed, redirected to, submitted to, handed off).
    pub fn history(&self) -> &[String] {
        &self.history
    }

    pub fn current_page(&self) -> Option<&CurrentPage> {
        self.current.as_ref()
    }

    /// The current page's URL, fragment included.
    pub fn current_url(&self) -> Option<&str> {
        self.current.as_ref().map(|p| p.url.as_str())
    }

    /// The fragment of the current page's URL (without `#`), if any.
    pub fn current_fragment(&self) -> Option<&str> {
        self.current.as_ref().and_then(CurrentPage::fragment)
    }

    pub fn current_title(&self) -> Option<&str> {
        self.current.as_ref().map(|p| p.title.as_str())
    }

    pub fn current_text(&self) -> Option<&str> {
        self.current.as_ref().map(|p| p.text.as_str())
    }

    /// The status of the last top-level response (redirects included).
    pub fn last_status(&self) -> Option<u16> {
        self.last_status
    }

    /// Custom-scheme URLs handed to apps.
    pub fn handed_to_apps(&self) -> &[String] {
        &self.handed_to_apps
    }

    /// (URL, `Referer`) of every request sent, in order. The URLs are those on the
    /// wire: without fragments.
    pub fn requests_sent(&self) -> &[(String, Option<String>)] {
        &self.sent
    }

    /// Whether a navigation is in flight.
    pub fn is_loading(&self) -> bool {
        self.current_nav.is_some()
    }

    fn host_of(url: &str) -> String {
        http_wire::parse_url(url)
            .and_then(|u| u.host().map(str::to_string))
            .unwrap_or_default()
    }

    /// Builds and sends a request for `url` with cookies and `Referer`.
    fn send_http(
        &mut self,
        ctx: &mut Ctx<'_>,
        method: Method,
        url: &str,
        body: Vec<u8>,
        content_type: Option<&str>,
        referrer: Option<&ReferrerSource>,
    ) -> Option<MsgId> {
        // A fragment is never part of a request (RFC 9110 §7.1).
        let (url, _) = split_fragment(url);
        let uri = http_wire::parse_url(url)?;
        let mut req: Request = http_wire::request(method, url);
        let scheme = uri.scheme_str().unwrap_or("");
        if let Some(host) = uri.host()
            && let Some(cookie) = self.jar.header_for(scheme, host)
        {
            http_wire::set_header(req.headers_mut(), "cookie", &cookie);
        }
        let referer = referrer.and_then(|r| referer_for(&r.url, url, r.policy));
        if let Some(r) = &referer {
            http_wire::set_header(req.headers_mut(), "referer", r);
        }
        if let Some(ct) = content_type {
            http_wire::set_header(req.headers_mut(), "content-type", ct);
        }
        *req.body_mut() = body;
        self.sent.push((url.to_string(), referer));
        Some(ctx.send(req))
    }

    /// Starts (or continues, after a redirect) a top-level navigation.
    fn navigate(&mut self, ctx: &mut Ctx<'_>, nav: Nav) {
        let who = self.person.name.clone();
        let Some(uri) = http_wire::parse_url(&nav.url) else {
            ctx.note(format!(
                "Browser: {:?} is not a URL {who} can open; nothing happens.",
                nav.url
            ));
            self.current_nav = None;
            return;
        };
        let full = with_fragment(&nav.url, nav.fragment.as_deref());
        self.history.push(full.clone());
        let scheme = uri.scheme_str().unwrap_or("").to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            // RFC 8252 §7.1: the OS hands a private-use URI scheme to the app claiming it.
            let req = http_wire::request(Method::GET, &nav.url);
            ctx.send_no_reply(req);
            self.handed_to_apps.push(full);
            self.current_nav = None;
            ctx.note(format!(
                "Browser: hands the custom-scheme URL to the OS, which opens it with an app that claims {scheme}: (RFC 8252 §7.1); the page stays as it was."
            ));
            return;
        }
        if nav.hops == 0
            && let Some(f) = nav.fragment.as_deref().filter(|f| !f.is_empty())
        {
            ctx.note(format!(
                "Browser: the fragment #{} stays in the browser; the request is for {} only (RFC 9110 §4.2.4).",
                short(f),
                short(&nav.url)
            ));
        }
        let referrer = nav.referrer.clone();
        match self.send_http(
            ctx,
            nav.method.clone(),
            &nav.url,
            nav.body.clone(),
            nav.content_type.as_deref(),
            referrer.as_ref(),
        ) {
            Some(id) => {
                self.current_nav = Some(id);
                self.pending.insert(id, Pending::Navigation(nav));
            }
            None => self.current_nav = None,
        }
    }

    fn store_cookies(&mut self, ctx: &mut Ctx<'_>, url: &str, resp: &Response) {
        let host = Self::host_of(url);
        if host.is_empty() {
            return;
        }
        let mut changes = Vec::new();
        for v in resp.headers().get_all("set-cookie") {
            if let Ok(v) = v.to_str()
                && let Some(what) = self.jar.apply(&host, v)
            {
                changes.push(what);
            }
        }
        if !changes.is_empty() {
            ctx.note(format!("Browser: {}.", changes.join("; ")));
        }
    }

    fn follow_redirect(
        &mut self,
        ctx: &mut Ctx<'_>,
        mut nav: Nav,
        resp: &Response,
        location: &str,
    ) {
        let status = resp.status();
        if nav.hops >= MAX_REDIRECTS {
            ctx.note(format!(
                "Browser: more than {MAX_REDIRECTS} redirects in a row; it stops and shows an error (\"too many redirects\")."
            ));
            self.show(CurrentPage {
                url: with_fragment(&nav.url, nav.fragment.as_deref()),
                status: status.as_u16(),
                content_type: String::new(),
                title: "Too many redirects".into(),
                text: format!("{} redirected too many times.", Self::host_of(&nav.url)),
                page: None,
                referrer_policy: self.default_policy,
            });
            self.current_nav = None;
            return;
        }
        let (location_url, location_fragment) = split_fragment(location.trim());
        let target = url::Url::parse(&nav.url)
            .ok()
            .and_then(|base| base.join(location_url).ok())
            .map(|u| u.to_string())
            .or_else(|| http_wire::parse_url(location_url).map(|u| http_wire::url_string(&u)));
        let Some(target) = target else {
            ctx.note(format!(
                "Browser: the {} response's Location {location:?} is not a URL; it shows the response instead.",
                status.as_u16()
            ));
            self.show_response(ctx, &nav, resp);
            return;
        };
        // Fetch §4.4 step "set request's referrer policy on redirect".
        if let Some(r) = nav.referrer.as_mut()
            && let Some(p) = http_wire::response_header(resp, "referrer-policy")
                .and_then(ReferrerPolicy::parse_header)
        {
            r.policy = p;
        }
        let code = status.as_u16();
        let keep_method = matches!(code, 307 | 308)
            || (matches!(code, 301 | 302) && nav.method != Method::POST)
            || (code == 303 && nav.method == Method::HEAD);
        let was = nav.method.clone();
        // RFC 9110 §10.2.2: a Location without a fragment inherits the request's; one
        // with a fragment replaces it.
        let fragment = match location_fragment {
            Some(f) => Some(f.to_string()),
            None => nav.fragment.clone(),
        };
        let inherited = location_fragment.is_none() && fragment.is_some();
        let shown = short(&with_fragment(&target, fragment.as_deref()));
        let custom_scheme = url::Url::parse(&target)
            .ok()
            .map(|u| u.scheme().to_string())
            .filter(|s| s != "http" && s != "https");
        if let Some(scheme) = custom_scheme {
            // RFC 8252 §7.1: a private-use scheme is not fetched; the OS opens it.
            ctx.note(format!(
                "Browser: {code} → {shown} has the custom scheme {scheme}:, not a web address: no request or body is re-sent to a server."
            ));
        } else if keep_method {
            let carries_password =
                !nav.body.is_empty() && String::from_utf8_lossy(&nav.body).contains("password=");
            if nav.method == Method::GET {
                ctx.note(format!(
                    "Browser: {code} → follows the redirect to {shown}."
                ));
            } else {
                ctx.note(format!(
                    "Browser: {code} → re-sends the same {was} with the same body to {shown}, as RFC 9110 §15.4.{} requires for {code}{}.",
                    if code == 307 { 8 } else { 9 },
                    if carries_password {
                        " — the form body still carries the username and password (RFC 9700 §4.12)"
                    } else {
                        ""
                    }
                ));
            }
        } else {
            nav.method = Method::GET;
            nav.body.clear();
            nav.content_type = None;
            if was == Method::GET {
                ctx.note(format!(
                    "Browser: {code} → follows the redirect to {shown}."
                ));
            } else {
                ctx.note(format!(
                    "Browser: {code} → follows the redirect to {shown} with a GET and no body (RFC 9110 §15.4)."
                ));
            }
        }
        if inherited {
            ctx.note(format!(
                "Browser: the Location has no fragment, so the new URL keeps #{} from the old one (RFC 9110 §10.2.2); it still is not sent.",
                short(fragment.as_deref().unwrap_or(""))
            ));
        }
        nav.redirected_from = Some(std::mem::replace(&mut nav.url, target));
        nav.fragment = fragment;
        nav.hops += 1;
        self.navigate(ctx, nav);
    }

    fn show(&mut self, page: CurrentPage) {
        self.current = Some(page);
    }

    /// Shows a response as the current page, then acts on it.
    fn show_response(&mut self, ctx: &mut Ctx<'_>, nav: &Nav, resp: &Response) {
        self.current_nav = None;
        let who = self.person.name.clone();
        let status = resp.status();
        let content_type = http_wire::response_header(resp, "content-type")
            .unwrap_or("")
            .to_string();
        let is_html = content_type
            .to_ascii_lowercase()
            .trim_start()
            .starts_with("text/html");
        let header_policy = http_wire::response_header(resp, "referrer-policy")
            .and_then(ReferrerPolicy::parse_header);
        let body = http_wire::body_text(resp.body());
        let page_url = with_fragment(&nav.url, nav.fragment.as_deref());
        if is_html {
            let page = html::parse_page(&body);
            let meta_policy = page
                .meta_referrer
                .as_deref()
                .and_then(ReferrerPolicy::parse_token);
            let (policy, why) = match (header_policy, meta_policy) {
                (Some(p), _) => (p, "from its Referrer-Policy header"),
                (None, Some(p)) => (p, "from its <meta name=\"referrer\">"),
                (None, None) => (self.default_policy, "the browser's default"),
            };
            let title = if page.title.is_empty() {
                page_url.clone()
            } else {
                page.title.clone()
            };
            if status == StatusCode::OK {
                ctx.note(format!(
                    "Browser: shows the page “{title}” (referrer policy {policy}, {why})."
                ));
            } else {
                ctx.note(format!(
                    "Browser: {who} sees an error page: {} {} — “{title}”.",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                ));
            }
            self.show(CurrentPage {
                url: page_url.clone(),
                status: status.as_u16(),
                content_type,
                title,
                text: page.text.clone(),
                page: Some(page.clone()),
                referrer_policy: policy,
            });
            let source = ReferrerSource {
                url: page_url,
                policy,
            };
            self.load_subresources(ctx, &page, &source);
            self.load_frames(ctx, &page, &source);
            self.act_on_forms(ctx, &page, &source, nav);
        } else {
            let text: String = body.chars().take(MAX_TEXT).collect();
            let title = format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            );
            if status.is_success() {
                ctx.note(format!(
                    "Browser: shows the {} document from {}.",
                    if content_type.is_empty() {
                        "untyped"
                    } else {
                        &content_type
                    },
                    Self::host_of(&nav.url)
                ));
            } else {
                let first: String = text.chars().take(80).collect();
                ctx.note(format!(
                    "Browser: {who} sees an error: {title}{}",
                    if first.trim().is_empty() {
                        ".".to_string()
                    } else {
                        format!(" — “{}”.", first.trim())
                    }
                ));
            }
            self.show(CurrentPage {
                url: page_url,
                status: status.as_u16(),
                content_type,
                title,
                text,
                page: None,
                referrer_policy: header_policy.unwrap_or(self.default_policy),
            });
        }
    }

    /// Loads the images and other subresources of a page just shown.
    fn load_subresources(&mut self, ctx: &mut Ctx<'_>, page: &Page, source: &ReferrerSource) {
        for u in fetchable_urls(&source.url, &page.subresources) {
            let url = u.to_string();
            if let Some(id) = self.send_http(ctx, Method::GET, &url, Vec::new(), None, Some(source))
            {
                let referer = self.sent.last().and_then(|(_, r)| r.clone());
                ctx.note(format!(
                    "Browser: loads {} for the page; {}.",
                    short(&url),
                    match referer {
                        Some(r) => format!("Referer: {r} (policy {})", source.policy),
                        None => format!("no Referer (policy {})", source.policy),
                    }
                ));
                self.pending.insert(id, Pending::Subresource { url });
            }
        }
    }

    fn act_on_forms(&mut self, ctx: &mut Ctx<'_>, page: &Page, source: &ReferrerSource, nav: &Nav) {
        let (caused_by, fragment) = (nav.form, nav.fragment.as_deref());
        let who = self.person.name.clone();
        let Some((form, kind)) = FormKind::first_in(page) else {
            return;
        };
        if caused_by == Some(kind) && !kind.is_scripted() {
            ctx.note(format!(
                "Browser: the {} form is back after {who} submitted it; {who} gives up rather than retry.",
                kind.id()
            ));
            return;
        }
        if self.auto_submits >= MAX_AUTO_SUBMITS {
            ctx.note(format!(
                "Browser: {MAX_AUTO_SUBMITS} forms submitted since {who} last typed a URL; the browser stops submitting more."
            ));
            return;
        }
        let trust = (kind == FormKind::Login).then(|| {
            self.person
                .password_trust(&source.url, nav.redirected_from.as_deref())
        });
        if let Some(PasswordTrust::Refused { page_origin }) = &trust {
            ctx.note(format!(
                "Browser: the page asks for {who}'s password, but it is on {page_origin}, not {}, and {} did not send {who} here; {who} types nothing.",
                self.person.account_at, self.person.account_at
            ));
            return;
        }
        let fields = match kind {
            FormKind::FragmentHandler => match fragment.filter(|f| !f.is_empty()) {
                Some(f) => Params::parse(f),
                None => {
                    ctx.note(
                        "Browser: the page's script looks for a URL fragment, finds none, and posts nothing.",
                    );
                    return;
                }
            },
            _ => Params::default(),
        };
        let sub = match forms::submit_with_fields(form, kind, &source.url, &self.person, &fields) {
            Ok(s) => s,
            Err(forms::NotSubmitted::NoButton(want)) => {
                ctx.note(format!(
                    "Browser: {who} wants to {want}, but the consent form has no such button; {who} leaves the page."
                ));
                return;
            }
            Err(forms::NotSubmitted::BadAction(a)) => {
                ctx.note(format!(
                    "Browser: the form's action {a:?} is not a URL; nothing is submitted."
                ));
                return;
            }
        };
        self.auto_submits += 1;
        let target = format!("{} {}", sub.method, short(&sub.url));
        match kind {
            FormKind::Login => match &trust {
                Some(PasswordTrust::RedirectedByOwnAs { page_origin }) => ctx.note(format!(
                    "Browser: {who} types the username and password into the sign-in form and submits it ({target}): {} redirected {who} to this page, so {who} takes it for a page of {}, though it is on {page_origin}.",
                    self.person.account_at, self.person.account_at
                )),
                _ => ctx.note(format!(
                    "Browser: {who} types the username and password into the sign-in form and submits it ({target})."
                )),
            },
            FormKind::Consent => ctx.note(format!(
                "Browser: {who} reads the consent screen and presses “{}” ({target}).",
                sub.pressed.as_deref().unwrap_or("")
            )),
            FormKind::AutoSubmit => ctx.note(format!(
                "Browser: the page's script submits form #autosubmit at once ({target}); {who} never gets to look at it."
            )),
            FormKind::FragmentHandler => {
                let mut names: Vec<&str> = Vec::new();
                for (n, _) in &fields.0 {
                    if !names.contains(&n.as_str()) {
                        names.push(n);
                    }
                }
                let names: Vec<String> = names.iter().take(8).map(|n| short(n)).collect();
                ctx.note(format!(
                    "Browser: the page's script reads the URL fragment and posts {}{} to {} — the fragment's contents now go over the network in a request body.",
                    if names.is_empty() { "nothing readable".to_string() } else { names.join(", ") },
                    if fields.0.len() > 8 { ", …" } else { "" },
                    short(&sub.url)
                ));
            }
        }
        let (body, content_type) = forms::body_and_content_type(sub.body);
        self.navigate(
            ctx,
            Nav {
                method: sub.method,
                url: sub.url,
                fragment: None,
                body,
                content_type,
                referrer: Some(source.clone()),
                hops: 0,
                form: Some(kind),
                redirected_from: None,
            },
        );
    }
}

impl Browser {
    /// A top-level GET the person starts (typed, or a link from outside the browser):
    /// no Referer, and the count of automatic submissions starts again.
    fn open_typed(&mut self, ctx: &mut Ctx<'_>, url: &str, note: &str) {
        self.auto_submits = 0;
        if self.current_nav.is_some() {
            ctx.note("Browser: the page still loading is abandoned.");
        }
        ctx.note(note);
        let (url, fragment) = split_fragment(url.trim());
        self.navigate(
            ctx,
            Nav {
                method: Method::GET,
                url: url.to_string(),
                fragment: fragment.map(str::to_string),
                body: Vec::new(),
                content_type: None,
                referrer: None,
                hops: 0,
                form: None,
                redirected_from: None,
            },
        );
    }
}

impl Actor for Browser {
    actor_identity!(
        kind: ActorKind::Browser,
        label: |b| format!("Browser ({})", b.person.name),
        addresses: |_| Vec::new(),
    );

    fn on_input(&mut self, ctx: &mut Ctx<'_>, action: &UserAction) {
        let who = self.person.name.clone();
        match action {
            UserAction::Navigate { url } => {
                self.open_typed(ctx, url, &format!(
                    "Browser: {who} opens {}; a typed navigation carries no Referer.",
                    short(url)
                ));
            }
            UserAction::LinkReceived { url, via } => {
                match person::origin_of(url) {
                    Some(site) if self.person.opens_link_to(url) => self.open_typed(
                        ctx,
                        url,
                        &format!(
                            "Browser: {who} gets a link in {via}; it points at {site}, a site {who} trusts, so {who} opens it ({}); a link opened from outside the browser carries no Referer.",
                            short(url)
                        ),
                    ),
                    site => ctx.note(format!(
                        "Browser: {who} gets a link in {via}; it points at {}, not a site {who} trusts, so {who} does not open it.",
                        site.unwrap_or_else(|| format!("{:?}", short(url)))
                    )),
                }
            }
            UserAction::Custom { name, value } if name == "consent" => {
                match ConsentChoice::parse(value) {
                    Some(c) => {
                        self.person.consent = c;
                        ctx.note(format!(
                            "Browser: {who} decides to {} on the next consent screen.",
                            c.button_value()
                        ));
                    }
                    None => ctx.note(format!(
                        "Browser: {value:?} is not a consent choice (approve or deny)."
                    )),
                }
            }
            UserAction::StartLogin => {
                ctx.note("Browser: a browser has no sign-in button of its own; nothing happens.")
            }
            UserAction::Custom { name, .. } => ctx.note(format!(
                "Browser: does not know how to {name:?}; nothing happens."
            )),
        }
    }

    fn on_request(&mut self, ctx: &mut Ctx<'_>, _request: Request, meta: &Delivery) {
        ctx.note(format!(
            "Browser: a browser serves nothing; the request from {} is ignored.",
            meta.from
        ));
    }

    fn on_response(&mut self, ctx: &mut Ctx<'_>, response: Response, meta: &Delivery) {
        let Some(id) = meta.in_reply_to else {
            return;
        };
        let Some(pending) = self.pending.remove(&id) else {
            ctx.note("Browser: a response to nothing it asked for arrives; ignored.");
            return;
        };
        match pending {
            Pending::Subresource { url } => {
                self.store_cookies(ctx, &url, &response);
                ctx.note(format!(
                    "Browser: {} for {} (a subresource; nothing to show).",
                    response.status().as_u16(),
                    short(&url)
                ));
            }
            Pending::Frame(load) => self.on_frame_response(ctx, *load, &response),
            Pending::Navigation(nav) => {
                if self.current_nav != Some(id) {
                    ctx.note(format!(
                        "Browser: the response for {} arrives after the tab moved on; ignored.",
                        short(&nav.url)
                    ));
                    return;
                }
                self.last_status = Some(response.status().as_u16());
                self.store_cookies(ctx, &nav.url, &response);
                let code = response.status().as_u16();
                let location =
                    http_wire::response_header(&response, "location").map(str::to_string);
                match (code, location) {
                    (301 | 302 | 303 | 307 | 308, Some(loc)) => {
                        self.follow_redirect(ctx, nav, &response, &loc)
                    }
                    _ => self.show_response(ctx, &nav, &response),
                }
            }
        }
    }

    fn snapshot(&self) -> Vec<StateSection> {
        let mut cookies = StateSection::new("Cookies");
        for (host, list) in self.jar.iter() {
            for c in list {
                cookies.push(host, c.describe());
            }
        }
        if cookies.rows.is_empty() {
            cookies.push("(none)", "");
        }
        let mut history = StateSection::new("History");
        for (i, url) in self.history.iter().enumerate() {
            history.push((i + 1).to_string(), url.clone());
        }
        let mut page = StateSection::new("Current page");
        match &self.current {
            Some(p) => {
                page.push("url", p.url.clone());
                page.push("status", p.status.to_string());
                page.push("title", p.title.clone());
                let text: String = p.text.chars().take(300).collect();
                page.push("text", text);
                page.push("referrer policy", p.referrer_policy.to_string());
            }
            None => page.push("(blank)", ""),
        }
        if self.current_nav.is_some() {
            page.push("loading", "yes");
        }
        let person = StateSection::new("Person")
            .row("name", self.person.name.clone())
            .row("username", self.person.username.clone())
            .row("consent", self.person.consent.button_value())
            .row("default referrer policy", self.default_policy.to_string());
        vec![cookies, history, page, person]
    }
}

/// The http(s) URLs a page names (its frames, its images), resolved against the page's
/// URL (RFC 3986 §5.2), without fragments, which are never sent (RFC 3986 §3.5).
pub(super) fn fetchable_urls(page_url: &str, srcs: &[String]) -> Vec<url::Url> {
    let Ok(base) = url::Url::parse(page_url) else {
        return Vec::new();
    };
    srcs.iter()
        .filter_map(|src| base.join(src.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|mut u| {
            u.set_fragment(None);
            u
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::{Defenses, Outgoing};
    use crate::testing::OneActor;

    /// What Alice's browser sends, and notes, when she does `action`.
    fn outbox_of(b: &mut OneActor<Browser>, action: &UserAction) -> (Vec<Outgoing>, Vec<String>) {
        let out = b.input(action);
        (out, b.notes.clone())
    }

    fn alice() -> OneActor<Browser> {
        OneActor::new(Browser::alice(), Defenses::bcp(), 1)
    }

    fn nav(url: &str) -> UserAction {
        UserAction::Navigate { url: url.into() }
    }

    #[test]
    fn a_typed_navigation_is_a_get_without_referer() {
        let mut b = alice();
        let (out, _) = outbox_of(&mut b, &nav("https://client.example/"));
        let [
            Outgoing::Request {
                request,
                expects_reply: true,
                ..
            },
        ] = out.as_slice()
        else {
            panic!("one request expected: {out:?}");
        };
        assert_eq!(request.method(), Method::GET);
        assert_eq!(request.uri().to_string(), "https://client.example/");
        assert!(request.headers().get("referer").is_none());
        assert!(b.actor.is_loading());
        assert_eq!(b.actor.history(), ["https://client.example/"]);
    }

    #[test]
    fn a_typed_fragment_stays_out_of_the_request() {
        assert_eq!(
            split_fragment("https://c.example/cb?x=1#a=b#c"),
            ("https://c.example/cb?x=1", Some("a=b#c"))
        );
        assert_eq!(
            split_fragment("https://c.example/"),
            ("https://c.example/", None)
        );
        let mut b = alice();
        let (out, notes) = outbox_of(&mut b, &nav("https://client.example/cb#access_token=t"));
        let [Outgoing::Request { request, .. }] = out.as_slice() else {
            panic!("one request expected: {out:?}");
        };
        assert_eq!(request.uri().to_string(), "https://client.example/cb");
        assert_eq!(
            b.actor.history(),
            ["https://client.example/cb#access_token=t"]
        );
        assert_eq!(b.actor.requests_sent()[0].0, "https://client.example/cb");
        assert!(notes.iter().any(|n| n.contains("stays in the browser")));
    }

    #[test]
    fn a_custom_scheme_navigation_goes_to_the_app_without_reply() {
        let mut b = alice();
        let (out, notes) = outbox_of(&mut b, &nav("com.example.photos:/cb?code=x"));
        assert!(matches!(
            out.as_slice(),
            [Outgoing::Request {
                expects_reply: false,
                ..
            }]
        ));
        assert!(notes.iter().any(|n| n.contains("com.example.photos:")));
        assert!(!b.actor.is_loading());
        let (out, _) = outbox_of(&mut b, &nav("::not a url"));
        assert!(out.is_empty());
    }
}
