//! Building blocks of attack worlds: the attacker's site, browser and registered
//! client, and common registrations at the honest AS.

use crate::actors::Defenses;
use crate::actors::auth_server::registrar::{ClientRegistration, GrantType};
use crate::actors::browser::{Browser, Person};
use crate::actors::well_known as wk;
use crate::actors::{ActorId, UserAction};
use crate::protocol::pkce::ChallengeMethod;
use crate::protocol::requests::{AuthorizationRequest, ClientAuth, ResponseType, TokenRequest};
use crate::protocol::secret::{AuthorizationCode, CodeVerifier, State};
use crate::sim::world::WorldBuilder;
use crate::sim::{ScriptEvent, Simulation};

/// The attacker's actor id and origin (RFC 9700 §3 A1: "its own web site").
pub const ATTACKER: &str = "attacker";
pub const ATTACKER_ORIGIN: &str = "https://attacker.example";
/// The attacker's own browser.
pub const ATTACKER_BROWSER: &str = "attacker-browser";
/// The attacker's own client registered at the honest AS ("Photo Frame").
pub const ATTACKER_CLIENT_ID: &str = "photo-frame";
pub const ATTACKER_CLIENT_SECRET: &str = "frame-secret-66a0";
pub const ATTACKER_REDIRECT_URI: &str = "https://attacker.example/cb";

/// The attacker's client registration: confidential, its own redirect URI, and it may
/// ask for read and write access to photos.
pub fn attacker_client() -> ClientRegistration {
    FramePlaces::simulated().client()
}

/// The standard world in which the attacker has also registered [`attacker_client`] at
/// the AS, as anyone may (RFC 6749 §2).
pub fn world_with_attacker_client(seed: u64, defenses: Defenses) -> Simulation {
    let mut w = WorldBuilder::standard(seed, defenses);
    w.auth_server.clients.push(attacker_client());
    w.build()
}

/// The attacker's own browser, with Mallory's account at the AS.
pub fn attacker_browser() -> Browser {
    Browser::new(ATTACKER_BROWSER, Person::mallory())
}

/// A person opens a URL.
pub fn navigate(browser: &str, url: &str, narration: &str) -> ScriptEvent {
    ScriptEvent::Input {
        to: ActorId::new(browser),
        action: UserAction::Navigate {
            url: url.to_string(),
        },
        narration: narration.to_string(),
    }
}

/// An instruction to an actor (e.g. the attacker's next move).
pub fn instruct(actor: &str, name: &str, narration: &str) -> ScriptEvent {
    ScriptEvent::Input {
        to: ActorId::new(actor),
        action: UserAction::Custom {
            name: name.to_string(),
            value: String::new(),
        },
        narration: narration.to_string(),
    }
}

/// Simulated time passes.
pub fn wait(secs: u64, narration: &str) -> ScriptEvent {
    ScriptEvent::AdvanceClock {
        secs,
        narration: narration.to_string(),
    }
}

/// The honest AS's token endpoint.
pub fn token_endpoint() -> String {
    format!("{}/token", wk::AS_ISSUER)
}

/// The honest RS's photo list.
pub fn photos_api() -> String {
    format!("{}/photos", wk::RS_ORIGIN)
}

/// The absolute URL of a request's wire text.
pub fn request_url(wire: &str) -> Option<String> {
    let req = crate::protocol::http_wire::parse_request(wire).ok()?;
    Some(crate::protocol::http_wire::url_string(req.uri()))
}

/// The `Location` of a response's wire text.
pub fn location(wire: &str) -> Option<String> {
    let resp = crate::protocol::http_wire::parse_response(wire).ok()?;
    crate::protocol::http_wire::response_header(&resp, "location").map(str::to_string)
}

/// Which of a sign-in's own values (`state`, `nonce`, `code_challenge`) an
/// authorization request URL carries, in words for a note: "its own state and nonce",
/// or "no state, nonce or code_challenge" (RFC 6749 §4.1.1, OIDC Core §3.1.2.1,
/// RFC 7636 §4.3).
pub fn own_values_in(url: &str) -> String {
    let q = query(url);
    let present: Vec<&str> = ["state", "nonce", "code_challenge"]
        .into_iter()
        .filter(|p| q.first(p).is_some())
        .collect();
    match present.as_slice() {
        [] => "no state, nonce or code_challenge".into(),
        [one] => format!("its own {one}"),
        [init @ .., last] => format!("its own {} and {last}", init.join(", ")),
    }
}

/// The query parameters of a URL.
pub fn query(url: &str) -> crate::protocol::params::Params {
    crate::protocol::http_wire::parse_url(url)
        .map(|u| crate::protocol::params::Params::from_query(&u))
        .unwrap_or_default()
}

/// Who the web client believes is signed in, for the session whose cookie `browser`
/// holds.
pub fn client_user_of(sim: &crate::sim::Simulation, browser: &str) -> Option<String> {
    let session = client_session_of(sim, browser)?;
    session.user.as_ref().map(|(sub, _)| sub.clone())
}

/// Whose photos the web client shows in the session whose cookie `browser` holds.
pub fn client_photos_owner_of(sim: &crate::sim::Simulation, browser: &str) -> Option<String> {
    client_session_of(sim, browser)?.photos_owner.clone()
}

/// The web client's session whose cookie `browser` holds.
fn client_session_of<'a>(
    sim: &'a crate::sim::Simulation,
    browser: &str,
) -> Option<&'a crate::actors::client::session::Session> {
    use crate::actors::browser::Browser;
    use crate::actors::client::Client;
    let cookie = sim
        .actor::<Browser>(browser)?
        .cookie(
            "client.example",
            crate::actors::client::session::SESSION_COOKIE,
        )?
        .to_string();
    sim.actor::<Client>(wk::CLIENT)?.session(&cookie)
}

/// The callback URL that injects `code` into the session that sent `state`, with the
/// `iss` of the leaked response when it had one (the attacker copies what it saw).
pub fn injection_url(code: &str, state: Option<&str>, leaked_iss: Option<&str>) -> String {
    injection_url_at(wk::CLIENT_REDIRECT_URI, code, state, leaked_iss)
}

/// [`injection_url`] at the client's callback `callback` (live mode's real URL).
pub fn injection_url_at(
    callback: &str,
    code: &str,
    state: Option<&str>,
    leaked_iss: Option<&str>,
) -> String {
    let mut p = crate::protocol::params::Params::default();
    p.push("code", code);
    if let Some(s) = state {
        p.push("state", s);
    }
    if let Some(iss) = leaked_iss {
        p.push("iss", iss);
    }
    crate::protocol::params::append_query(callback, &p)
}

/// The attacker starts its own sign-in at Photo Printer and stops its browser at the AS:
/// adds the attacker's browser, a tap that hands its authorization request to `reader`
/// instead of delivering it, and the script step. The attacker's session at the client
/// then waits with the attacker's own state, nonce and verifier.
pub fn stop_own_sign_in_at_as(sim: &mut crate::sim::Simulation, reader: &str, login_url: &str) {
    stop_attacker_browser_at_as(sim, reader);
    sim.push_script(navigate(
        ATTACKER_BROWSER,
        login_url,
        "Mallory starts a sign-in at Photo Printer in her own browser.",
    ));
}

/// Where the attacker stops its own browser at the AS: its authorization request
/// (RFC 6749 §4.1.1), whose state, nonce and challenge its session at the client waits
/// with.
pub const STOPS_AT_THE_AS: &str = "/authorize";

/// Adds the attacker's browser and a tap that hands its authorization requests to
/// `reader` instead of delivering them to the AS.
pub fn stop_attacker_browser_at_as(sim: &mut crate::sim::Simulation, reader: &str) {
    use crate::attacks::interceptors::{Tap, TapAction, is_request};
    sim.add_attacker_actor(Box::new(attacker_browser()));
    sim.add_interceptor(Box::new(Tap::new(
        "the attacker stops its own browser at the AS",
        |env| is_request(env, ATTACKER_BROWSER, wk::AS, STOPS_AT_THE_AS),
        TapAction::Capture(ActorId::new(reader)),
    )));
}

/// A tap that copies the AS's authorization responses to Alice's browser to `reader`
/// (RFC 9700 §3 A3).
pub fn read_authorization_responses(sim: &mut crate::sim::Simulation, reader: &str, name: &str) {
    use crate::attacks::interceptors::{Tap, TapAction, is_authorization_response};
    sim.add_interceptor(Box::new(Tap::new(
        name,
        |env| is_authorization_response(env, wk::AS, wk::BROWSER),
        TapAction::CopyTo(ActorId::new(reader)),
    )));
}

/// The goal of the injection attacks: the attacker's session shows Alice's photos.
pub fn attacker_session_shows_alice(sim: &crate::sim::Simulation) -> Option<String> {
    shows_alices_photos(client_photos_owner_of(sim, ATTACKER_BROWSER).as_deref())
}

/// The goal of the injection attacks on whose photos the attacker's browser session at
/// the client shows.
pub fn shows_alices_photos(owner: Option<&str>) -> Option<String> {
    (owner? == wk::ALICE)
        .then(|| "the attacker's browser session at Photo Printer shows Alice's photos".to_string())
}

/// The client's sign-in page at `client_origin`, where a sign-in starts.
pub fn sign_in_url(client_origin: &str) -> String {
    format!("{client_origin}/login")
}

/// Alice uses a legacy browser: with no policy from the page, it sends the full URL of
/// the page — query included — in `Referer` to other https sites
/// (`no-referrer-when-downgrade`, browsers' default before 2020), where today's default
/// (`strict-origin-when-cross-origin`) sends only the origin (RFC 9700 §4.2.4).
pub fn alice_uses_a_legacy_browser(sim: &mut crate::sim::Simulation) {
    if let Some(b) = sim.actor_mut::<crate::actors::browser::Browser>(wk::BROWSER) {
        legacy_referrer_policy(b);
    }
}

/// Makes `b` a legacy browser: full URLs in `Referer` (see [`alice_uses_a_legacy_browser`]).
pub fn legacy_referrer_policy(b: &mut crate::actors::browser::Browser) {
    use crate::actors::browser::referrer::ReferrerPolicy;
    b.set_default_referrer_policy(ReferrerPolicy::NoReferrerWhenDowngrade);
}

/// The `state` of an authorization request URL.
pub fn state_of(url: &str) -> Option<String> {
    query(url).first("state").map(str::to_string)
}

/// The code (and `iss`, if any) carried by a request's `Referer`.
pub fn code_in_referer(
    req: &crate::protocol::http_wire::Request,
) -> Option<(String, Option<String>)> {
    let referer = query(crate::protocol::http_wire::header(req, "referer")?);
    let code = referer.first("code")?.to_string();
    Some((code, referer.first("iss").map(str::to_string)))
}

/// A tap that copies the web client's first call to the photo API — the request log of a
/// proxy in front of the RS — to `reader` (RFC 9700 §3, A5: access tokens leak in logs).
pub fn api_request_log(sim: &mut crate::sim::Simulation, reader: &str) {
    sim.add_interceptor(Box::new(
        crate::attacks::interceptors::Tap::new(
            "a request log in front of the photo API",
            |env| crate::attacks::interceptors::is_request(env, wk::CLIENT, wk::RS, "/photos"),
            crate::attacks::interceptors::TapAction::CopyTo(ActorId::new(reader)),
        )
        .times(1),
    ));
}

/// The standard world with [`api_request_log`] read by `reader`, an attacker driven by
/// `playbook`, in which Alice signs in (RFC 9700 §3, A5).
pub fn request_log_world(
    seed: u64,
    defenses: Defenses,
    reader: &str,
    playbook: impl crate::attacks::attacker::Playbook,
) -> Simulation {
    let mut sim = WorldBuilder::standard(seed, defenses).build();
    sim.add_actor(Box::new(crate::attacks::attacker::Attacker::new(
        reader,
        "Attacker (reads a request log)",
        &[],
        playbook,
    )));
    api_request_log(&mut sim, reader);
    sim.push_script(crate::sim::world::alice_signs_in());
    sim
}

/// What a request log shows of one API request: its method, URL and headers, the
/// access token and the DPoP proof among them.
#[derive(Debug, Clone, Default)]
pub struct LoggedRequest {
    pub method: String,
    pub url: String,
    /// The `Authorization` header, as sent (`Bearer …` or `DPoP …`).
    pub authorization: Option<String>,
    /// The `DPoP` header (RFC 9449 §4.1), if there was one.
    pub proof: Option<String>,
}

impl LoggedRequest {
    /// Reads a copied request's wire text; `None` for anything else.
    pub fn read(wire: &str) -> Option<Self> {
        let req = crate::protocol::http_wire::parse_request(wire).ok()?;
        let header = |n: &str| crate::protocol::http_wire::header(&req, n).map(str::to_string);
        Some(LoggedRequest {
            method: req.method().to_string(),
            url: crate::protocol::http_wire::url_string(req.uri()),
            authorization: header("authorization"),
            proof: header("dpop"),
        })
    }

    /// The access token, whichever scheme carried it.
    pub fn token(&self) -> Option<&str> {
        let a = self.authorization.as_deref()?;
        a.strip_prefix("Bearer ")
            .or_else(|| a.strip_prefix("DPoP "))
            .map(str::trim)
    }

    /// Whether the token went with the DPoP scheme (RFC 9449 §7.1).
    pub fn dpop_bound(&self) -> bool {
        self.authorization
            .as_deref()
            .is_some_and(|a| a.starts_with("DPoP "))
    }

    /// The same request, byte for byte in its method and headers, sent to `url`.
    pub fn replayed_to(&self, url: &str) -> crate::protocol::http_wire::Request {
        let method = http::Method::from_bytes(self.method.as_bytes()).unwrap_or(http::Method::GET);
        let mut req = crate::protocol::http_wire::request(method, url);
        for (name, value) in [
            ("authorization", &self.authorization),
            ("dpop", &self.proof),
        ] {
            if let Some(v) = value {
                crate::protocol::http_wire::set_header(req.headers_mut(), name, v);
            }
        }
        req
    }
}

/// A world with the Photos app (and no web client), in which Alice starts its sign-in.
pub fn native_app_world(
    seed: u64,
    defenses: crate::actors::Defenses,
    app: crate::actors::native_app::NativeAppConfig,
) -> crate::sim::Simulation {
    let mut w = crate::sim::world::WorldBuilder::standard(seed, defenses);
    w.with_web_client = false;
    w.native_app = Some(app);
    let mut sim = w.build();
    sim.push_script(ScriptEvent::Input {
        to: ActorId::new(wk::NATIVE_APP),
        action: UserAction::StartLogin,
        narration: "Alice taps \"Sign in\" in the Photos app.".into(),
    });
    sim
}

/// A tap through which the OS hands `com.example.photos:` URLs to `actor` instead of the
/// Photos app (a malicious app claiming the same scheme, RFC 8252 §8.1).
pub fn scheme_squatter(sim: &mut crate::sim::Simulation, actor: &str) {
    use crate::attacks::interceptors::{Tap, TapAction, request_target};
    sim.add_interceptor(Box::new(Tap::new(
        "the OS hands com.example.photos: URLs to the malicious app, which claims that scheme too",
        |env| {
            env.to.as_str() == wk::NATIVE_APP
                && request_target(env).is_some_and(|t| t.starts_with("com.example.photos:"))
        },
        TapAction::Reroute(ActorId::new(actor)),
    )));
}

/// The PKCE verifier Photo Frame uses: the attacker's own client does PKCE properly.
pub const FRAME_VERIFIER: &str = "photo-frame-verifier-chosen-by-the-attacker-0123456789";

/// An authorization request of Photo Frame (the attacker's client) for Alice.
pub fn frame_authorization_url(scope: &str, state: &str) -> String {
    FramePlaces::simulated().authorization_url(scope, state)
}

/// Photo Frame redeeming a code at the honest AS as the confidential client it is:
/// `client_secret_basic` and its own PKCE verifier.
pub fn frame_redemption(code: &str) -> TokenRequest {
    FramePlaces::simulated().redemption(code)
}

/// Where Photo Frame (the attacker's own client) lives and whom it talks to: the
/// in-process world's names, or live mode's real URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramePlaces {
    /// The honest AS's issuer.
    pub as_issuer: String,
    /// The honest RS's origin.
    pub rs_origin: String,
    /// Photo Frame's own site (the attacker's).
    pub site: String,
}

impl FramePlaces {
    /// as.example, rs.example and attacker.example.
    pub fn simulated() -> Self {
        FramePlaces {
            as_issuer: wk::AS_ISSUER.to_string(),
            rs_origin: wk::RS_ORIGIN.to_string(),
            site: ATTACKER_ORIGIN.to_string(),
        }
    }

    /// Photo Frame's redirect URI, on its own site.
    pub fn redirect_uri(&self) -> String {
        format!("{}/cb", self.site)
    }

    /// Photo Frame's registration at the AS ([`attacker_client`] at this site).
    pub fn client(&self) -> ClientRegistration {
        ClientRegistration::confidential(ATTACKER_CLIENT_ID, "Photo Frame", ATTACKER_CLIENT_SECRET)
            .with_redirect_uri(&self.redirect_uri())
            .with_scopes("openid photos.read photos.write")
            .with_grants(&[GrantType::AuthorizationCode, GrantType::RefreshToken])
    }

    /// An authorization request of Photo Frame for Alice, with its PKCE challenge
    /// (RFC 6749 §4.1.1, RFC 7636 §4.3).
    pub fn authorization_url(&self, scope: &str, state: &str) -> String {
        AuthorizationRequest::new(ResponseType::Code, ATTACKER_CLIENT_ID, &self.redirect_uri())
            .scope(scope)
            .state(&State::new(state))
            .pkce_challenge(&CodeVerifier::new(FRAME_VERIFIER), ChallengeMethod::S256)
            .url(&format!("{}/authorize", self.as_issuer))
    }

    /// Photo Frame redeeming `code` with `client_secret_basic` and its own verifier
    /// (RFC 6749 §4.1.3).
    pub fn redemption(&self, code: &str) -> TokenRequest {
        TokenRequest::authorization_code(&AuthorizationCode::new(code), &self.redirect_uri())
            .client_auth(&ClientAuth::basic(
                ATTACKER_CLIENT_ID,
                ATTACKER_CLIENT_SECRET,
            ))
            .code_verifier(&CodeVerifier::new(FRAME_VERIFIER))
    }

    /// The honest AS's token endpoint.
    pub fn token_endpoint(&self) -> String {
        format!("{}/token", self.as_issuer)
    }

    /// The honest RS's photo list.
    pub fn photos_api(&self) -> String {
        format!("{}/photos", self.rs_origin)
    }
}

/// A code redeemed in the name of the Photos app, a public client: anyone may send its
/// `client_id` (RFC 6749 §4.1.3), so only a PKCE verifier can tell the thief apart.
pub fn redemption_as_photos_app(code: &str, verifier: Option<&str>) -> TokenRequest {
    TokenRequest::authorization_code(&AuthorizationCode::new(code), wk::NATIVE_REDIRECT_URI)
        .code_verifier(verifier.map(CodeVerifier::new).as_ref())
        .client_auth(&ClientAuth::public(wk::NATIVE_CLIENT_ID))
}

/// Photo Frame's site at attacker.example: `/` starts its authorization request.
pub fn frame_site(
    playbook: impl crate::attacks::attacker::Playbook,
    scope: &str,
    state: &str,
) -> crate::attacks::attacker::Attacker {
    frame_site_at(
        &FramePlaces::simulated(),
        "Attacker (Photo Frame at attacker.example)",
        playbook,
        scope,
        state,
    )
}

/// Photo Frame's site at `at.site`, labelled `label`: `/` starts its authorization
/// request for `scope` with `state`; `/cb` is its callback page.
pub fn frame_site_at(
    at: &FramePlaces,
    label: &str,
    playbook: impl crate::attacks::attacker::Playbook,
    scope: &str,
    state: &str,
) -> crate::attacks::attacker::Attacker {
    crate::attacks::attacker::Attacker::new(ATTACKER, label, &[&at.site], playbook)
        .with_redirect("/", &at.authorization_url(scope, state))
        .with_page(
            "/cb",
            "Photo Frame",
            "<h1>Photo Frame</h1><p>Connected.</p>",
        )
}

/// The attacker's own sign-in waiting at the client, and the one injection it makes:
/// when a code leaks, its browser opens the callback with that code and its own state.
#[derive(Debug, Default)]
pub struct OwnSession {
    state: Option<String>,
    injected: bool,
    /// The client's callback, when it is not Photo Printer's in-process one.
    callback: Option<String>,
}

impl OwnSession {
    /// The attacker's own sign-in at the client whose callback is `callback`.
    pub fn at(callback: &str) -> Self {
        OwnSession {
            callback: Some(callback.to_string()),
            ..OwnSession::default()
        }
    }

    /// Remembers the state of the attacker's own (captured) authorization request.
    pub fn remember(&mut self, authorization_url: &str) {
        self.state = state_of(authorization_url);
    }

    /// Opens the client's callback with `code` in the attacker's browser (once).
    pub fn inject(
        &mut self,
        kit: &mut crate::attacks::attacker::Kit,
        ctx: &mut crate::attacks::attacker::Moves<'_, '_>,
        code: &str,
        iss: Option<&str>,
    ) {
        if std::mem::replace(&mut self.injected, true) {
            return;
        }
        kit.drive(
            ctx,
            ATTACKER_BROWSER,
            &injection_url_at(
                self.callback.as_deref().unwrap_or(wk::CLIENT_REDIRECT_URI),
                code,
                self.state.as_deref(),
                iss,
            ),
            "The attacker opens the callback with the leaked code.",
        );
    }
}

/// The Photos app's world (custom-scheme redirect) with malware `thief`, driven by
/// `playbook`, that reads the app's storage: it gets a copy of the first token
/// response the app receives (RFC 9700 §4.14: refresh tokens can leak from a client).
pub fn storage_thief_world(
    seed: u64,
    defenses: Defenses,
    thief: &str,
    playbook: impl crate::attacks::attacker::Playbook,
) -> Simulation {
    let mut sim = native_app_world(
        seed,
        defenses,
        crate::actors::native_app::NativeAppConfig::custom_scheme(),
    );
    sim.add_actor(Box::new(crate::attacks::attacker::Attacker::new(
        thief,
        "Attacker (malware)",
        &[],
        playbook,
    )));
    sim.add_interceptor(Box::new(
        crate::attacks::interceptors::Tap::new(
            "malware reading the app's storage",
            |env| crate::attacks::interceptors::is_token_response(env, wk::NATIVE_APP),
            crate::attacks::interceptors::TapAction::CopyTo(ActorId::new(thief)),
        )
        .times(1),
    ));
    sim
}
