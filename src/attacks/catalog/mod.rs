//! The catalog: one module per attack.

pub mod code_injection;
pub mod code_interception;
pub mod code_replay;
pub mod code_wrong_client;
pub mod csrf_login;
pub mod forged_jwt;
pub mod mix_up;
pub mod open_redirect_on_error;
pub mod pkce_downgrade;
pub mod redirect_307;
pub mod referer_leak;

use super::Attack;

/// Every attack, in catalog order.
pub static ALL: &[&dyn Attack] = &[
    &code_interception::ATTACK,
    &csrf_login::ATTACK,
    &open_redirect_on_error::ATTACK,
    &code_injection::ATTACK,
    &code_replay::ATTACK,
    &pkce_downgrade::ATTACK,
    &mix_up::ATTACK,
    &referer_leak::ATTACK,
    &forged_jwt::ALG_NONE,
    &forged_jwt::ALG_CONFUSION,
    &code_wrong_client::ATTACK,
    &redirect_307::ATTACK,
];
