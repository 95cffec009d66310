//! Lanes for parties outside the world: a request that did not come from one of the
//! world's own actors came from a real browser, from curl, or from the learner's own
//! client. Which one is read from its `User-Agent` (RFC 9110 §10.1.5) — a label for the
//! diagram, never a reason to treat the request differently.

use crate::actors::{ActorId, ActorKind};

/// An outside party, as drawn in the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// A real web browser (its `User-Agent` starts with `Mozilla/`).
    RealBrowser,
    /// curl (`curl/…`).
    Curl,
    /// Anything else: the learner's own client, an OAuth library, a script.
    LearnerClient,
}

impl Lane {
    /// The lane of a request with this `User-Agent` header value.
    pub fn of_user_agent(user_agent: Option<&str>) -> Lane {
        match user_agent {
            Some(ua) if ua.starts_with("Mozilla/") => Lane::RealBrowser,
            Some(ua) if ua.starts_with("curl/") => Lane::Curl,
            _ => Lane::LearnerClient,
        }
    }

    /// The lane's actor id in the trace.
    pub fn id(self) -> ActorId {
        ActorId::new(match self {
            Lane::RealBrowser => "real-browser",
            Lane::Curl => "curl",
            Lane::LearnerClient => "learner-client",
        })
    }

    /// What kind of party the lane is: a browser's messages are front channel.
    pub fn kind(self) -> ActorKind {
        match self {
            Lane::RealBrowser => ActorKind::Browser,
            Lane::Curl | Lane::LearnerClient => ActorKind::Client,
        }
    }

    /// The lane's label in the diagram.
    pub fn label(self) -> &'static str {
        match self {
            Lane::RealBrowser => "Your browser",
            Lane::Curl => "curl",
            Lane::LearnerClient => "Your client",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_name_their_lanes() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0";
        assert_eq!(Lane::of_user_agent(Some(chrome)), Lane::RealBrowser);
        assert_eq!(Lane::of_user_agent(Some("curl/8.5.0")), Lane::Curl);
        assert_eq!(
            Lane::of_user_agent(Some("python-requests/2.31")),
            Lane::LearnerClient
        );
        assert_eq!(Lane::of_user_agent(None), Lane::LearnerClient);
        assert_eq!(Lane::RealBrowser.kind(), ActorKind::Browser);
    }
}
