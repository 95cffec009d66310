//! The client's sessions, keyed by the `client_session` cookie. The authorization
//! request's `state`, `nonce` and PKCE verifier live here, bound to the browser session
//! (RFC 6749 §10.12, RFC 7636 §4.1, OIDC Core §3.1.2.1).

use crate::actors::SimTime;
use crate::actors::defenses::PkceMethod;
use crate::protocol::secret::{
    AccessToken, CodeVerifier, IdToken, Nonce, RefreshToken, SessionId, State,
};
use crate::protocol::token_response::TokenResponse;

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

/// The access token a session holds, when it expires, and whether it is bound to the
/// client's DPoP key (`token_type` `DPoP`, RFC 9449 §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldAccessToken {
    pub token: AccessToken,
    pub expires_at: Option<SimTime>,
    pub dpop_bound: bool,
}

impl HeldAccessToken {
    /// The access token of a token response received at `now` (RFC 6749 §5.1:
    /// `expires_in` counts from the response).
    pub fn from_response(tr: &TokenResponse, now: SimTime) -> Self {
        HeldAccessToken {
            token: tr.access_token.clone(),
            expires_at: tr.expires_in.map(|s| now.plus_secs(s)),
            dpop_bound: super::dpop::is_dpop_type(&tr.token_type),
        }
    }

    /// Whether it has expired at `now`, as far as the client knows.
    pub fn expired(&self, now: SimTime) -> bool {
        self.expires_at.is_some_and(|e| now >= e)
    }
}

/// Tokens the client holds for a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    pub as_index: usize,
    pub access: HeldAccessToken,
    pub refresh_token: Option<RefreshToken>,
    pub id_token: Option<IdToken>,
    pub scope: Option<String>,
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
