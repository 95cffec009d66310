//! The attacker actor: a site, an app, a server or a thief, driven by a playbook.
//!
//! The [`Attacker`] owns what every attacker shares — what it has stolen ([`Loot`]),
//! the pages it serves, the requests it is waiting on — and hands each event to its
//! [`Playbook`], the attack-specific brain. A playbook can only send messages and
//! read what reaches it: its capabilities are exactly its interceptors (RFC 9700 §3).

use std::collections::BTreeMap;

use http::{Method, StatusCode};

use crate::actors::contract::actor_identity;
use crate::actors::{Actor, ActorId, ActorKind, Ctx, Delivery, MsgId, StateSection, UserAction};
use crate::protocol::html;
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::params::Params;
use crate::protocol::requests::TokenRequest;
use crate::protocol::secret::Secret;
use crate::protocol::token_response::TokenResponse;

/// Everything the attacker has gathered.
#[derive(Debug, Clone, Default)]
pub struct Loot {
    /// Authorization codes, in the order they were seen.
    pub codes: Vec<String>,
    /// Full URLs seen (callback URLs, `Referer` values, captured requests).
    pub urls: Vec<String>,
    /// (username, password) pairs received.
    pub passwords: Vec<(String, String)>,
    /// Token responses obtained.
    pub tokens: Vec<TokenResponse>,
    /// Refresh tokens stolen or obtained.
    pub refresh_tokens: Vec<String>,
    /// ID tokens stolen.
    pub id_tokens: Vec<String>,
    /// Access tokens received (e.g. by a counterfeit RS).
    pub access_tokens: Vec<String>,
    /// Successful API answers: (owner the RS named, photo titles).
    pub photos: Vec<(String, Vec<String>)>,
    /// Deletions the RS confirmed (status 204).
    pub deletions: usize,
    /// Every request that reached the attacker's own server: (method, URL, Referer, body).
    pub requests: Vec<(String, String, Option<String>, String)>,
}

impl Loot {
    /// Records every code, password and URL in a URL.
    pub fn take_from_url(&mut self, url: &str) {
        if let Some(uri) = http_wire::parse_url(url) {
            let p = Params::from_query(&uri);
            if let Some(code) = p.first("code")
                && !self.codes.iter().any(|c| c == code)
            {
                self.codes.push(code.to_string());
            }
            self.urls.push(url.to_string());
        }
    }

    /// Whether the attacker saw Alice's photos from the RS.
    pub fn has_photos_of(&self, owner: &str) -> bool {
        self.photos.iter().any(|(o, _)| o == owner)
    }
}

/// Why the attacker sent a request, so that the response goes to the right place.
pub type Purpose = &'static str;

/// What a playbook may do while it handles one event: send requests, answer one, hand a
/// browser an action, note what it did, and read the clock and its own RNG. Unlike an
/// honest actor's [`Ctx`], it has no view of the world's defenses: like a real attacker
/// (RFC 9700 §3), it learns about them only from the answers it gets.
///
/// ```compile_fail
/// fn peek(moves: &oauth_lab::attacks::attacker::Moves<'_, '_>) -> bool {
///     moves.defenses.state
/// }
/// ```
pub struct Moves<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
}

impl<'c, 'a> Moves<'c, 'a> {
    fn new(ctx: &'c mut Ctx<'a>) -> Self {
        Moves { ctx }
    }

    /// Sends a request to whoever serves its URL.
    pub fn send(&mut self, request: Request) -> MsgId {
        self.ctx.send(request)
    }

    /// Answers a request (now, or later for a parked one).
    pub fn reply(&mut self, reply: crate::actors::ReplyTo, response: Response) {
        self.ctx.reply(reply, response);
    }

    /// Hands a user action to another actor (a browser the attacker drives or lures).
    pub fn input(&mut self, to: ActorId, action: UserAction, why: impl Into<String>) {
        self.ctx.input(to, action, why);
    }

    /// Records what the attacker did and why.
    pub fn note(&mut self, text: impl Into<String>) {
        self.ctx.note(text);
    }

    /// The simulated time.
    pub fn now(&self) -> crate::actors::SimTime {
        self.ctx.now
    }

    /// The attacker's own RNG.
    pub fn rng(&mut self) -> &mut rand_chacha::ChaCha20Rng {
        self.ctx.rng
    }
}

/// Tools a playbook uses: the loot, the pages it serves, and sending helpers.
pub struct Kit {
    pub loot: Loot,
    /// Pages served by path (HTML bodies).
    pub pages: BTreeMap<String, String>,
    /// Redirects served by path (status 302).
    pub redirects: BTreeMap<String, String>,
    pending: BTreeMap<MsgId, Purpose>,
}

impl Kit {
    fn new() -> Self {
        Kit {
            loot: Loot::default(),
            pages: BTreeMap::new(),
            redirects: BTreeMap::new(),
            pending: BTreeMap::new(),
        }
    }

    /// Sends a request and remembers why.
    pub fn send(&mut self, ctx: &mut Moves<'_, '_>, req: Request, purpose: Purpose) -> MsgId {
        let id = ctx.send(req);
        self.pending.insert(id, purpose);
        id
    }

    /// Sends a token request (RFC 6749 §4.1.3, §6) to a token endpoint; the answer
    /// reaches [`Playbook::on_tokens`].
    pub fn request_tokens(
        &mut self,
        ctx: &mut Moves<'_, '_>,
        token_endpoint: &str,
        request: &TokenRequest,
    ) -> MsgId {
        self.send(ctx, request.to_request(token_endpoint), "token")
    }

    /// Calls an API with a bearer token (RFC 6750 §2.1).
    pub fn call_api(
        &mut self,
        ctx: &mut Moves<'_, '_>,
        method: Method,
        url: &str,
        access_token: &str,
    ) -> MsgId {
        let mut req = http_wire::request(method, url);
        http_wire::set_header(
            req.headers_mut(),
            "authorization",
            &format!("Bearer {access_token}"),
        );
        self.send(ctx, req, "api")
    }

    /// Fetches the photo list with the access token of a token response.
    pub fn fetch_photos(&mut self, ctx: &mut Moves<'_, '_>, tokens: &TokenResponse) {
        let url = format!("{}/photos", crate::actors::well_known::RS_ORIGIN);
        self.call_api(ctx, Method::GET, &url, tokens.access_token.expose());
    }

    /// Makes the attacker's own browser (or a victim's, through a page) open a URL.
    pub fn drive(&mut self, ctx: &mut Moves<'_, '_>, browser: &str, url: &str, why: &str) {
        ctx.input(
            ActorId::new(browser),
            UserAction::Navigate {
                url: url.to_string(),
            },
            why.to_string(),
        );
    }

    /// Files a token response into the loot.
    fn file_token_response(&mut self, resp: &Response) -> Option<TokenResponse> {
        let tr: TokenResponse = serde_json::from_slice(resp.body())
            .ok()
            .filter(|_| resp.status().is_success())?;
        if let Some(rt) = &tr.refresh_token {
            self.loot.refresh_tokens.push(rt.expose().to_string());
        }
        self.loot.tokens.push(tr.clone());
        Some(tr)
    }

    /// Files an API answer into the loot.
    fn file_api_response(&mut self, resp: &Response) {
        if resp.status() == StatusCode::NO_CONTENT {
            self.loot.deletions += 1;
            return;
        }
        if resp.status() != StatusCode::OK {
            return;
        }
        let list = crate::protocol::photos_api::PhotoList::parse(resp.body());
        let (owner, titles) = (list.owner.clone(), list.titles());
        self.loot.photos.push((owner, titles));
    }
}

/// The attack-specific brain of an [`Attacker`]. Every method has a do-nothing default.
/// `Send`: live mode runs an attacker's site on a server thread.
pub trait Playbook: Send + 'static {
    /// Messages to send when the world starts.
    fn start(&mut self, _kit: &mut Kit, _ctx: &mut Moves<'_, '_>) {}
    /// A request reached the attacker's own server. Return a response to override the
    /// default (a configured page or redirect, else 404).
    fn on_request(
        &mut self,
        _kit: &mut Kit,
        _ctx: &mut Moves<'_, '_>,
        _req: &Request,
    ) -> Option<Response> {
        None
    }
    /// A copy (or capture) of someone else's message arrived through an interceptor.
    fn on_observed(&mut self, _kit: &mut Kit, _ctx: &mut Moves<'_, '_>, _wire: &str) {}
    /// The tokens of a successful token response to one of the attacker's token
    /// requests (already in the loot; a refusal is noted and goes no further).
    fn on_tokens(&mut self, _kit: &mut Kit, _ctx: &mut Moves<'_, '_>, _tokens: &TokenResponse) {}
    /// An API response for one of the attacker's API calls (already in the loot).
    fn on_api(&mut self, _kit: &mut Kit, _ctx: &mut Moves<'_, '_>, _resp: &Response) {}
    /// A response to a request sent with another purpose.
    fn on_other_response(
        &mut self,
        _kit: &mut Kit,
        _ctx: &mut Moves<'_, '_>,
        _purpose: Purpose,
        _resp: &Response,
    ) {
    }
    /// A scripted instruction (`UserAction::Custom`).
    fn on_input(&mut self, _kit: &mut Kit, _ctx: &mut Moves<'_, '_>, _name: &str, _value: &str) {}
}

/// A playbook that does nothing but serve pages and collect what arrives.
pub struct Passive;
impl Playbook for Passive {}

/// An attacker on the bus.
pub struct Attacker {
    id: ActorId,
    label: String,
    addresses: Vec<String>,
    pub kit: Kit,
    playbook: Box<dyn Playbook>,
    /// Calls the RS's photo list with the access token of every token response it gets.
    fetches_photos: bool,
}

impl Attacker {
    pub fn new(id: &str, label: &str, addresses: &[&str], playbook: impl Playbook) -> Self {
        Attacker {
            id: ActorId::new(id),
            label: label.to_string(),
            addresses: addresses.iter().map(|a| a.to_string()).collect(),
            kit: Kit::new(),
            playbook: Box::new(playbook),
            fetches_photos: false,
        }
    }

    /// After its playbook has seen a token response, calls the RS's photo list with
    /// its access token (RFC 6750 §2.1).
    pub fn fetching_photos(mut self) -> Self {
        self.fetches_photos = true;
        self
    }

    /// Serves `html` at `path`.
    pub fn with_page(mut self, path: &str, title: &str, body: &str) -> Self {
        self.kit
            .pages
            .insert(path.to_string(), html::page(title, body));
        self
    }

    /// Redirects `path` to `location`.
    pub fn with_redirect(mut self, path: &str, location: &str) -> Self {
        self.kit
            .redirects
            .insert(path.to_string(), location.to_string());
        self
    }

    pub fn loot(&self) -> &Loot {
        &self.kit.loot
    }

    fn default_response(&self, req: &Request) -> Response {
        let path = req.uri().path();
        if let Some(loc) = self.kit.redirects.get(path) {
            let mut r = http_wire::response(StatusCode::FOUND);
            http_wire::set_header(r.headers_mut(), "location", loc);
            return r;
        }
        match self.kit.pages.get(path) {
            Some(body) => {
                let mut r = http_wire::response(StatusCode::OK);
                http_wire::set_header(r.headers_mut(), "content-type", "text/html; charset=utf-8");
                *r.body_mut() = body.clone().into_bytes();
                r
            }
            None => {
                let mut r = http_wire::response(StatusCode::OK);
                http_wire::set_header(r.headers_mut(), "content-type", "image/gif");
                r
            }
        }
    }
}

impl Actor for Attacker {
    actor_identity!(
        kind: ActorKind::Attacker,
        label: |a| a.label.clone(),
        addresses: |a| a.addresses.clone(),
    );

    fn start(&mut self, ctx: &mut Ctx<'_>) {
        self.playbook.start(&mut self.kit, &mut Moves::new(ctx));
    }

    fn on_request(&mut self, ctx: &mut Ctx<'_>, req: Request, meta: &Delivery) {
        let url = http_wire::url_string(req.uri());
        let referer = http_wire::header(&req, "referer").map(str::to_string);
        let body = http_wire::body_text(req.body());
        self.kit.loot.take_from_url(&url);
        if let Some(r) = &referer {
            if r.contains("code=") {
                ctx.note(format!(
                    "{}: the Referer header carries a full URL with a code: {r}",
                    self.label
                ));
            }
            self.kit.loot.take_from_url(r);
        }
        let form = Params::parse(&body);
        if let (Some(u), Some(p)) = (form.first("username"), form.first("password")) {
            ctx.note(format!(
                "{}: received the password of {u} in a form body.",
                self.label
            ));
            self.kit.loot.passwords.push((u.to_string(), p.to_string()));
        }
        // A bearer token (RFC 6750 §2.1) or a DPoP-bound one (RFC 9449 §7.1): the token
        // is the same string either way.
        if let Some(auth) = http_wire::header(&req, "authorization")
            && let Some(token) = auth
                .strip_prefix("Bearer ")
                .or_else(|| auth.strip_prefix("DPoP "))
        {
            self.kit.loot.access_tokens.push(token.trim().to_string());
        }
        self.kit
            .loot
            .requests
            .push((req.method().to_string(), url, referer, body));
        let resp = match self
            .playbook
            .on_request(&mut self.kit, &mut Moves::new(ctx), &req)
        {
            Some(r) => r,
            None => self.default_response(&req),
        };
        if meta.expects_reply {
            ctx.reply(meta.reply_handle(), resp);
        }
    }

    fn on_response(&mut self, ctx: &mut Ctx<'_>, resp: Response, meta: &Delivery) {
        let Some(purpose) = meta.in_reply_to.and_then(|id| self.kit.pending.remove(&id)) else {
            return;
        };
        match purpose {
            "token" => {
                let tr = self.kit.file_token_response(&resp);
                match &tr {
                    Some(_) => ctx.note(format!("{}: got tokens.", self.label)),
                    None => ctx.note(format!(
                        "{}: the token request was refused ({}).",
                        self.label,
                        resp.status().as_u16()
                    )),
                }
                if let Some(tr) = &tr {
                    let mut moves = Moves::new(ctx);
                    self.playbook.on_tokens(&mut self.kit, &mut moves, tr);
                    if self.fetches_photos {
                        self.kit.fetch_photos(&mut moves, tr);
                    }
                }
            }
            "api" => {
                self.kit.file_api_response(&resp);
                if let Some((owner, titles)) = self
                    .kit
                    .loot
                    .photos
                    .last()
                    .filter(|_| resp.status() == StatusCode::OK)
                {
                    ctx.note(format!(
                        "{}: the RS handed over {} photos of {owner}.",
                        self.label,
                        titles.len()
                    ));
                }
                self.playbook
                    .on_api(&mut self.kit, &mut Moves::new(ctx), &resp);
            }
            other => {
                self.playbook
                    .on_other_response(&mut self.kit, &mut Moves::new(ctx), other, &resp)
            }
        }
    }

    fn on_input(&mut self, ctx: &mut Ctx<'_>, action: &UserAction) {
        if let UserAction::Custom { name, value } = action {
            self.playbook
                .on_input(&mut self.kit, &mut Moves::new(ctx), name, value);
        }
    }

    fn on_observed(&mut self, ctx: &mut Ctx<'_>, wire: &str, _meta: &Delivery) {
        // Whatever the copy is, the attacker keeps every code and URL in it.
        if http_wire::looks_like_response(wire) {
            if let Ok(resp) = http_wire::parse_response(wire) {
                if let Some(loc) = http_wire::response_header(&resp, "location") {
                    self.kit.loot.take_from_url(loc);
                }
                if let Ok(tr) = serde_json::from_slice::<TokenResponse>(resp.body()) {
                    if let Some(rt) = &tr.refresh_token {
                        self.kit.loot.refresh_tokens.push(rt.expose().to_string());
                    }
                    if let Some(it) = &tr.id_token {
                        self.kit.loot.id_tokens.push(it.expose().to_string());
                    }
                    self.kit
                        .loot
                        .access_tokens
                        .push(tr.access_token.expose().to_string());
                }
            }
        } else if let Ok(req) = http_wire::parse_request(wire) {
            self.kit
                .loot
                .take_from_url(&http_wire::url_string(req.uri()));
        }
        self.playbook
            .on_observed(&mut self.kit, &mut Moves::new(ctx), wire);
    }

    fn snapshot(&self) -> Vec<StateSection> {
        let l = &self.kit.loot;
        let mut s = StateSection::new(&format!("{} — loot", self.label));
        s.push(
            "codes",
            if l.codes.is_empty() {
                "(none)".into()
            } else {
                l.codes.join(", ")
            },
        );
        s.push(
            "passwords",
            l.passwords
                .iter()
                .map(|(u, p)| format!("{u}:{p}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        s.push("tokens obtained", l.tokens.len().to_string());
        s.push("refresh tokens", l.refresh_tokens.join(", "));
        s.push("access tokens received", l.access_tokens.len().to_string());
        s.push(
            "photos seen",
            l.photos
                .iter()
                .map(|(o, t)| format!("{} of {o}", t.len()))
                .collect::<Vec<_>>()
                .join("; "),
        );
        vec![s]
    }
}
