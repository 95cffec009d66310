//! The catalog: one module per attack (two pairs share a module: forged JWTs, and
//! tokens injected through the implicit flow).

pub mod access_token_replay;
pub mod audience_injection;
pub mod code_injection;
pub mod code_interception;
pub mod code_replay;
pub mod code_wrong_client;
pub mod consent_clickjacking;
pub mod csrf_login;
pub mod dpop_proof_replay;
pub mod forged_jwt;
pub mod implicit_injection;
pub mod mix_up;
pub mod open_redirect_on_error;
pub mod pkce_downgrade;
pub mod pkce_plain_observed;
pub mod public_client_refresh_theft;
pub mod redirect_307;
pub mod redirect_uri_lax;
pub mod referer_leak;
pub mod refresh_token_theft;
pub mod scope_upgrade;
pub mod token_audience_replay;

use super::Attack;

/// Every attack, in catalog order (the order of the issue that asked for them).
pub static ALL: &[&dyn Attack] = &[
    &code_interception::ATTACK,
    &csrf_login::ATTACK,
    &redirect_uri_lax::ATTACK,
    &open_redirect_on_error::ATTACK,
    &code_injection::ATTACK,
    &code_replay::ATTACK,
    &pkce_downgrade::ATTACK,
    &pkce_plain_observed::ATTACK,
    &mix_up::ATTACK,
    &referer_leak::ATTACK,
    &token_audience_replay::ATTACK,
    &refresh_token_theft::ATTACK,
    &forged_jwt::ALG_NONE,
    &forged_jwt::ALG_CONFUSION,
    &scope_upgrade::ATTACK,
    &code_wrong_client::ATTACK,
    &implicit_injection::TOKEN,
    &implicit_injection::ID_TOKEN,
    &redirect_307::ATTACK,
    &access_token_replay::ATTACK,
    &dpop_proof_replay::ATTACK,
    &public_client_refresh_theft::ATTACK,
    &audience_injection::ATTACK,
    &consent_clickjacking::ATTACK,
];
