//! `POST /token`: the token endpoint (RFC 6749 §3.2) for `authorization_code`
//! (§4.1.3, docs/PROTOCOL.md items 7–15) and `refresh_token` (§6, items 16–17).
//! Errors are JSON, 400, except `invalid_client` (401, §5.2).

use http::StatusCode;

use super::authorizer::{PkceOutcome, pkce_at_token};
use super::dpop_check::Binding;
use super::registrar::{ClientRegistration, GrantType};
use super::{AuthServer, form_body, repeated_param, resource_param, scope_list, short};
use crate::actors::Ctx;
use crate::protocol::dpop::DPOP_TOKEN_TYPE;
use crate::protocol::errors::{ErrorCode, OAuthError, json_response};
use crate::protocol::http_wire::{Request, Response};
use crate::protocol::params::Params;
use crate::protocol::secret::{AccessToken, IdToken, RefreshToken, Secret};
use crate::protocol::token_response::TokenResponse;

fn invalid_request(why: impl Into<String>) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidRequest, why)
}

fn invalid_grant(why: impl Into<String>) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidGrant, why)
}

/// The one value of a parameter the request must carry, or `invalid_request`
/// (RFC 6749 §5.2; RFC 7009 §2.1).
pub(super) fn required<'p>(params: &'p Params, name: &str) -> Result<&'p str, OAuthError> {
    params
        .single(name)
        .ok()
        .flatten()
        .ok_or_else(|| invalid_request(format!("{name} is missing")))
}

/// `invalid_scope` naming the first scope in `scope` not registered for `client`
/// (RFC 6749 §3.3).
pub(super) fn registered_scope(
    client: &ClientRegistration,
    scope: &[String],
) -> Result<(), OAuthError> {
    match scope.iter().find(|s| !client.allows_scope(s)) {
        Some(bad) => Err(OAuthError::new(
            ErrorCode::InvalidScope,
            format!(
                "scope {bad} is not registered for client {} (RFC 6749 §3.3)",
                client.client_id
            ),
        )),
        None => Ok(()),
    }
}

/// What a refresh needs of its grant (RFC 6749 §6: the new token's scope may not
/// exceed the original grant's).
struct GrantTerms {
    id: String,
    scope: Vec<String>,
    resource: Option<String>,
}

/// `grant_type=implicit`: the implicit grant has no token request (RFC 6749 §4.2).
fn no_implicit_token_request() -> OAuthError {
    OAuthError::new(
        ErrorCode::UnsupportedGrantType,
        "the implicit grant has no token request: its access token comes from the authorization endpoint (RFC 6749 §4.2)",
    )
}

/// `DPoP` for tokens bound to a key (RFC 9449 §5), else `Bearer` (RFC 6750 §4).
pub(super) fn token_type(binding: Option<&Binding>) -> String {
    match binding {
        Some(_) => DPOP_TOKEN_TYPE.into(),
        None => "Bearer".into(),
    }
}

/// The key a new refresh token is bound to: the proof key, for a public client
/// (RFC 9449 §5).
fn refresh_jkt(binding: Option<&Binding>) -> Option<&str> {
    binding.filter(|b| b.refresh_bound).map(|b| b.jkt.as_str())
}

/// Says what the tokens just issued are bound to.
pub(super) fn note_binding(ctx: &mut Ctx<'_>, binding: Option<&Binding>) {
    if let Some(b) = binding {
        ctx.note(format!(
            "AS: the access token carries cnf.jkt {} — the thumbprint of the proof's key — and token_type DPoP{} (RFC 9449 §5, §6.1).",
            b.jkt,
            if b.refresh_bound {
                "; this public client's refresh token is bound to the same key"
            } else {
                ""
            }
        ));
    }
}

/// The successful response (RFC 6749 §5.1): JSON with `Cache-Control: no-store`.
pub(super) fn token_ok(body: &TokenResponse) -> Response {
    let value = serde_json::to_value(body).unwrap_or_default();
    json_response(StatusCode::OK, &value)
}

impl AuthServer {
    /// `POST /token`.
    pub(crate) fn handle_token(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        let mut resp = self.token_response(ctx, req);
        self.with_dpop_nonce(&mut resp);
        resp
    }

    fn token_response(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        match self.token_request(ctx, req) {
            Ok(resp) => resp,
            Err(e) => {
                let status = if e.code == ErrorCode::InvalidClient {
                    "401"
                } else {
                    "400"
                };
                ctx.note(format!(
                    "AS: token request refused: {} — {} ({status}, RFC 6749 §5.2).",
                    e.code, e.description
                ));
                // RFC 6749 §5.2 requires the Basic challenge when the client tried Basic;
                // RFC 9110 §15.5.2 requires a challenge on every 401, so it is always sent.
                e.token_response_in_realm(Some(self.host()))
            }
        }
    }

    fn token_request(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Result<Response, OAuthError> {
        let params = form_body(req).map_err(invalid_request)?;
        if let Some(name) = repeated_param(&params) {
            return Err(invalid_request(format!(
                "parameter {name} is repeated (RFC 6749 §3.2)"
            )));
        }
        let (client, _method) = self.authenticate_client(ctx, req, &params)?;
        let grant = match params.single("grant_type") {
            Ok(Some(g)) => g,
            _ => return Err(invalid_request("grant_type is missing")),
        };
        let Some(grant) = GrantType::parse(grant) else {
            return Err(OAuthError::new(
                ErrorCode::UnsupportedGrantType,
                format!(
                    "grant_type {} is not supported",
                    grant.chars().take(40).collect::<String>()
                ),
            ));
        };
        if grant == GrantType::Implicit {
            return Err(no_implicit_token_request());
        }
        if !client.allows_grant(grant) {
            return Err(OAuthError::new(
                ErrorCode::UnauthorizedClient,
                format!(
                    "client {} may not use grant_type {}",
                    client.client_id,
                    grant.as_str()
                ),
            ));
        }
        let binding = self.dpop_at_token(ctx, req, &client)?;
        match grant {
            GrantType::AuthorizationCode => {
                self.redeem_code(ctx, &client, &params, binding.as_ref())
            }
            GrantType::RefreshToken => self.refresh(ctx, &client, &params, binding.as_ref()),
            GrantType::ClientCredentials => {
                self.client_credentials(ctx, &client, &params, binding.as_ref())
            }
            GrantType::Implicit => Err(no_implicit_token_request()),
        }
    }

    /// The scope a token request gets (RFC 6749 §3.3, §6). Without a `scope` parameter:
    /// what the grant carries (`granted`). A narrower one is granted as asked. A wider
    /// one is `invalid_scope` while `consented-scope-enforced` is on; with it off the AS
    /// grants every scope registered for the client, consented or not (the weakness of
    /// RFC 6819 §5.1.5.1). Returns the scope and the scopes beyond the grant.
    fn decide_scope(
        ctx: &mut Ctx<'_>,
        client: &ClientRegistration,
        granted: &[String],
        params: &Params,
        what: &str,
    ) -> Result<(Vec<String>, Vec<String>), OAuthError> {
        let asked = match params.single("scope").ok().flatten().map(scope_list) {
            Some(a) if !a.is_empty() => a,
            _ => return Ok((granted.to_vec(), Vec::new())),
        };
        let wider: Vec<String> = asked
            .iter()
            .filter(|x| !granted.contains(x))
            .cloned()
            .collect();
        if wider.is_empty() {
            if asked.len() < granted.len() {
                ctx.note(format!(
                    "AS: the client asked for the narrower scope {}; granted that (RFC 6749 §3.3).",
                    asked.join(" ")
                ));
            }
            return Ok((asked, wider));
        }
        if ctx.defenses.consented_scope_enforced {
            return Err(OAuthError::new(
                ErrorCode::InvalidScope,
                format!(
                    "scope {} was not part of {what} (RFC 6749 §3.3, §6)",
                    wider.join(" ")
                ),
            ));
        }
        registered_scope(client, &asked)?;
        ctx.note(format!(
            "AS: the client asked for {}, beyond {what} ({}); consented-scope-enforced is off, so the AS granted it because it is registered for {} — more than the user consented to (RFC 6819 §5.1.5.1).",
            wider.join(" "),
            granted.join(" "),
            client.client_id
        ));
        Ok((asked, wider))
    }

    /// The audience of the access token (RFC 8707 §2). Without a `resource` parameter:
    /// the resource the grant is bound to (`bound`, from the authorization request), else
    /// `None` — the rule of [`super::issuer::Issuer::audience_for`]. With one: it must
    /// pass [`super::issuer::Issuer::check_resource`] for `scope`, and equal `bound` if
    /// the grant is bound; otherwise `invalid_target`.
    fn decide_audience(
        &self,
        ctx: &mut Ctx<'_>,
        params: &Params,
        bound: Option<&str>,
        scope: &[String],
    ) -> Result<Option<String>, OAuthError> {
        let target = |why: String| OAuthError::new(ErrorCode::InvalidTarget, why);
        let Some(asked) = resource_param(params).map_err(target)? else {
            return Ok(bound.map(str::to_string));
        };
        let resource = self.tokens.check_resource(asked, scope).map_err(target)?;
        if let Some(b) = bound
            && b != resource
        {
            return Err(target(format!(
                "the grant is for resource {b}, not {resource} (RFC 8707 §2)"
            )));
        }
        ctx.note(format!(
            "AS: resource {resource} is registered and serves part of the scope; the access token's aud is {resource} (RFC 8707 §2)."
        ));
        Ok(Some(resource))
    }

    /// `grant_type=authorization_code` (RFC 6749 §4.1.3).
    fn redeem_code(
        &mut self,
        ctx: &mut Ctx<'_>,
        client: &ClientRegistration,
        params: &Params,
        binding: Option<&Binding>,
    ) -> Result<Response, OAuthError> {
        let code = required(params, "code")?;
        let (index, issued) = (self.authorizer.find(code))
            .and_then(|index| Some((index, self.authorizer.code_at(index).cloned()?)))
            .ok_or_else(|| invalid_grant("unknown authorization code"))?;
        let d = ctx.defenses.clone();

        // PROTOCOL 11: the code belongs to the client it was issued to (§4.1.3).
        if issued.request.client_id != client.client_id {
            if d.code_bound_to_client {
                return Err(invalid_grant(format!(
                    "this code was issued to another client, not {}",
                    client.client_id
                )));
            }
            ctx.note(format!(
                "AS: the code was issued to {} but {} redeems it; code-bound-to-client is off, so the AS does not check.",
                issued.request.client_id, client.client_id
            ));
        }

        // PROTOCOL 9: one redemption only; a detected reuse revokes the grant
        // (§4.1.2, §10.5). With one-time-codes off the AS does not treat a second
        // redemption as reuse, so there is nothing to detect and nothing revoked.
        if issued.redemptions > 0 {
            if d.one_time_codes {
                if d.revoke_on_code_reuse {
                    let revoked: Vec<&String> = issued
                        .families
                        .iter()
                        .filter(|f| {
                            self.tokens
                                .revoke_family(f, "its authorization code was redeemed twice")
                        })
                        .collect();
                    ctx.note(format!(
                        "AS: code {} was already redeemed — someone else may hold it; revoked every token issued from it ({}) (RFC 6749 §4.1.2, §10.5).",
                        short(code),
                        if revoked.is_empty() {
                            "already revoked".to_string()
                        } else {
                            revoked
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ));
                } else {
                    ctx.note("AS: code already redeemed; refused, but the tokens issued from it stay valid (revoke-on-code-reuse is off).");
                }
                return Err(invalid_grant(
                    "authorization code already used (RFC 6749 §4.1.2)",
                ));
            }
            ctx.note(format!(
                "AS: code already redeemed {} time(s); one-time-codes is off, so it is accepted again.",
                issued.redemptions
            ));
        }

        // PROTOCOL 10: codes expire (§4.1.2).
        if issued.expired(ctx.now, d.code_lifetime_secs) {
            return Err(invalid_grant(format!(
                "authorization code expired (lifetime {} s)",
                d.code_lifetime_secs.unwrap_or_default()
            )));
        }

        // PROTOCOL 12: redirect_uri as in the authorization request (§4.1.3).
        let sent = params.single("redirect_uri").ok().flatten();
        let redirect_problem = issued.request.redirect.token_request_problem(sent);
        match (redirect_problem, d.token_redirect_uri_check) {
            (Some(p), true) => return Err(invalid_grant(format!("{p} (RFC 6749 §4.1.3)"))),
            (Some(p), false) => ctx.note(format!(
                "AS: {p}; token-redirect-uri-check is off, so the AS lets it pass."
            )),
            (None, _) => {}
        }

        // PROTOCOL 14: PKCE (RFC 7636 §4.6, RFC 9700 §4.8.2).
        let verifier = params.single("code_verifier").ok().flatten();
        let outcome =
            pkce_at_token(issued.request.pkce.as_ref(), verifier, &d).map_err(invalid_grant)?;
        match outcome {
            PkceOutcome::Verified(m) => ctx.note(format!(
                "AS: {} of the code_verifier matches the stored code_challenge (RFC 7636 §4.6).",
                if m == crate::protocol::pkce::ChallengeMethod::S256 {
                    "SHA-256"
                } else {
                    "the plain value"
                }
            )),
            PkceOutcome::VerifierIgnored => ctx.note(
                "AS: a code_verifier came although no code_challenge was stored; reject-verifier-without-challenge is off, so the AS ignores it (the PKCE downgrade of RFC 9700 §4.8.2 goes unnoticed).",
            ),
            PkceOutcome::NotUsed => ctx.note("AS: this code has no PKCE binding."),
        }

        // RFC 6749 §3.3 (and consented-scope-enforced), RFC 8707 §2.
        let (scope, wider) = Self::decide_scope(
            ctx,
            client,
            &issued.request.scope,
            params,
            "what the user consented to for this code",
        )?;
        let resource =
            self.decide_audience(ctx, params, issued.request.resource.as_deref(), &scope)?;

        // Success: a new grant (token family).
        let family = self.tokens.new_family(
            &client.client_id,
            &issued.user,
            &issued.request.scope,
            Some(code),
            issued.request.resource.as_deref(),
            ctx.now,
        );
        self.tokens.widen_scope(&family, &wider);
        if let Some(c) = self.authorizer.code_at_mut(index) {
            c.redemptions += 1;
            c.families.push(family.clone());
        }
        let Some((access_token, jti)) = self.tokens.issue_access_token_for(
            ctx.rng,
            ctx.now,
            &family,
            &scope,
            resource.as_deref(),
            binding.map(|b| b.jkt.as_str()),
        ) else {
            return Err(OAuthError::new(ErrorCode::ServerError, "grant vanished"));
        };
        let refresh_token = if client.allows_grant(GrantType::RefreshToken) {
            self.tokens
                .issue_refresh_token(ctx.rng, ctx.now, &family, refresh_jkt(binding))
        } else {
            None
        };
        let id_token = scope.iter().any(|s| s == "openid").then(|| {
            let name = scope
                .iter()
                .any(|s| s == "profile")
                .then(|| {
                    self.sessions
                        .user(&issued.user)
                        .map(|u| u.display_name.clone())
                })
                .flatten();
            self.tokens.issue_id_token(
                ctx.now,
                &client.client_id,
                &issued.user,
                issued.auth_time,
                issued.request.nonce.as_ref().map(Secret::expose),
                name.as_deref(),
            )
        });
        let aud = self
            .tokens
            .access_record(&jti)
            .map(|a| a.claims.aud.clone())
            .unwrap_or_default();
        ctx.note(format!(
            "AS: code redeemed; issued an RS256 JWT access token (typ at+jwt, jti {jti}, aud {aud}, scope {}){}{} in grant {family}.",
            scope.join(" "),
            if refresh_token.is_some() {
                ", a refresh token"
            } else {
                ""
            },
            match (&id_token, issued.request.nonce.is_some()) {
                // OIDC Core §3.1.3.3: the ID token's `aud` is the client_id; §2 `nonce`
                // is echoed only when the authorization request carried one.
                (Some(_), true) => ", an ID token (aud = client_id, with the nonce)",
                (Some(_), false) => {
                    ", an ID token (aud = client_id, no nonce: the authorization request carried none)"
                }
                (None, _) => "",
            },
        ));
        note_binding(ctx, binding);
        Ok(token_ok(&TokenResponse {
            access_token: AccessToken::new(access_token),
            token_type: token_type(binding),
            expires_in: Some(self.tokens.lifetimes().access_token_secs),
            refresh_token: refresh_token.map(RefreshToken::new),
            id_token: id_token.map(IdToken::new),
            scope: Some(scope.join(" ")),
        }))
    }

    /// `grant_type=refresh_token` (RFC 6749 §6; RFC 9700 §4.14.2).
    fn refresh(
        &mut self,
        ctx: &mut Ctx<'_>,
        client: &ClientRegistration,
        params: &Params,
        binding: Option<&Binding>,
    ) -> Result<Response, OAuthError> {
        let token = required(params, "refresh_token")?;
        let (index, record) = (self.tokens.find_refresh(token))
            .and_then(|index| Some((index, self.tokens.refresh_at(index).cloned()?)))
            .ok_or_else(|| invalid_grant("unknown refresh token"))?;
        if record.client_id != client.client_id {
            return Err(invalid_grant(format!(
                "this refresh token was issued to another client, not {}",
                client.client_id
            )));
        }
        let Some(family) = self.tokens.family(&record.family) else {
            return Err(invalid_grant("unknown grant"));
        };
        if let Some(why) = &family.revoked {
            return Err(invalid_grant(format!(
                "the grant {} was revoked: {why}",
                family.id
            )));
        }
        // What the grant says, not the tokens it has issued (a list that grows with
        // every refresh).
        let family = GrantTerms {
            id: family.id.clone(),
            scope: family.scope.clone(),
            resource: family.resource.clone(),
        };
        if ctx.now >= record.expires_at {
            return Err(invalid_grant("refresh token expired"));
        }
        Self::dpop_refresh_binding(ctx, record.jkt.as_deref(), binding)?;
        let rotation = ctx.defenses.refresh_rotation;
        if record.consumed {
            if rotation {
                self.tokens
                    .revoke_family(&family.id, "a rotated-out refresh token was used again");
                ctx.note(format!(
                    "AS: refresh token {} was already rotated out — two parties hold it; revoked the whole grant {} (RFC 9700 §4.14.2).",
                    short(token),
                    family.id
                ));
                return Err(invalid_grant(
                    "refresh token already used; the whole grant is revoked (RFC 9700 §4.14.2)",
                ));
            }
            ctx.note("AS: this refresh token was rotated out earlier, but refresh-rotation is off now, so it is still accepted.");
        }
        let (scope, wider) =
            Self::decide_scope(ctx, client, &family.scope, params, "the original grant")?;
        let resource = self.decide_audience(ctx, params, family.resource.as_deref(), &scope)?;
        self.tokens.widen_scope(&family.id, &wider);
        let Some((access_token, jti)) = self.tokens.issue_access_token_for(
            ctx.rng,
            ctx.now,
            &family.id,
            &scope,
            resource.as_deref(),
            binding.map(|b| b.jkt.as_str()),
        ) else {
            return Err(OAuthError::new(ErrorCode::ServerError, "grant vanished"));
        };
        let refresh_token = if rotation {
            self.tokens.consume_refresh(index);
            let new =
                self.tokens
                    .issue_refresh_token(ctx.rng, ctx.now, &family.id, refresh_jkt(binding));
            ctx.note(format!(
                "AS: refresh token accepted and rotated: the old one is consumed, a new one returned (RFC 9700 §4.14.2); new access token jti {jti}."
            ));
            new
        } else {
            ctx.note(format!(
                "AS: refresh token accepted; refresh-rotation is off, so the same refresh token stays valid and none is returned; new access token jti {jti}."
            ));
            None
        };
        note_binding(ctx, binding);
        Ok(token_ok(&TokenResponse {
            access_token: AccessToken::new(access_token),
            token_type: token_type(binding),
            expires_in: Some(self.tokens.lifetimes().access_token_secs),
            refresh_token: refresh_token.map(RefreshToken::new),
            id_token: None,
            scope: Some(scope.join(" ")),
        }))
    }
}
