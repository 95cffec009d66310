//! The client's sessions, keyed by the `client_session` cookie. The authorization
//! request's `state`, `nonce` and PKCE verifier live here, bound to the browser session
//! (RFC 6749 §10.12, RFC 7636 §4.1, OIDC Core §3.1.2.1).

use crate::actors::SimTime;
use crate::actors::defenses::PkceMethod;
use crate::protocol::secret::{
    AccessToken, CodeVerifier, IdToken, Nonce, RefreshToken, SessionId, State,
};

/// The name of the client's session cookie.
pub const SESSION_COOKIE: &str = "client_session";

/// An authorization request in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAuthorization {
    /// Index of the AS the request went to.
    pub as_index: usize,
    pub state: Option<State>,
    pub nonce: Option<Nonce>,
    pub verifier: Option<CodeVerifier>,
    pub pkce: PkceMethod,
    pub started_at: SimTime,
}

/// Tokens the client holds for a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    pub as_index: usize,
    pub access_token: AccessToken,
    pub access_expires_at: Option<SimTime>,
    pub refresh_token: Option<RefreshToken>,
    pub id_token: Option<IdToken>,
    pub scope: Option<String>,
    /// Whether the access token is bound to the client's DPoP key (`token_type`
    /// `DPoP`, RFC 9449 §5).
    pub dpop_bound: bool,
}

/// One browser's session at the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub pending: Option<PendingAuthorization>,
    /// Who the client believes is signed in: the ID token's `sub` (and its issuer).
    pub user: Option<(String, String)>,
    pub tokens: Option<Tokens>,
    /// The nonce the ID token of the code being redeemed must carry.
    pub awaiting_nonce: Option<Nonce>,
    /// The photos last fetched for this session.
    pub photos: Vec<String>,
    /// Who the photos belong to, as the RS said.
    pub photos_owner: Option<String>,
}

impl Session {
    pub fn new(id: SessionId) -> Self {
        Session {
            id,
            pending: None,
            awaiting_nonce: None,
            user: None,
            tokens: None,
            photos: Vec::new(),
            photos_owner: None,
        }
    }
}
