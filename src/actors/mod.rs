//! The parties of the world, as sans-IO state machines, and the contract they share:
//! simulated time, the RNG tree, the defenses, and the [`Actor`] trait.
//!
//! - [`browser`]: the user agent and the person at it;
//! - [`client`]: the confidential web client;
//! - [`native_app`]: a public native client (RFC 8252);
//! - [`auth_server`]: registrar, authorizer, issuer and endpoints;
//! - [`resource_server`]: the protected photo API.

pub mod clock;
pub mod contract;
pub mod defenses;
pub mod dpop;
pub mod rng;

pub use clock::SimTime;
pub use contract::{
    Actor, ActorId, ActorKind, Ctx, Delivery, MsgId, Origin, Outgoing, ReplyTo, StateSection,
    UserAction,
};
pub use defenses::{DefenseId, Defenses, PkceMethod, Profile, RedirectMatching};

pub mod auth_server;
pub mod browser;
pub mod client;
pub mod native_app;
pub mod probe;
pub mod resource_server;
pub mod well_known;
