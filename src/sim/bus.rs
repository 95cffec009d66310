//! The simulated network: envelopes of wire text, an ordered delivery queue keyed by
//! (deliver_at, id), address resolution, and interceptor verdicts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::actors::contract::{MsgId, Origin};
use crate::actors::{ActorId, ActorKind, SimTime};

/// Which path a message takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// Through the user agent: redirects, page loads, form posts (RFC 6749 §1.3.1).
    FrontChannel,
    /// Directly between servers: token, JWKS, API, introspection calls.
    BackChannel,
    /// A copy seen by an attacker through an interceptor (RFC 9700 §3).
    Observed,
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Channel::FrontChannel => "front-channel",
            Channel::BackChannel => "back-channel",
            Channel::Observed => "observed",
        }
    }
}

/// A message in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: MsgId,
    pub from: ActorId,
    pub to: ActorId,
    pub channel: Channel,
    pub origin: Origin,
    /// The HTTP/1.1 wire text; receivers parse exactly this.
    pub wire: String,
    /// For a response: the request it answers.
    pub in_reply_to: Option<MsgId>,
    /// Whether the sender waits for a response.
    pub expects_reply: bool,
    /// The message whose handling made the sender send this one (causality, for
    /// finding which refusal stopped an attacker's plan).
    #[serde(default)]
    pub cause: Option<MsgId>,
    pub deliver_at: SimTime,
}

impl Envelope {
    pub fn is_response(&self) -> bool {
        crate::protocol::http_wire::looks_like_response(&self.wire)
    }
}

/// What an interceptor decides about a message being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Deliver it unchanged.
    Pass,
    /// Never deliver it.
    Drop,
    /// Deliver it this many milliseconds later.
    Delay(u64),
    /// Deliver this wire text instead (an attacker tampering, RFC 9700 §3 A2-style).
    Replace(String),
    /// Deliver it, and a copy to this actor's `on_observed` (a reader, A3–A5).
    CopyTo(ActorId),
    /// Do not deliver it; hand it to this actor's `on_observed` instead (an attacker
    /// copying a URL out of its own browser and stopping there).
    Capture(ActorId),
    /// Deliver it to this actor instead (e.g. a malicious app that claims the same
    /// custom scheme wins the race, RFC 8252 §8.1).
    Reroute(ActorId),
}

/// A rule that sees every message as it is sent. Interceptors belong to attackers and
/// model exactly their capabilities.
pub trait Interceptor {
    /// What the capability does, as a clause that opens the trace's note when it fires
    /// ("the OS hands com.example.photos: URLs to the malicious app").
    fn name(&self) -> &str;
    fn on_send(&mut self, envelope: &Envelope) -> Decision;
}

/// Address resolution: origin or custom scheme → actor.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    by_address: BTreeMap<String, ActorId>,
    kinds: BTreeMap<ActorId, ActorKind>,
}

impl Directory {
    pub fn register(&mut self, id: &ActorId, kind: ActorKind, addresses: &[String]) {
        self.kinds.insert(id.clone(), kind);
        for a in addresses {
            // An address is keyed as a URL to it is (`http://127.0.0.1:9000` answers
            // every loopback port, as [`Directory::address_of`] reads one).
            let key = crate::protocol::http_wire::parse_url(a)
                .and_then(|uri| Self::address_of(&uri))
                .unwrap_or_else(|| a.to_ascii_lowercase());
            // The first actor to claim an address keeps it (the OS's choice between two
            // apps claiming one scheme is modelled by a Reroute interceptor instead).
            self.by_address.entry(key).or_insert_with(|| id.clone());
        }
    }

    pub fn kind(&self, id: &ActorId) -> Option<ActorKind> {
        self.kinds.get(id).copied()
    }

    /// The address key of a URI: `scheme://host[:port]` for http(s) — with a loopback
    /// host mapped to `http://127.0.0.1` whatever the port, since a native app may
    /// listen on any port (RFC 8252 §7.3) — or `scheme:` for a custom scheme.
    pub fn address_of(uri: &http::Uri) -> Option<String> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        if scheme == "http" || scheme == "https" {
            let host = uri.host()?.to_ascii_lowercase();
            if scheme == "http" && (host == "127.0.0.1" || host == "localhost" || host == "[::1]") {
                return Some("http://127.0.0.1".to_string());
            }
            Some(match uri.port_u16() {
                Some(p) if !(scheme == "https" && p == 443 || scheme == "http" && p == 80) => {
                    format!("{scheme}://{host}:{p}")
                }
                _ => format!("{scheme}://{host}"),
            })
        } else {
            Some(format!("{scheme}:"))
        }
    }

    pub fn resolve(&self, uri: &http::Uri) -> Option<ActorId> {
        Self::address_of(uri).and_then(|a| self.by_address.get(&a).cloned())
    }

    /// Front-channel when the browser is at either end, back-channel otherwise.
    pub fn channel_between(&self, from: &ActorId, to: &ActorId) -> Channel {
        let browser = |id: &ActorId| self.kind(id) == Some(ActorKind::Browser);
        if browser(from) || browser(to) {
            Channel::FrontChannel
        } else {
            Channel::BackChannel
        }
    }
}

/// Envelopes waiting for delivery, ordered by (deliver_at, id).
#[derive(Debug, Clone, Default)]
pub struct Queue {
    items: BTreeMap<(SimTime, MsgId), Envelope>,
}

impl Queue {
    pub fn push(&mut self, env: Envelope) {
        self.items.insert((env.deliver_at, env.id), env);
    }

    /// Takes out every queued message `pred` picks, in delivery order.
    pub fn take_where(&mut self, pred: impl Fn(&Envelope) -> bool) -> Vec<Envelope> {
        let keys: Vec<_> = self
            .items
            .iter()
            .filter(|(_, e)| pred(e))
            .map(|(k, _)| *k)
            .collect();
        keys.iter().filter_map(|k| self.items.remove(k)).collect()
    }

    pub fn pop(&mut self) -> Option<Envelope> {
        self.items.pop_first().map(|(_, e)| e)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Envelope> {
        self.items.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let a = |s: &str| {
            Directory::address_of(&crate::protocol::http_wire::parse_url(s).unwrap()).unwrap()
        };
        assert_eq!(a("https://AS.example/authorize?x=1"), "https://as.example");
        assert_eq!(a("https://as.example:443/x"), "https://as.example");
        assert_eq!(a("https://as.example:8443/x"), "https://as.example:8443");
        assert_eq!(a("http://127.0.0.1:51004/cb"), "http://127.0.0.1");
        assert_eq!(a("com.example.photos:/cb"), "com.example.photos:");
    }

    #[test]
    fn queue_orders_by_time_then_id() {
        let env = |id, t| Envelope {
            id: MsgId(id),
            from: ActorId::new("a"),
            to: ActorId::new("b"),
            channel: Channel::BackChannel,
            origin: Origin::Honest,
            wire: String::new(),
            in_reply_to: None,
            expects_reply: true,
            cause: None,
            deliver_at: SimTime(t),
        };
        let mut q = Queue::default();
        q.push(env(3, 10));
        q.push(env(1, 20));
        q.push(env(2, 10));
        let order: Vec<u64> = std::iter::from_fn(|| q.pop()).map(|e| e.id.0).collect();
        assert_eq!(order, vec![2, 3, 1]);
    }
}
