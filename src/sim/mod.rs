//! The simulation: clock, seeded RNG tree, network bus, trace, defenses and driver.

pub mod bus;
pub mod decode;
pub mod lane;
pub mod lazy;
pub mod live_intercept;
pub mod script;
pub mod simulation;
pub mod trace;
pub mod trace_diff;
pub mod world;

pub use crate::actors::clock::SimTime;
pub use crate::actors::contract::{
    Actor, ActorId, ActorKind, Ctx, Delivery, MsgId, Origin, UserAction,
};
pub use crate::actors::defenses::{Defenses, Profile};
pub use bus::{Channel, Decision, Envelope, Interceptor};
pub use script::ScriptEvent;
pub use simulation::{AttackerVerb, LearnerInput, Simulation};
pub use trace::{Step, StepKind, Trace};
