//! A live world (`oauth-lab serve --record`): the standard parties at the URLs live mode
//! bound — Photo Printer, the AS and the RS, and in tests Alice's simulated browser —
//! replayed on the simulated bus.
//!
//! The replay keeps the recorded URLs as they were (`http://127.0.0.2:9001`): they are
//! the parties' addresses on the bus, no socket is opened, and the issuer, the redirect
//! URIs and the audience in the tokens are the live ones, byte for byte. Messages take
//! no simulated time there; the clock is the recorded one
//! ([`crate::sim::LearnerInput::ClockAt`]).

use serde::{Deserialize, Serialize};

use super::error::WorldError;
use crate::actors::{Actor, Defenses};
use crate::live::parties::{self, LiveUrls};
use crate::sim::Simulation;

/// Where the live parties listened, and whether Alice's simulated browser took part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveSite {
    /// Photo Printer's base URL (`http://127.0.0.1:9000`).
    pub client: String,
    /// The AS's base URL, its issuer.
    pub auth_server: String,
    /// The RS's base URL, its resource identifier.
    pub resource_server: String,
    /// Alice's simulated browser was part of the world (tests drive it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub browser: bool,
}

impl LiveSite {
    /// The site of a live server's URLs.
    pub fn of(urls: &LiveUrls, browser: bool) -> Self {
        LiveSite {
            client: urls.client.clone(),
            auth_server: urls.auth_server.clone(),
            resource_server: urls.resource_server.clone(),
            browser,
        }
    }

    pub fn urls(&self) -> LiveUrls {
        LiveUrls {
            client: self.client.clone(),
            auth_server: self.auth_server.clone(),
            resource_server: self.resource_server.clone(),
            attacker: None,
        }
    }

    /// The parties, in the order live mode starts them (so each draws from the same
    /// RNG stream, the child of the seed named by its id).
    fn actors(&self) -> Result<Vec<Box<dyn Actor + Send>>, WorldError> {
        for url in [&self.client, &self.auth_server, &self.resource_server] {
            if !url.starts_with("http://") || parties::host_of(url).contains('/') {
                return Err(WorldError::Live(format!(
                    "`{url}` is not a live base URL such as http://127.0.0.1:9000"
                )));
            }
        }
        parties::actors(&self.urls(), self.browser).map_err(|e| WorldError::Live(e.to_string()))
    }

    /// Whether the parties can be built at these URLs.
    pub fn check(&self) -> Result<(), WorldError> {
        self.actors().map(drop)
    }

    /// The live world on the simulated bus, not yet started. A site that does not
    /// [`LiveSite::check`] gives an empty world.
    pub fn build(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = Simulation::new(seed, defenses);
        sim.set_instant_hops();
        for actor in self.actors().unwrap_or_default() {
            sim.add_actor(actor);
        }
        sim
    }
}
