//! Whose side an actor of a trace is on, read off the actors' marks in the trace's
//! header (RFC 9700 §3: the attacker's own actors, and honest programs it drives).

use crate::actors::ActorId;
use crate::sim::Trace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An attacker actor (its site, app, server).
    Attacker,
    /// An honest program the attacker drives (its own browser).
    Controlled,
    Honest,
}

/// The role of actor `id` in `trace` (an actor the header does not list is honest).
pub fn role(trace: &Trace, id: &ActorId) -> Role {
    match trace.actors.iter().find(|a| &a.id == id) {
        Some(a) if a.kind.is_attacker() => Role::Attacker,
        Some(a) if a.attacker => Role::Controlled,
        _ => Role::Honest,
    }
}
