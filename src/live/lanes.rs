//! Lanes for parties outside the world: a request that did not come from one of the
//! world's own actors came from a real browser, from curl, or from the learner's own
//! client. Which one is read from its `User-Agent` (RFC 9110 §10.1.5) — a label for the
//! diagram, never a reason to treat the request differently. The lanes themselves are
//! the simulation's ([`crate::sim::lane`]), so a recorded session replays them.

pub use crate::sim::lane::Lane;

impl Lane {
    /// The lane of a request with this `User-Agent` header value.
    pub fn of_user_agent(user_agent: Option<&str>) -> Lane {
        match user_agent {
            Some(ua) if ua.starts_with("Mozilla/") => Lane::RealBrowser,
            Some(ua) if ua.starts_with("curl/") => Lane::Curl,
            _ => Lane::LearnerClient,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::ActorKind;

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
