//! The standard world and its default script: Alice signs in to Photo Printer with
//! as.example, the client shows her photos, and an hour later it refreshes the access
//! token. Attacks and lessons build on [`WorldBuilder`].

use super::script::ScriptEvent;
use super::simulation::Simulation;
use crate::actors::auth_server::{AuthServer, AuthServerConfig};
use crate::actors::browser::{Browser, Person};
use crate::actors::client::{Client, ClientConfig};
use crate::actors::native_app::{NativeApp, NativeAppConfig};
use crate::actors::resource_server::{ResourceServer, RsConfig};
use crate::actors::well_known as wk;
use crate::actors::{ActorId, Defenses, UserAction};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 2026;

/// The parts of the standard world, each adjustable before building.
pub struct WorldBuilder {
    pub seed: u64,
    pub defenses: Defenses,
    pub person: Person,
    pub client: ClientConfig,
    pub auth_server: AuthServerConfig,
    pub resource_server: RsConfig,
    pub native_app: Option<NativeAppConfig>,
    /// Whether the world has the web client (attacks on the native app leave it out).
    pub with_web_client: bool,
}

impl WorldBuilder {
    /// Browser (Alice), client, AS and RS, as in `well_known`.
    pub fn standard(seed: u64, defenses: Defenses) -> Self {
        WorldBuilder {
            seed,
            defenses,
            person: Person::alice(),
            client: ClientConfig::standard(),
            auth_server: AuthServerConfig::standard(),
            resource_server: RsConfig::standard(),
            native_app: None,
            with_web_client: true,
        }
    }

    /// Builds the simulation with no script.
    pub fn build(self) -> Simulation {
        let mut sim = Simulation::new(self.seed, self.defenses);
        sim.add_actor(Box::new(Browser::new(wk::BROWSER, self.person)));
        if self.with_web_client {
            sim.add_actor(Box::new(Client::new(self.client)));
        }
        if let Some(app) = self.native_app {
            sim.add_actor(Box::new(NativeApp::new(app)));
        }
        match AuthServer::new(self.auth_server) {
            Ok(a) => sim.add_actor(Box::new(a)),
            Err(e) => panic!("the standard AS configuration is valid: {e}"),
        }
        sim.add_actor(Box::new(ResourceServer::new(self.resource_server)));
        sim
    }
}

/// Alice opens Photo Printer's sign-in link.
pub fn alice_signs_in() -> ScriptEvent {
    ScriptEvent::Input {
        to: ActorId::new(wk::BROWSER),
        action: UserAction::Navigate {
            url: format!("{}/login", wk::CLIENT_ORIGIN),
        },
        narration: "Alice clicks \"Sign in with as.example\" on Photo Printer.".into(),
    }
}

/// The default script: sign-in, photos, an hour passes, photos again (refresh).
pub fn default_script() -> Vec<ScriptEvent> {
    vec![
        alice_signs_in(),
        ScriptEvent::AdvanceClock {
            secs: 3600,
            narration: "An hour passes: longer than an access token lives (10 minutes).".into(),
        },
        ScriptEvent::Input {
            to: ActorId::new(wk::BROWSER),
            action: UserAction::Navigate {
                url: format!("{}/photos", wk::CLIENT_ORIGIN),
            },
            narration: "Alice opens her photos again.".into(),
        },
    ]
}

/// The standard world with the default script queued.
pub fn default_flow(seed: u64, defenses: Defenses) -> Simulation {
    let mut sim = WorldBuilder::standard(seed, defenses).build();
    for e in default_script() {
        sim.push_script(e);
    }
    sim
}
