//! The vocabulary of OAuth 2.0 and HTTP, knowing nothing of the simulation.

pub mod deferred_sign;
pub mod dpop;
pub mod ed25519_key;
pub mod errors;
mod framing;
pub mod glossary;
pub mod html;
pub mod http_wire;
pub mod jwk_thumbprint;
pub mod jwt;
mod key_cache;
pub mod metadata;
pub mod params;
pub mod pem;
pub mod photos_api;
pub mod pkce;
pub mod requests;
pub mod secret;
pub mod token_response;
mod wire_error;
