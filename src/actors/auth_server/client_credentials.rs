//! `grant_type=client_credentials` (RFC 6749 §4.4): a confidential client registered for
//! it asks for an access token for itself — no user, no refresh token (§4.4.3). Whoever
//! can authenticate as the client gets one, which is why a client's credentials (and
//! an assertion it signed) are worth stealing — unless, with `dpop` on, the token is
//! bound to the key of the client's DPoP proof (RFC 9449 §5, §6.1): then the RS takes
//! it only with a fresh proof by that key.

use super::dpop_check::Binding;
use super::registrar::ClientRegistration;
use super::token::{note_binding, registered_scope, token_ok, token_type};
use super::{AuthServer, scope_list};
use crate::actors::Ctx;
use crate::protocol::errors::{ErrorCode, OAuthError};
use crate::protocol::http_wire::Response;
use crate::protocol::params::Params;
use crate::protocol::secret::AccessToken;
use crate::protocol::token_response::TokenResponse;

impl AuthServer {
    /// Issues an access token to the authenticated client (RFC 6749 §4.4.2, §4.4.3),
    /// bound to the key of the request's DPoP proof when there is one (`binding`,
    /// RFC 9449 §5): `cnf.jkt` in the token and `token_type` `DPoP`.
    pub(crate) fn client_credentials(
        &mut self,
        ctx: &mut Ctx<'_>,
        client: &ClientRegistration,
        params: &Params,
        binding: Option<&Binding>,
    ) -> Result<Response, OAuthError> {
        if !client.is_confidential() {
            return Err(OAuthError::new(
                ErrorCode::UnauthorizedClient,
                "only a confidential client may use client_credentials (RFC 6749 §4.4)",
            ));
        }
        let scope = match params.single("scope").ok().flatten().map(scope_list) {
            Some(asked) if !asked.is_empty() => asked,
            _ => client.scopes.clone(),
        };
        registered_scope(client, &scope)?;
        let id = client.client_id.as_str();
        let family = self.tokens.new_family(id, id, &scope, None, None, ctx.now);
        let Some((access_token, jti)) = self.tokens.issue_access_token_for(
            ctx.rng,
            ctx.now,
            &family,
            &scope,
            None,
            binding.map(|b| b.jkt.as_str()),
        ) else {
            return Err(OAuthError::new(
                ErrorCode::ServerError,
                "the grant vanished",
            ));
        };
        ctx.note(format!(
            "AS: client_credentials: issued an access token to {id} for itself (jti {jti}, scope {}), no refresh token (RFC 6749 §4.4.3).",
            scope.join(" ")
        ));
        note_binding(ctx, binding);
        Ok(token_ok(&TokenResponse {
            access_token: AccessToken::new(access_token),
            token_type: token_type(binding),
            expires_in: Some(self.tokens.lifetimes().access_token_secs),
            refresh_token: None,
            id_token: None,
            scope: Some(scope.join(" ")),
        }))
    }
}
