//! How a client authenticates at the token endpoint (RFC 6749 §2.3).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::protocol::http_wire::{self, Request};
use crate::protocol::params::Params;
use crate::protocol::secret::{ClientAssertion, ClientSecret, Secret};

/// A client's authentication at the token endpoint. `Debug` never shows the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAuth {
    /// `client_secret_basic`: id and secret in an `Authorization: Basic` header
    /// (RFC 6749 §2.3.1).
    Basic { id: String, secret: ClientSecret },
    /// `client_secret_post`: `client_id` and `client_secret` in the form body
    /// (RFC 6749 §2.3.1, "NOT RECOMMENDED").
    Body { id: String, secret: ClientSecret },
    /// A public client: no credentials, only its `client_id` in the body
    /// (RFC 6749 §4.1.3, §6; RFC 8252 §8.5).
    None { id: String },
    /// `private_key_jwt`: a JWT the client signed, in `client_assertion`, with
    /// `client_assertion_type` saying what it is (RFC 7523 §2.2; OIDC Core §9).
    PrivateKeyJwt {
        id: String,
        assertion: ClientAssertion,
    },
}

impl ClientAuth {
    /// `client_secret_basic` with `id` and `secret`.
    pub fn basic(id: &str, secret: &str) -> Self {
        ClientAuth::Basic {
            id: id.to_string(),
            secret: ClientSecret::new(secret),
        }
    }

    /// A public client identified by `id`.
    pub fn public(id: &str) -> Self {
        ClientAuth::None { id: id.to_string() }
    }

    /// The client identifier, however it is sent.
    pub fn client_id(&self) -> &str {
        match self {
            ClientAuth::Basic { id, .. }
            | ClientAuth::Body { id, .. }
            | ClientAuth::None { id }
            | ClientAuth::PrivateKeyJwt { id, .. } => id,
        }
    }

    /// The name of the method as registered for `token_endpoint_auth_method`
    /// (RFC 7591 §2).
    pub fn method_name(&self) -> &'static str {
        match self {
            ClientAuth::Basic { .. } => "client_secret_basic",
            ClientAuth::Body { .. } => "client_secret_post",
            ClientAuth::None { .. } => "none",
            ClientAuth::PrivateKeyJwt { .. } => "private_key_jwt",
        }
    }

    /// The body parameters this authentication adds (none for `Basic`).
    pub(super) fn push_body_params(&self, form: &mut Params) {
        match self {
            ClientAuth::Basic { .. } => {}
            ClientAuth::Body { id, secret } => {
                form.push("client_id", id);
                form.push("client_secret", secret.expose());
            }
            ClientAuth::None { id } => form.push("client_id", id),
            ClientAuth::PrivateKeyJwt { assertion, .. } => {
                form.push("client_assertion_type", super::JWT_BEARER);
                form.push("client_assertion", assertion.expose());
            }
        }
    }

    /// Sets the headers this authentication adds (`Authorization` for `Basic`).
    pub(super) fn set_headers(&self, req: &mut Request) {
        if let ClientAuth::Basic { id, secret } = self {
            http_wire::set_header(
                req.headers_mut(),
                "authorization",
                &basic_authorization(id, secret.expose()),
            );
        }
    }
}

/// The `Authorization` header value for HTTP Basic client authentication: id and secret
/// are each form-urlencoded, joined by a colon and base64-encoded (RFC 6749 §2.3.1,
/// RFC 7617 §2).
pub fn basic_authorization(client_id: &str, secret: &str) -> String {
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", enc(client_id), enc(secret)))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_form_urlencodes_id_and_secret_before_base64() {
        assert_eq!(
            basic_authorization("photo-printer", "s3cret"),
            format!("Basic {}", STANDARD.encode("photo-printer:s3cret"))
        );
        // RFC 6749 §2.3.1: reserved characters are form-urlencoded first, so a colon in
        // the id cannot be mistaken for the separator.
        assert_eq!(
            basic_authorization("a:b", "c d+é/%"),
            format!("Basic {}", STANDARD.encode("a%3Ab:c+d%2B%C3%A9%2F%25"))
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let auth = ClientAuth::basic("photo-printer", "s3cret");
        let shown = format!("{auth:?}");
        assert!(shown.contains("photo-printer"), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
