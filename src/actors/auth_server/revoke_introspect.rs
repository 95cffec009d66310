//! `POST /revoke` (RFC 7009) and `POST /introspect` (RFC 7662).

use http::StatusCode;

use super::token::required;
use super::{AuthServer, ClientRegistration, form_body, repeated_param, short};
use crate::actors::Ctx;
use crate::protocol::errors::{ErrorCode, OAuthError, json_response};
use crate::protocol::http_wire::{Request, Response, response};
use crate::protocol::params::Params;
use crate::protocol::token_response::IntrospectionResponse;

fn inactive() -> Response {
    let body = serde_json::to_value(IntrospectionResponse::default()).unwrap_or_default();
    json_response(StatusCode::OK, &body)
}

impl AuthServer {
    /// What `/revoke` (RFC 7009 §2.1) and `/introspect` (RFC 7662 §2.1) share: a form
    /// body without repeated parameters, from an authenticated client, naming a `token`.
    fn authenticated_token_request(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &Request,
    ) -> Result<(ClientRegistration, Params, String), OAuthError> {
        let params = form_body(req).map_err(|e| OAuthError::new(ErrorCode::InvalidRequest, e))?;
        if let Some(name) = repeated_param(&params) {
            return Err(OAuthError::new(
                ErrorCode::InvalidRequest,
                format!("parameter {name} is repeated"),
            ));
        }
        let (client, _) = self.authenticate_client(ctx, req, &params)?;
        let token = required(&params, "token")?.to_string();
        Ok((client, params, token))
    }

    /// `POST /revoke` (RFC 7009 §2.1): the client authenticates and names a token; the
    /// AS revokes it if it was issued to that client, and refuses with
    /// `unauthorized_client` if it was issued to another (§2.1). Otherwise the answer is
    /// 200 whether or not the token was known (§2.2). Revoking a refresh token revokes its whole grant,
    /// access tokens included (§2.1 "SHOULD also invalidate all access tokens based on
    /// the same authorization grant"); revoking an access token revokes that token.
    pub(crate) fn handle_revoke(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        let (client, _, token) = match self.authenticated_token_request(ctx, req) {
            Ok(v) => v,
            Err(e) => return refuse(ctx, e, self.host()),
        };
        let token = token.as_str();
        let ok = response(StatusCode::OK);
        if let Some(index) = self.tokens.find_refresh(token) {
            let Some(record) = self.tokens.refresh_at(index).cloned() else {
                return ok;
            };
            if record.client_id != client.client_id {
                return refuse(ctx, not_yours(&client, "refresh token"), self.host());
            }
            self.tokens
                .revoke_family(&record.family, "the client revoked its refresh token");
            ctx.note(format!(
                "AS: revoked refresh token {} and with it grant {} — every access and refresh token of it (RFC 7009 §2.1).",
                short(token),
                record.family
            ));
            return ok;
        }
        if let Some(claims) = self.tokens.verify_access_token(token) {
            if claims.client_id != client.client_id {
                return refuse(ctx, not_yours(&client, "access token"), self.host());
            }
            self.tokens.revoke_access(&claims.jti);
            ctx.note(format!(
                "AS: revoked access token jti {} (RFC 7009 §2.1); a resource server that introspects will now refuse it.",
                claims.jti
            ));
            return ok;
        }
        ctx.note("AS: unknown token; nothing to revoke, answered 200 as RFC 7009 §2.2 requires.");
        ok
    }

    /// `POST /introspect` (RFC 7662 §2): for an authenticated client allowed to
    /// introspect, whether the token is active at the simulated `now` and its claims.
    /// Anything unknown, expired, revoked or not signed by this AS is `{"active":false}`.
    pub(crate) fn handle_introspect(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        let (client, params, token) = match self.authenticated_token_request(ctx, req) {
            Ok(v) => v,
            Err(e) => return refuse(ctx, e, self.host()),
        };
        let token = token.as_str();
        if !client.may_introspect {
            ctx.note(format!(
                "AS: {} may not introspect tokens; answering active=false (RFC 7662 §4).",
                client.client_id
            ));
            return inactive();
        }
        // RFC 7662 §2.1: the hint only orders the search; a refresh token is found
        // whatever it says.
        let refresh_first =
            params.single("token_type_hint").ok().flatten() == Some("refresh_token");
        if refresh_first && let Some(resp) = self.introspect_refresh(ctx, token) {
            return resp;
        }
        let Some(claims) = self.tokens.verify_access_token(token) else {
            if !refresh_first && let Some(resp) = self.introspect_refresh(ctx, token) {
                return resp;
            }
            ctx.note(
                "AS: not an access token signed by this AS (RS256, typ at+jwt, iss); active=false.",
            );
            return inactive();
        };
        let now = ctx.now;
        let Some(record) = self.tokens.access_record(&claims.jti) else {
            ctx.note("AS: signed by this AS but never issued (unknown jti); active=false.");
            return inactive();
        };
        if record.revoked || self.tokens.family_revoked(&record.family) {
            ctx.note(format!(
                "AS: access token jti {} was revoked; active=false.",
                claims.jti
            ));
            return inactive();
        }
        if now.unix_secs() >= claims.exp {
            ctx.note(format!(
                "AS: access token jti {} expired at {} (simulated time); active=false.",
                claims.jti, claims.exp
            ));
            return inactive();
        }
        ctx.note(format!(
            "AS: access token jti {} is active: {} for {} (scope {}, aud {}).",
            claims.jti, claims.sub, claims.client_id, claims.scope, claims.aud
        ));
        let body = IntrospectionResponse {
            active: true,
            scope: Some(claims.scope),
            client_id: Some(claims.client_id),
            sub: Some(claims.sub),
            aud: Some(claims.aud),
            exp: Some(claims.exp),
            token_type: Some("Bearer".into()),
        };
        json_response(
            StatusCode::OK,
            &serde_json::to_value(body).unwrap_or_default(),
        )
    }
}

impl AuthServer {
    /// The introspection answer for `token` if it is a refresh token this AS issued
    /// (RFC 7662 §2.2), else `None`. A refresh token has no `token_type` of its own
    /// (that field names an access token's type, RFC 6749 §7.1), so none is sent.
    fn introspect_refresh(&self, ctx: &mut Ctx<'_>, token: &str) -> Option<Response> {
        let r = self
            .tokens
            .find_refresh(token)
            .and_then(|i| self.tokens.refresh_at(i))?;
        if !self.tokens.refresh_active(token, ctx.now) {
            ctx.note("AS: that refresh token is consumed, revoked or expired; active=false.");
            return Some(inactive());
        }
        let family = self.tokens.family(&r.family);
        let body = IntrospectionResponse {
            active: true,
            scope: family.map(|f| f.scope.join(" ")),
            client_id: Some(r.client_id.clone()),
            sub: family.map(|f| f.user.clone()),
            aud: None,
            exp: Some(r.expires_at.unix_secs()),
            token_type: None,
        };
        ctx.note("AS: the refresh token is active.");
        Some(json_response(
            StatusCode::OK,
            &serde_json::to_value(body).unwrap_or_default(),
        ))
    }
}

/// Why a client may not revoke a token issued to another client: `unauthorized_client`
/// (RFC 7009 §2.1, error codes of RFC 6749 §5.2).
fn not_yours(client: &ClientRegistration, what: &str) -> OAuthError {
    OAuthError::new(
        ErrorCode::UnauthorizedClient,
        format!(
            "this {what} was not issued to {}, so it may not revoke it (RFC 7009 §2.1)",
            client.client_id
        ),
    )
}

/// An error answer of the revocation or introspection endpoint, in the format of
/// RFC 6749 §5.2 (RFC 7009 §2.2.1, RFC 7662 §2.3).
/// A 401 always carries the `Basic` challenge, in the realm of this AS's host
/// (RFC 6749 §5.2, RFC 9110 §15.5.2).
fn refuse(ctx: &mut Ctx<'_>, e: OAuthError, realm: &str) -> Response {
    ctx.note(format!("AS: refused: {} — {}.", e.code, e.description));
    e.token_response_in_realm(Some(realm))
}
