//! `implicit-token-injection` and `id-token-replay`: tokens that arrive through the front
//! channel can be swapped. With the implicit flow the client takes an access token or
//! an ID token from a URL fragment and cannot tell whom it was issued to
//! (RFC 9700 §2.1.2, §4.3; OIDC Core §3.2.2.11, §15.5.2).

use crate::actors::auth_server::{AuthServerConfig, GrantType};
use crate::actors::client::ClientConfig;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::actors::{ActorId, Defenses};
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::interceptors::{Tap, TapAction, is_token_response};
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::params::Params;
use crate::protocol::secret::Secret;
use crate::protocol::token_response::TokenResponse;
use crate::sim::Simulation;
use crate::sim::world::{WorldBuilder, alice_signs_in};

/// Which token is injected.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    /// An access token for Alice that the attacker's own client obtained.
    AccessToken,
    /// Alice's ID token, read from a leak of Photo Printer's token responses.
    IdToken,
}

pub struct ImplicitInjection {
    injected: Injected,
    info: &'static AttackInfo,
}

static TOKEN_INFO: AttackInfo = AttackInfo {
    id: "implicit-token-injection",
    title: "Implicit flow: an access token injected into the client",
    story: "Photo Printer still accepts the implicit flow: a page reads access_token from the URL fragment. Mallory \
            gets an access token for Alice legitimately — through her own app, Photo Frame, which Alice connected. \
            She then starts an implicit sign-in at Photo Printer in her own browser, and opens \
            client.example/implicit-cb#access_token=<Alice's token>&state=<her state>. Photo Printer cannot tell the \
            token was issued to another client, and shows Mallory Alice's photos.",
    capabilities: &[Capability::WebAttacker],
    setup: "Photo Printer has an implicit-flow page; the attacker's client photo-frame is registered and Alice connects it.",
    steps: &[
        "Get an access token for Alice through Photo Frame (code flow)",
        "Start an implicit sign-in at Photo Printer; stop at the AS and keep the state",
        "Open client.example/implicit-cb#access_token=<Alice's token>&token_type=Bearer&state=<own state>",
    ],
    goal: "the attacker's session at Photo Printer shows Alice's photos",
    stoppers: &[Stopper::alone(
        DefenseId::NoImplicitGrant,
        "the client takes tokens only from its own token requests, bound to its credentials (RFC 9700 §2.1.2)",
    )],
    references: "RFC 9700 §2.1.2, §4.3; RFC 6749 §10.16",
};

static ID_TOKEN_INFO: AttackInfo = AttackInfo {
    id: "id-token-replay",
    title: "An ID token obtained elsewhere replayed to sign in as Alice",
    story: "Alice's ID token for Photo Printer leaks from a log of the client's token responses. Mallory starts an \
            implicit sign-in at Photo Printer in her own browser and opens \
            client.example/implicit-cb#id_token=<Alice's ID token>&state=<her state>. The signature, issuer, audience \
            and expiry are all fine — only the nonce says this token answers someone else's request.",
    capabilities: &[Capability::StorageReader, Capability::WebAttacker],
    setup: "Photo Printer has an implicit-flow page; an interceptor copies its token responses to the attacker (a leaked log).",
    steps: &[
        "Read Alice's ID token from the leaked log",
        "Start an implicit sign-in at Photo Printer; stop at the AS and keep the state",
        "Open client.example/implicit-cb#id_token=<Alice's ID token>&state=<own state>",
    ],
    goal: "the attacker's session at Photo Printer is signed in as Alice",
    stoppers: &[
        Stopper::alone(
            DefenseId::Nonce,
            "the ID token's nonce is not the one the attacker's session sent (OIDC Core §3.1.3.7, §15.5.2)",
        ),
        Stopper::alone(
            DefenseId::NoImplicitGrant,
            "the client takes ID tokens only from its own token requests",
        ),
    ],
    references: "OIDC Core §3.1.3.7, §3.2.2.11, §15.5.2; RFC 9700 §2.1.2",
};

struct Swap {
    injected: Injected,
    /// Photo Frame's places, and Photo Printer's origin (whose implicit-flow page the
    /// token goes to).
    at: FramePlaces,
    client_origin: String,
    /// Whether the attacker's own sign-in has been captured (its state, if it had one).
    captured: bool,
    own_state: Option<String>,
    token: Option<String>,
    done: bool,
}

impl Swap {
    /// Injects once both the attacker's own state and the stolen token are known.
    fn try_inject(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>) {
        let (Some(token), false) = (self.token.clone(), self.done) else {
            return;
        };
        if !self.captured {
            return;
        }
        self.done = true;
        let mut p = Params::default();
        match self.injected {
            Injected::AccessToken => {
                p.push("access_token", &token);
                p.push("token_type", "Bearer");
            }
            Injected::IdToken => p.push("id_token", &token),
        }
        if let Some(s) = &self.own_state {
            p.push("state", s);
        }
        let url = format!("{}/implicit-cb#{}", self.client_origin, p.encode());
        ctx.note("Attacker: opens Photo Printer's implicit-flow page with the stolen token in the fragment.");
        kit.drive(
            ctx,
            ATTACKER_BROWSER,
            &url,
            "The attacker injects the token.",
        );
    }
}

impl Playbook for Swap {
    fn on_observed(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if let Some(url) = request_url(wire) {
            self.captured = true;
            self.own_state = query(&url).first("state").map(str::to_string);
            ctx.note(format!(
                "Attacker: stopped its own implicit sign-in at the AS; its session waits with {}.",
                own_values_in(&url)
            ));
        } else if self.injected == Injected::IdToken
            && let Some(id_token) = kit.loot.id_tokens.last().cloned()
        {
            ctx.note("Attacker: read Alice's ID token from the leaked log.");
            self.token = Some(id_token);
        }
        self.try_inject(kit, ctx);
    }

    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        req: &Request,
    ) -> Option<Response> {
        if req.uri().path() == "/cb"
            && let Some(code) = query(&http_wire::url_string(req.uri())).first("code")
        {
            kit.request_tokens(ctx, &self.at.token_endpoint(), &self.at.redemption(code));
        }
        None
    }

    fn on_tokens(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, t: &TokenResponse) {
        ctx.note("Photo Frame: holds an access token for Alice, issued to photo-frame.");
        self.token = Some(t.access_token.expose().to_string());
        self.try_inject(kit, ctx);
    }
}

/// Photo Printer at `client` has an implicit-flow page (RFC 6749 §4.2).
pub(crate) fn with_implicit_page(client: &mut ClientConfig) {
    client.implicit_handler = true;
}

/// Photo Printer at `client_origin` is registered at `auth_server` for the implicit flow
/// too, with its fragment page.
pub(crate) fn implicit_registration(auth_server: &mut AuthServerConfig, client_origin: &str) {
    for c in auth_server
        .clients
        .iter_mut()
        .filter(|c| c.client_id == wk::CLIENT_ID)
    {
        c.redirect_uris.push(format!("{client_origin}/implicit-cb"));
        c.grant_types.push(GrantType::Implicit);
    }
}

/// The attacker's own implicit sign-in at Photo Printer at `client_origin`.
pub(crate) fn implicit_login(client_origin: &str) -> String {
    format!("{client_origin}/login?flow=implicit")
}

fn swap_site(injected: Injected, label: &str, at: &FramePlaces, client_origin: &str) -> Attacker {
    let playbook = Swap {
        injected,
        at: at.clone(),
        client_origin: client_origin.to_string(),
        captured: false,
        own_state: None,
        token: None,
        done: false,
    };
    frame_site_at(at, label, playbook, "openid photos.read", "frame-state-3")
}

/// Photo Frame's site at `at.site`, labelled `label`: Alice connects it, and the access
/// token it gets for her goes into the attacker's own implicit sign-in at Photo Printer
/// at `client_origin`.
pub(crate) fn token_swap_site(label: &str, at: &FramePlaces, client_origin: &str) -> Attacker {
    swap_site(Injected::AccessToken, label, at, client_origin)
}

/// The goal of `implicit-token-injection` on whose photos the attacker's session shows.
pub(crate) fn token_goal_of(photos_owner: Option<&str>) -> Option<String> {
    (photos_owner? == wk::ALICE).then(|| {
        "Photo Printer accepted a token issued to another client and showed the attacker Alice's photos".to_string()
    })
}

impl Attack for ImplicitInjection {
    fn info(&self) -> &'static AttackInfo {
        self.info
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut w = WorldBuilder::standard(seed, defenses);
        with_implicit_page(&mut w.client);
        implicit_registration(&mut w.auth_server, wk::CLIENT_ORIGIN);
        w.auth_server.clients.push(attacker_client());
        let mut sim = w.build();
        sim.add_actor(Box::new(swap_site(
            self.injected,
            "Attacker (Photo Frame at attacker.example)",
            &FramePlaces::simulated(),
            wk::CLIENT_ORIGIN,
        )));
        stop_attacker_browser_at_as(&mut sim, ATTACKER);
        let implicit_login = implicit_login(wk::CLIENT_ORIGIN);
        match self.injected {
            Injected::AccessToken => {
                sim.push_script(navigate(
                    wk::BROWSER,
                    &format!("{ATTACKER_ORIGIN}/"),
                    "Alice connects Photo Frame to her photos.",
                ));
            }
            Injected::IdToken => {
                sim.add_interceptor(Box::new(
                    Tap::new(
                        "a leaked log of Photo Printer's token responses",
                        |env| is_token_response(env, wk::CLIENT),
                        TapAction::CopyTo(ActorId::new(ATTACKER)),
                    )
                    .times(1),
                ));
                sim.push_script(alice_signs_in());
            }
        }
        sim.push_script(navigate(
            ATTACKER_BROWSER,
            &implicit_login,
            "Mallory starts an implicit sign-in at Photo Printer in her own browser.",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        match self.injected {
            Injected::AccessToken => {
                token_goal_of(client_photos_owner_of(sim, ATTACKER_BROWSER).as_deref())
            }
            Injected::IdToken => (client_user_of(sim, ATTACKER_BROWSER)? == wk::ALICE)
                .then(|| "Photo Printer signed the attacker's session in as alice with a replayed ID token".to_string()),
        }
    }
}

pub static TOKEN: ImplicitInjection = ImplicitInjection {
    injected: Injected::AccessToken,
    info: &TOKEN_INFO,
};
pub static ID_TOKEN: ImplicitInjection = ImplicitInjection {
    injected: Injected::IdToken,
    info: &ID_TOKEN_INFO,
};
