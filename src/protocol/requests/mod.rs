//! Typed builders for the requests a client sends to an authorization server: the
//! authorization request (RFC 6749 §4.1.1), pushed or by reference (RFC 9126), and the
//! token request (RFC 6749 §4.1.3, §6), with client authentication as a value
//! (RFC 6749 §2.3), a signed client assertion included (RFC 7523 §2.2).
//!
//! Parameters go on the wire in the order they are added. RFC 6749 §3.1 fixes no order,
//! but every trace of the simulation depends on the exact bytes, so each caller decides
//! where its parameters go by the order of its calls.
//!
//! Honest parties use the typed setters. An attacker that must send a malformed request
//! imports [`RawParams`] as well, which adds, replaces and removes parameters by name.

/// Gives a request builder [`RawParams`] over its parameter list `$field`, and a
/// `Debug` that shows the parameter names only, because values such as codes, verifiers
/// and refresh tokens are secrets.
macro_rules! raw_params_builder {
    ($builder:ident, $field:ident) => {
        impl $crate::protocol::requests::RawParams for $builder {
            fn params_mut(&mut self) -> &mut Params {
                &mut self.$field
            }
        }

        impl std::fmt::Debug for $builder {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let names: Vec<&str> = self.$field.iter().map(|(k, _)| k).collect();
                f.debug_struct(stringify!($builder))
                    .field("params", &names)
                    .finish_non_exhaustive()
            }
        }
    };
}

mod authorization;
mod client_assertion;
mod client_auth;
mod pushed;
mod token;

pub use authorization::{AuthorizationRequest, ResponseType};
pub use client_assertion::{AssertionClaims, CLIENT_AUTHENTICATION_TYP, JWT_BEARER};
pub use client_auth::{ClientAuth, basic_authorization};
pub use pushed::PushedResponse;
pub use token::TokenRequest;

use super::params::Params;

/// Direct access to a request's parameters, bypassing the typed setters: for attackers
/// that send what no conforming client would, and for rewriting captured requests.
pub trait RawParams: Sized {
    /// The parameters as they will be encoded.
    fn params_mut(&mut self) -> &mut Params;

    /// Appends `name=value`, even if `name` is already present (which RFC 6749 §3.1
    /// forbids, and which an authorization server must reject).
    fn param(mut self, name: &str, value: &str) -> Self {
        self.params_mut().push(name, value);
        self
    }

    /// Appends every pair of `pairs` in order.
    fn params<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        for (name, value) in pairs {
            self.params_mut().push(name, value);
        }
        self
    }

    /// Removes every parameter called `name`.
    fn without(mut self, name: &str) -> Self {
        self.params_mut().0.retain(|(k, _)| k != name);
        self
    }

    /// Gives every parameter called `name` the value `value`, where it stands; appends
    /// `name=value` when there is none.
    fn replace(mut self, name: &str, value: &str) -> Self {
        let params = self.params_mut();
        let mut found = false;
        for (_, v) in params.0.iter_mut().filter(|(k, _)| k == name) {
            *v = value.to_string();
            found = true;
        }
        if !found {
            params.push(name, value);
        }
        self
    }
}
