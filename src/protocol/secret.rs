//! Secrets as newtypes whose `Debug` prints `[redacted]`, so that logs and panics
//! never show them. The inspector shows them on purpose, through [`Secret::expose`].

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
        }

        impl Secret for $name {
            fn expose(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

/// A value that must not leak through `Debug`.
pub trait Secret {
    /// The secret itself, for the wire and for the inspector.
    fn expose(&self) -> &str;

    /// Constant-time comparison, against guessing by timing (RFC 6749 §10.3,
    /// RFC 6819 §5.1.4.2.3).
    fn ct_eq(&self, other: &str) -> bool {
        let a = self.expose().as_bytes();
        let b = other.as_bytes();
        a.len() == b.len() && bool::from(a.ct_eq(b))
    }
}

/// The secret as the inspector shows it, or `(none)` when there is none.
pub fn exposed_or_none<S: Secret>(secret: Option<&S>) -> &str {
    secret.map(Secret::expose).unwrap_or("(none)")
}

secret_type!(
    /// An authorization code (RFC 6749 §4.1.2).
    AuthorizationCode
);
secret_type!(
    /// A PKCE code verifier (RFC 7636 §4.1).
    CodeVerifier
);
secret_type!(
    /// An access token (RFC 6749 §1.4).
    AccessToken
);
secret_type!(
    /// A refresh token (RFC 6749 §1.5).
    RefreshToken
);
secret_type!(
    /// An ID token (OpenID Connect Core §2).
    IdToken
);
secret_type!(
    /// The `state` value binding an authorization response to a browser session
    /// (RFC 6749 §10.12).
    State
);
secret_type!(
    /// An OpenID Connect `nonce` (OpenID Connect Core §3.1.2.1).
    Nonce
);
secret_type!(
    /// A client secret (RFC 6749 §2.3.1).
    ClientSecret
);
secret_type!(
    /// A signed client assertion (RFC 7523 §2.2): whoever holds it can authenticate
    /// as the client until it expires.
    ClientAssertion
);
secret_type!(
    /// A user's password.
    Password
);
secret_type!(
    /// A session cookie value.
    SessionId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let code = AuthorizationCode::new("SplxlOBeZQQYbYS6WxSbIA");
        assert_eq!(format!("{code:?}"), "AuthorizationCode([redacted])");
        assert_eq!(code.expose(), "SplxlOBeZQQYbYS6WxSbIA");
        assert!(code.ct_eq("SplxlOBeZQQYbYS6WxSbIA"));
        assert!(!code.ct_eq("SplxlOBeZQQYbYS6WxSbIB"));
        assert!(!code.ct_eq("short"));
    }
}
