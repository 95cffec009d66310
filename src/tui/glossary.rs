//! The glossary of parameters, claims and headers lives in the protocol layer (the
//! exports read it too); the UI keeps using it under this name.

pub use crate::protocol::glossary::*;
