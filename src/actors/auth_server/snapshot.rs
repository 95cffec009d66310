//! The AS's state for the inspector's State tab. Values are shown in full: the
//! inspector shows secrets on purpose (docs/ARCHITECTURE.md, `protocol/`).

use super::{AuthServer, ResponseType};
use crate::actors::StateSection;
use crate::actors::clock::duration_label;
use crate::protocol::secret::{Secret, exposed_or_none};

impl AuthServer {
    pub(crate) fn state_sections(&self) -> Vec<StateSection> {
        let now = self.last_now;
        let mut clients = StateSection::new("Registered clients");
        for c in self.registrar.clients() {
            let secret = c
                .secret
                .as_ref()
                .map(|s| format!("secret {}", s.expose()))
                .unwrap_or_else(|| "no secret".into());
            let grants: Vec<&str> = c.grant_types.iter().map(|g| g.as_str()).collect();
            clients.push(
                c.client_id.clone(),
                format!(
                    "{} ({}), {secret}; redirect URIs [{}]; scopes [{}]; grants [{}]{}",
                    c.name,
                    c.client_type.as_str(),
                    c.redirect_uris.join(", "),
                    c.scopes.join(" "),
                    grants.join(", "),
                    if c.may_introspect {
                        "; may introspect"
                    } else {
                        ""
                    }
                ),
            );
        }

        let mut users = StateSection::new("Users");
        for u in self.sessions.users() {
            users.push(
                u.username.clone(),
                format!("password {}", u.password.expose()),
            );
        }

        let mut sessions = StateSection::new("Login sessions (cookie as_session)");
        for s in self.sessions.sessions() {
            sessions.push(
                s.id.expose().to_string(),
                format!("{} signed in at {}", s.user, s.created.clock_label()),
            );
        }

        let mut txns = StateSection::new("Pending authorization requests");
        for t in self.authorizer.transactions() {
            let (r, pkce) = (&t.request, t.request.pkce_label());
            txns.push(
                t.id.clone(),
                format!(
                    "client {}, redirect_uri {}, state {}, scope {}, code_challenge {pkce}, nonce {}{}{}",
                    r.client_id,
                    r.redirect.uri,
                    t.state_value().unwrap_or("(none)"),
                    r.scope_string(),
                    exposed_or_none(r.nonce.as_ref()),
                    resource_suffix(r.resource.as_deref()),
                    if t.response_type == ResponseType::Token {
                        ", response_type token (implicit)"
                    } else {
                        ""
                    }
                ),
            );
        }

        let mut codes = StateSection::new("Authorization codes");
        for c in self.authorizer.codes() {
            let (r, pkce) = (&c.request, c.request.pkce_label());
            let expiry = match c.lifetime_secs {
                None => "never expires".to_string(),
                Some(secs) => {
                    let end = c.issued_at.plus_secs(secs);
                    if now > end {
                        "expired".to_string()
                    } else {
                        format!("expires in {}", duration_label((end.0 - now.0) / 1000))
                    }
                }
            };
            codes.push(
                c.code.expose().to_string(),
                format!(
                    "user {}, client {}, redirect_uri {}, code_challenge {pkce}, scope {}{}, {}, {expiry}",
                    c.user,
                    r.client_id,
                    r.redirect.uri,
                    r.scope_string(),
                    resource_suffix(r.resource.as_deref()),
                    match c.redemptions {
                        0 => "unused".to_string(),
                        n => format!("used {n}×"),
                    }
                ),
            );
        }

        let mut families = StateSection::new("Token families (one per grant)");
        for f in self.tokens.families() {
            families.push(
                f.id.clone(),
                format!(
                    "{} / {}, scope {}{}, {} access token(s), {} refresh token(s), {}",
                    f.user,
                    f.client_id,
                    f.scope.join(" "),
                    resource_suffix(f.resource.as_deref()),
                    f.access_jtis.len(),
                    f.refresh_tokens.len(),
                    match &f.revoked {
                        Some(why) => format!("REVOKED: {why}"),
                        None => "active".into(),
                    }
                ),
            );
        }

        let mut access = StateSection::new("Access tokens (by jti)");
        for a in self.tokens.access_tokens() {
            let status = if a.revoked || self.tokens.family_revoked(&a.family) {
                "revoked"
            } else if now.unix_secs() >= a.claims.exp {
                "expired"
            } else {
                "active"
            };
            access.push(
                a.jti.clone(),
                format!(
                    "{status}; {}, sub {}, client {}, aud {}, scope {}; {}",
                    a.family,
                    a.claims.sub,
                    a.claims.client_id,
                    a.claims.aud,
                    a.claims.scope,
                    a.token.expose()
                ),
            );
        }

        let mut refresh = StateSection::new("Refresh tokens");
        for r in self.tokens.refresh_tokens() {
            let status = if self.tokens.family_revoked(&r.family) {
                "revoked"
            } else if r.consumed {
                "consumed (rotated)"
            } else if now >= r.expires_at {
                "expired"
            } else {
                "active"
            };
            refresh.push(
                r.token.expose().to_string(),
                format!("{status}; {}, client {}", r.family, r.client_id),
            );
        }

        let mut consents = StateSection::new("Remembered consents");
        for ((user, client), scopes) in self.sessions.consents() {
            consents.push(
                format!("{user} → {client}"),
                scopes.iter().cloned().collect::<Vec<_>>().join(" "),
            );
        }

        vec![
            clients, users, sessions, txns, codes, families, access, refresh, consents,
        ]
    }
}

/// `, resource R` when a grant is bound to a resource (RFC 8707), else nothing.
fn resource_suffix(resource: Option<&str>) -> String {
    resource
        .map(|r| format!(", resource {r}"))
        .unwrap_or_default()
}
