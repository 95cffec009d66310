//! The catalog: one module per attack.

pub mod code_interception;

use super::Attack;

/// Every attack, in catalog order.
pub static ALL: &[&dyn Attack] = &[&code_interception::ATTACK];
