//! ID token validation by the client (OpenID Connect Core §3.1.3.7): signature against
//! the AS's JWKS (RS256 pinned), `iss`, `aud` (one value or an array), `azp`, `exp`,
//! `iat`, `nonce`, and `auth_time` when `max_age` was sent.

use serde::Deserialize;

use super::Client;
use crate::actors::Ctx;
use crate::protocol::jwt;

/// How far ahead of the client's clock an ID token's `iat` may be. OIDC Core
/// §3.1.3.7 item 10 leaves the acceptable range to the client; this one allows five
/// minutes of clock skew between the AS and itself.
pub const IAT_MAX_FUTURE_SECS: u64 = 300;

/// `aud`: a single case-sensitive string or an array of them (OIDC Core §2).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn values(&self) -> Vec<&str> {
        match self {
            Audience::One(a) => vec![a.as_str()],
            Audience::Many(list) => list.iter().map(String::as_str).collect(),
        }
    }
}

/// The claims the client reads from an ID token, as OIDC Core §2 defines them:
/// `auth_time` and `azp` are optional.
#[derive(Debug, Clone, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    aud: Audience,
    exp: u64,
    iat: u64,
    #[serde(default)]
    auth_time: Option<u64>,
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    azp: Option<String>,
}

/// Checks `aud` and `azp` for `client_id` (OIDC Core §3.1.3.7 items 3–5).
fn check_audience(c: &Claims, client_id: &str) -> Result<(), String> {
    let audiences = c.aud.values();
    if !audiences.contains(&client_id) {
        return Err(format!(
            "aud is {}, which does not list this client {client_id} (OIDC Core §3.1.3.7, item 3)",
            audiences.join(", ")
        ));
    }
    if audiences.len() > 1 && c.azp.is_none() {
        return Err(format!(
            "aud lists {} audiences ({}) but there is no azp naming the party it was issued to (OIDC Core §3.1.3.7, item 4)",
            audiences.len(),
            audiences.join(", ")
        ));
    }
    if let Some(azp) = c.azp.as_deref()
        && azp != client_id
    {
        return Err(format!(
            "azp is {azp}: the ID token was issued to another client, not {client_id} (OIDC Core §3.1.3.7, item 5)"
        ));
    }
    Ok(())
}

/// Checks `exp`, `iat` and — when the authorization request carried `max_age` —
/// `auth_time` against the client's clock (OIDC Core §3.1.3.7 items 9, 10 and 13).
fn check_times(c: &Claims, now: u64, max_age: Option<u64>) -> Result<(), String> {
    if now >= c.exp {
        return Err("the ID token has expired (OIDC Core §3.1.3.7, item 9)".into());
    }
    if c.iat > now.saturating_add(IAT_MAX_FUTURE_SECS) {
        return Err(format!(
            "iat is {} s ahead of this client's clock; it accepts at most {IAT_MAX_FUTURE_SECS} s of clock skew (OIDC Core §3.1.3.7, item 10)",
            c.iat - now
        ));
    }
    if let Some(max_age) = max_age {
        let Some(auth_time) = c.auth_time else {
            return Err(format!(
                "max_age={max_age} was requested but the ID token has no auth_time (OIDC Core §3.1.3.7, item 13; §3.1.2.1)"
            ));
        };
        if now > auth_time.saturating_add(max_age) {
            return Err(format!(
                "the user authenticated {} s ago, longer than the max_age of {max_age} s this client asked for (OIDC Core §3.1.3.7, item 13)",
                now.saturating_sub(auth_time)
            ));
        }
    }
    Ok(())
}

/// Checks `nonce` against the one this session sent (OIDC Core §3.1.3.7 item 11).
fn check_nonce(c: &Claims, expected: Option<&str>) -> Result<(), String> {
    match (expected, c.nonce.as_deref()) {
        (Some(e), Some(n)) if e == n => Ok(()),
        (None, _) => Err("this session sent no nonce, so no ID token can be accepted (OIDC Core §15.5.2)".into()),
        (Some(_), None) => Err("the ID token has no nonce (OIDC Core §3.1.3.7, item 11)".into()),
        (Some(_), Some(_)) => Err("the ID token's nonce is not the one this session sent (OIDC Core §3.1.3.7, item 11; §15.5.2)".into()),
    }
}

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
        let verified = jwt::verify_pinned::<Claims>(token, jwks)
            .map_err(|e| format!("{e} (OIDC Core §3.1.3.7, item 6)"))?;
        let c = verified.claims;
        if c.iss != reg.issuer {
            return Err(format!(
                "iss is {}, expected {} (OIDC Core §3.1.3.7, item 2)",
                c.iss, reg.issuer
            ));
        }
        check_audience(&c, &reg.client_id)?;
        check_times(&c, ctx.now.unix_secs(), self.config.max_age)?;
        if ctx.defenses.nonce {
            check_nonce(&c, expected_nonce)?;
        }
        ctx.note(format!(
            "Client: ID token verified — RS256 signature by {}, iss, aud = {}, not expired{}{}.",
            reg.issuer,
            reg.client_id,
            match self.config.max_age {
                Some(m) => format!(", authenticated within max_age {m} s"),
                None => String::new(),
            },
            if ctx.defenses.nonce {
                ", nonce matches the session"
            } else {
                " (nonce not checked: defense off)"
            }
        ));
        Ok(c.sub)
    }
}
