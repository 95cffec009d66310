//! ID token validation by the client (OpenID Connect Core §3.1.3.7): signature against
//! the AS's JWKS (RS256 pinned), `iss`, `aud`, `exp`, and `nonce`.

use super::Client;
use crate::actors::Ctx;
use crate::protocol::jwt::{self, IdTokenClaims};

impl Client {
    /// Returns the `sub` of a valid ID token, or why it is refused.
    pub(super) fn validate_id_token(
        &self,
        ctx: &mut Ctx<'_>,
        as_index: usize,
        token: &str,
        expected_nonce: Option<&str>,
    ) -> Result<String, String> {
        let reg = self.config.auth_servers.get(as_index).ok_or("unknown AS")?;
        let jwks = self
            .known
            .get(as_index)
            .and_then(|k| k.jwks.as_ref())
            .ok_or("the AS's JWKS is not loaded")?;
        let verified = jwt::verify_pinned::<IdTokenClaims>(token, jwks)
            .map_err(|e| format!("{e} (OIDC Core §3.1.3.7, item 6)"))?;
        let c = verified.claims;
        if c.iss != reg.issuer {
            return Err(format!(
                "iss is {}, expected {} (OIDC Core §3.1.3.7, item 2)",
                c.iss, reg.issuer
            ));
        }
        if c.aud != reg.client_id {
            return Err(format!(
                "aud is {}, not this client {} (OIDC Core §3.1.3.7, item 3)",
                c.aud, reg.client_id
            ));
        }
        if ctx.now.unix_secs() >= c.exp {
            return Err("the ID token has expired (OIDC Core §3.1.3.7, item 9)".into());
        }
        if ctx.defenses.nonce {
            match (expected_nonce, c.nonce.as_deref()) {
                (Some(e), Some(n)) if e == n => {}
                (None, _) => return Err("this session sent no nonce, so no ID token can be accepted (OIDC Core §15.5.2)".into()),
                (Some(_), None) => return Err("the ID token has no nonce (OIDC Core §3.1.3.7, item 11)".into()),
                (Some(_), Some(_)) => {
                    return Err("the ID token's nonce is not the one this session sent (OIDC Core §3.1.3.7, item 11; §15.5.2)".into());
                }
            }
        }
        ctx.note(format!(
            "Client: ID token verified — RS256 signature by {}, iss, aud = {}, not expired{}.",
            reg.issuer,
            reg.client_id,
            if ctx.defenses.nonce {
                ", nonce matches the session"
            } else {
                " (nonce not checked: defense off)"
            }
        ));
        Ok(c.sub)
    }
}
