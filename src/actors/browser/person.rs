//! The person at the browser: who they are, what they type, what they decide.

use serde::{Deserialize, Serialize};

use crate::actors::well_known;

/// What the person answers on a consent screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsentChoice {
    Approve,
    Deny,
}

impl ConsentChoice {
    /// The value of the consent form's `decision` button for this choice.
    pub fn button_value(self) -> &'static str {
        match self {
            ConsentChoice::Approve => "approve",
            ConsentChoice::Deny => "deny",
        }
    }

    /// Parses `approve`/`allow` or `deny`.
    pub fn parse(s: &str) -> Option<ConsentChoice> {
        match s.trim().to_ascii_lowercase().as_str() {
            "approve" | "allow" | "yes" => Some(ConsentChoice::Approve),
            "deny" | "no" => Some(ConsentChoice::Deny),
            _ => None,
        }
    }
}

/// The person using the browser. `Debug` hides the password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// How notes name them ("Alice").
    pub name: String,
    pub username: String,
    pub password: String,
    pub consent: ConsentChoice,
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person")
            .field("name", &self.name)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("consent", &self.consent)
            .finish()
    }
}

impl Person {
    pub fn new(name: &str, username: &str, password: &str, consent: ConsentChoice) -> Self {
        Person {
            name: name.to_string(),
            username: username.to_string(),
            password: password.to_string(),
            consent,
        }
    }

    /// Alice, the honest user, who approves.
    pub fn alice() -> Self {
        Person::new(
            "Alice",
            well_known::ALICE,
            well_known::ALICE_PASSWORD,
            ConsentChoice::Approve,
        )
    }

    /// Mallory at her own browser, signing in to her own account (RFC 9700 §3).
    pub fn mallory() -> Self {
        Person::new(
            "Mallory",
            well_known::MALLORY,
            well_known::MALLORY_PASSWORD,
            ConsentChoice::Approve,
        )
    }

    /// The same person with another consent choice.
    pub fn with_consent(mut self, consent: ConsentChoice) -> Self {
        self.consent = consent;
        self
    }
}
