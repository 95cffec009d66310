//! Attacks: attackers with exactly the capabilities of RFC 9700 §3, a catalog of
//! attacks, and the attack × defense matrix.
//!
//! An attack is a world (the honest actors plus attacker actors and interceptors) and a
//! goal predicate evaluated on the final world state. Whether the goal is reached is
//! decided by the honest actors' own code reacting to the attacker's real messages:
//! nothing here says "attack X succeeds when defense Y is off".
//! Each attack *declares* the defenses that should stop it; the matrix test checks
//! that declaration against what the simulation computes.

pub mod attacker;
pub mod capabilities_used;
pub mod catalog;
pub mod causality;
pub mod interceptors;
pub mod matrix;
pub mod outcome;
pub mod playbook_parts;
pub mod role;
pub mod setup;

use serde::Serialize;

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::sim::Simulation;

pub use outcome::{AttackRun, Verdict, run_attack};

/// An attacker capability from RFC 9700 §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// A1: a web attacker with its own site, account, clients and browser.
    WebAttacker,
    /// A3: reads authorization responses (a malicious app on the same scheme, a log,
    /// a `Referer` sink).
    ResponseReader,
    /// A4: reads authorization requests.
    RequestReader,
    /// A5: a counterfeit resource server that receives tokens.
    CounterfeitRs,
    /// An authorization server the client also trusts, run by the attacker (mix-up).
    MaliciousAs,
    /// Steals what a client stores (a leaked database or log): refresh tokens, ID tokens.
    StorageReader,
    /// A5: reads access tokens where they leak on their way to the RS (a proxy's or the
    /// RS's request log), with whatever headers came with them.
    AccessTokenReader,
}

impl Capability {
    pub fn label(self) -> &'static str {
        match self {
            Capability::WebAttacker => "A1 web attacker",
            Capability::ResponseReader => "A3 reads authorization responses",
            Capability::RequestReader => "A4 reads authorization requests",
            Capability::CounterfeitRs => "A5 counterfeit resource server",
            Capability::MaliciousAs => "malicious authorization server",
            Capability::StorageReader => "reads leaked client storage",
            Capability::AccessTokenReader => "A5 reads access tokens in a request log",
        }
    }
}

/// A defense the catalog declares should stop an attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stopper {
    /// The defense; serialized as its name from `oauth-lab defenses`.
    pub defense: DefenseId,
    /// Why it stops the attack, with the RFC section.
    pub why: &'static str,
    /// Defenses it works only together with: turned on with it, it stops the attack
    /// from `naive` too (e.g. `reject-verifier-without-challenge` needs the client to
    /// send a challenge at all, `pkce`). Empty: it needs nothing else.
    pub needs: &'static [DefenseId],
    /// The claim is only "within `bcp`": it stops the attack when the rest of `bcp` is
    /// on, but with `needs` alone from `naive` it does not.
    pub with_rest_of_bcp: bool,
    /// It stops the attack only by making the honest flow fail before the attack begins
    /// (e.g. an AS that requires PKCE grants a client without PKCE no code at all): the
    /// verdict it yields is "flow failed before the attack", not "blocked".
    pub fails_the_flow: bool,
}

impl Stopper {
    /// A defense that stops the attack on its own, for the reason `why`.
    pub const fn alone(defense: DefenseId, why: &'static str) -> Stopper {
        Stopper {
            defense,
            why,
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: false,
        }
    }

    /// A defense that stops the attack by making the honest flow fail before the
    /// attack begins.
    pub const fn failing_the_flow(defense: DefenseId, why: &'static str) -> Stopper {
        Stopper {
            fails_the_flow: true,
            ..Stopper::alone(defense, why)
        }
    }

    /// The same, working only together with `needs`.
    pub const fn needing(self, needs: &'static [DefenseId]) -> Stopper {
        Stopper { needs, ..self }
    }

    /// The same, claimed only with the rest of `bcp` on.
    pub const fn within_bcp(self) -> Stopper {
        Stopper {
            with_rest_of_bcp: true,
            ..self
        }
    }

    /// The defenses to turn on in `naive` to test this stopper from there: itself and
    /// what it needs.
    pub fn from_naive(&self) -> Defenses {
        let mut d = Defenses::naive();
        for &id in std::iter::once(&self.defense).chain(self.needs) {
            d.set_on(id, true);
        }
        d
    }

    /// How the catalog states it: `name`, `name (with pkce)`, `name (with the rest of
    /// bcp)`, and `— by failing the honest flow` when that is how it stops the attack.
    pub fn claim(&self) -> String {
        let mut s = self.defense.name().to_string();
        if self.with_rest_of_bcp {
            s.push_str(" (with the rest of bcp)");
        } else if !self.needs.is_empty() {
            let names: Vec<&str> = self.needs.iter().map(|d| d.name()).collect();
            s.push_str(&format!(" (with {})", names.join(", ")));
        }
        if self.fails_the_flow {
            s.push_str(" — by failing the honest flow");
        }
        s
    }
}

/// What the catalog says about an attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AttackInfo {
    pub id: &'static str,
    pub title: &'static str,
    /// A short story, in plain words.
    pub story: &'static str,
    pub capabilities: &'static [Capability],
    /// What the world needs beyond the standard one.
    pub setup: &'static str,
    /// The attacker's steps.
    pub steps: &'static [&'static str],
    /// The goal, in words.
    pub goal: &'static str,
    /// Defenses that should each stop it — alone, with what they declare they need, or
    /// with the rest of `bcp` (checked from `naive` and from `bcp` by the matrix test).
    pub stoppers: &'static [Stopper],
    pub references: &'static str,
}

/// An attack: its world and its goal.
pub trait Attack: Sync {
    fn info(&self) -> &'static AttackInfo;
    /// The world: honest actors, attacker actors, interceptors and script.
    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation;
    /// The world, with every actor's RNG tied to this attack (so codes and tokens in
    /// one attack's transcript differ from another's and from the plain flow's).
    fn build(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = self.build_world(seed, defenses);
        sim.set_rng_world(self.info().id);
        sim
    }
    /// The goal predicate on the final world: what the attacker achieved, in words,
    /// or `None`.
    fn goal(&self, sim: &Simulation) -> Option<String>;
}

/// Every attack, in catalog order.
pub fn catalog() -> &'static [&'static dyn Attack] {
    catalog::ALL
}

/// The attack with this id.
pub fn find(id: &str) -> Option<&'static dyn Attack> {
    catalog().iter().copied().find(|a| a.info().id == id)
}

/// Every attack id.
pub fn ids() -> Vec<&'static str> {
    catalog().iter().map(|a| a.info().id).collect()
}
