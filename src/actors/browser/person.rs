//! The person at the browser: who they are, what they type, what they decide.
//!
//! The person trusts two things, and only those (RFC 9700 §4.11.2 is about abusing
//! exactly this trust):
//! - a link someone sends them is opened only when it points at a site they know
//!   ([`Person::trusted_sites`]: the AS where they have their account and the client
//!   they use); a link to any other site is left unopened;
//! - their password is typed only into a sign-in form on the pages of the AS where they
//!   have their account ([`Person::account_at`]), or on a page that AS itself redirected
//!   them to: they trust the AS's own redirect and do not re-read the address bar after
//!   it — which is why an AS that redirects to unvalidated URIs is an open redirector
//!   for phishing.

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
    /// The origin of the AS where their account is (`https://as.example`).
    pub account_at: String,
    /// The origins whose links they open when someone sends them one.
    pub trusted_sites: Vec<String>,
}

/// Why the person types (or does not type) their password into a sign-in form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordTrust {
    /// The form is on a page of the AS where their account is.
    OwnAsPage,
    /// The form is on another site, but that AS's own redirect brought them there.
    RedirectedByOwnAs { page_origin: String },
    /// The form is on another site they reached by other means: they type nothing.
    Refused { page_origin: String },
}

/// The origin (`https://host[:port]`) of a URL, if it is one.
pub fn origin_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .map(|u| u.origin())
        .filter(url::Origin::is_tuple)
        .map(|o| o.ascii_serialization())
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person")
            .field("name", &self.name)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("consent", &self.consent)
            .field("account_at", &self.account_at)
            .field("trusted_sites", &self.trusted_sites)
            .finish()
    }
}

impl Person {
    /// A person with an account at as.example who opens links to as.example and to
    /// Photo Printer's site.
    pub fn new(name: &str, username: &str, password: &str, consent: ConsentChoice) -> Self {
        Person {
            name: name.to_string(),
            username: username.to_string(),
            password: password.to_string(),
            consent,
            account_at: well_known::AS_ISSUER.to_string(),
            trusted_sites: vec![
                well_known::AS_ISSUER.to_string(),
                well_known::CLIENT_ORIGIN.to_string(),
            ],
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

    /// The same person with their account at another site (`origin`), which they also
    /// trust for links.
    pub fn with_account_at(mut self, origin: &str) -> Self {
        self.account_at = origin.to_string();
        if !self.trusted_sites.iter().any(|s| s == origin) {
            self.trusted_sites.push(origin.to_string());
        }
        self
    }

    /// Whether they open a link to `url` that someone sent them: only to a site they
    /// trust.
    pub fn opens_link_to(&self, url: &str) -> bool {
        origin_of(url).is_some_and(|o| self.trusted_sites.contains(&o))
    }

    /// Whether they type their password into a sign-in form on the page at `page_url`,
    /// which the redirect from `redirected_from` (if any) brought them to.
    pub fn password_trust(&self, page_url: &str, redirected_from: Option<&str>) -> PasswordTrust {
        let page_origin = origin_of(page_url).unwrap_or_else(|| page_url.to_string());
        if page_origin == self.account_at {
            PasswordTrust::OwnAsPage
        } else if redirected_from.and_then(origin_of).as_deref() == Some(self.account_at.as_str()) {
            PasswordTrust::RedirectedByOwnAs { page_origin }
        } else {
            PasswordTrust::Refused { page_origin }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alice_opens_links_only_to_the_sites_she_trusts() {
        let alice = Person::alice();
        assert!(alice.opens_link_to("https://as.example/authorize?client_id=x"));
        assert!(alice.opens_link_to("https://client.example/login"));
        assert!(!alice.opens_link_to("https://attacker.example/"));
        assert!(!alice.opens_link_to("https://as.example.attacker.example/"));
        assert!(!alice.opens_link_to("not a url"));
    }

    #[test]
    fn alice_types_her_password_on_her_as_or_where_it_redirected_her() {
        let alice = Person::alice();
        assert_eq!(
            alice.password_trust("https://as.example/login?txn=1", None),
            PasswordTrust::OwnAsPage
        );
        assert_eq!(
            alice.password_trust(
                "https://attacker.example/signin",
                Some("https://as.example/authorize?x=1")
            ),
            PasswordTrust::RedirectedByOwnAs {
                page_origin: "https://attacker.example".into()
            }
        );
        for from in [None, Some("https://attacker.example/")] {
            assert_eq!(
                alice.password_trust("https://attacker.example/signin", from),
                PasswordTrust::Refused {
                    page_origin: "https://attacker.example".into()
                }
            );
        }
        let elsewhere = Person::alice().with_account_at("https://site.example");
        assert_eq!(
            elsewhere.password_trust("https://site.example/login", None),
            PasswordTrust::OwnAsPage
        );
        assert!(elsewhere.opens_link_to("https://site.example/"));
    }
}
