//! Tokens: RS256 JWT access tokens (RFC 9068), OpenID Connect ID tokens (OIDC Core
//! §2, §3.1.3.6), and opaque refresh tokens (RFC 6749 §1.5) grouped in families — one
//! family per grant, i.e. per redeemed code — so that a whole grant can be revoked at
//! once (RFC 6749 §4.1.2, §10.5; RFC 9700 §4.14.2; RFC 7009 §2.1).

use std::collections::BTreeMap;

use jsonwebtoken::jwk::JwkSet;
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};

use crate::actors::SimTime;
use crate::actors::rng::random_token;
use crate::actors::well_known as wk;
use crate::protocol::deferred_sign::{self, Signatures};
use crate::protocol::jwt::{
    ACCESS_TOKEN_TYP, AccessTokenClaims, Confirmation, IdTokenClaims, SigningKey, jwks_of,
    verify_pinned,
};
use crate::protocol::secret::{AccessToken, AuthorizationCode, RefreshToken, Secret};

/// A resource server and the scopes it serves; its identifier is the `aud` of access
/// tokens carrying those scopes (RFC 9068 §3, RFC 8707 §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRegistration {
    pub identifier: String,
    pub scopes: Vec<String>,
}

impl ResourceRegistration {
    pub fn new(identifier: &str, scope: &str) -> Self {
        ResourceRegistration {
            identifier: identifier.to_string(),
            scopes: scope.split_whitespace().map(str::to_string).collect(),
        }
    }
}

/// Token lifetimes, in seconds of simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    pub access_token_secs: u64,
    pub id_token_secs: u64,
    pub refresh_token_secs: u64,
}

impl Lifetimes {
    /// The lifetimes of the standard world (`well_known.rs`).
    pub fn standard() -> Self {
        Lifetimes {
            access_token_secs: wk::ACCESS_TOKEN_LIFETIME_SECS,
            id_token_secs: wk::ID_TOKEN_LIFETIME_SECS,
            refresh_token_secs: wk::REFRESH_TOKEN_LIFETIME_SECS,
        }
    }
}

/// Every token of one grant (RFC 9700 §4.14.2 calls it the refresh token family).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    pub id: String,
    pub client_id: String,
    pub user: String,
    /// The scope the user granted; refreshes may narrow it, never widen it (RFC 6749 §6).
    pub scope: Vec<String>,
    /// The code the grant came from, if any.
    pub code: Option<AuthorizationCode>,
    /// The resource the grant is bound to (RFC 8707 §2), if the authorization request
    /// named one: every access token of the family is for it.
    pub resource: Option<String>,
    pub created: SimTime,
    /// Why the family was revoked, if it was.
    pub revoked: Option<String>,
    pub access_jtis: Vec<String>,
    pub refresh_tokens: Vec<RefreshToken>,
}

/// An access token the AS issued, by `jti`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRecord {
    pub jti: String,
    pub family: String,
    pub token: AccessToken,
    pub claims: AccessTokenClaims,
    /// Revoked on its own (RFC 7009) — the family may also be revoked.
    pub revoked: bool,
}

/// A refresh token the AS issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshRecord {
    pub token: RefreshToken,
    pub family: String,
    pub client_id: String,
    pub issued_at: SimTime,
    pub expires_at: SimTime,
    /// Replaced by a newer token through rotation (RFC 9700 §4.14.2).
    pub consumed: bool,
    /// The DPoP key thumbprint it is bound to (RFC 9449 §5: refresh tokens of public
    /// clients), if any.
    pub jkt: Option<String>,
}

/// Signs tokens and remembers every one of them.
#[derive(Debug, Clone)]
pub struct Issuer {
    issuer: String,
    key: SigningKey,
    jwks: JwkSet,
    resources: Vec<ResourceRegistration>,
    lifetimes: Lifetimes,
    families: Vec<Family>,
    access: Vec<AccessRecord>,
    refresh: Vec<RefreshRecord>,
    /// Access records whose token still has a promised signature in it (live mode,
    /// `protocol::deferred_sign`); always empty in the simulation.
    promised: Vec<usize>,
    /// Where each access record is, by `jti`.
    access_by_jti: BTreeMap<String, usize>,
    /// Where each refresh record is, by the SHA-256 of its token.
    refresh_by_digest: BTreeMap<[u8; 32], usize>,
}

/// The SHA-256 of a refresh token: what the AS looks a presented token up by, so the
/// lookup's time depends on a digest and not on how much of a stored token a guess
/// matches (RFC 6819 §5.1.4.1.3 keeps token hashes for the same reason).
fn digest_of(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl Issuer {
    pub fn new(
        issuer: &str,
        key: SigningKey,
        resources: Vec<ResourceRegistration>,
        lifetimes: Lifetimes,
    ) -> Self {
        Issuer {
            issuer: issuer.to_string(),
            jwks: jwks_of(&key),
            key,
            resources,
            lifetimes,
            families: Vec::new(),
            access: Vec::new(),
            refresh: Vec::new(),
            promised: Vec::new(),
            access_by_jti: BTreeMap::new(),
            refresh_by_digest: BTreeMap::new(),
        }
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    pub fn lifetimes(&self) -> Lifetimes {
        self.lifetimes
    }

    pub fn resources(&self) -> &[ResourceRegistration] {
        &self.resources
    }

    /// The audience of an access token for `scope` when the request named no
    /// `resource`: the first resource serving one of the scopes (RFC 9068 §3), else the
    /// AS itself (a token only for OIDC scopes).
    pub fn audience_for(&self, scope: &[String]) -> String {
        self.resources
            .iter()
            .find(|r| r.scopes.iter().any(|s| scope.contains(s)))
            .map(|r| r.identifier.clone())
            .unwrap_or_else(|| self.issuer.clone())
    }

    /// The resource with exactly this identifier.
    pub fn resource(&self, identifier: &str) -> Option<&ResourceRegistration> {
        self.resources.iter().find(|r| r.identifier == identifier)
    }

    /// Checks a `resource` parameter (RFC 8707 §2) against `scope`. The rule:
    ///
    /// - it is an absolute URI (RFC 3986 §4.3: a scheme, then the rest) without a
    ///   fragment (§2: "MUST NOT include a fragment component");
    /// - it names a registered resource, compared as an exact string (no
    ///   normalisation, like redirect URIs);
    /// - that resource serves at least one scope of `scope`.
    ///
    /// `Ok` is the resource's identifier, which becomes the access token's `aud`;
    /// `Err` is the `error_description` of an `invalid_target`.
    pub fn check_resource(&self, resource: &str, scope: &[String]) -> Result<String, String> {
        let shown: String = resource.chars().take(80).collect();
        if resource.contains('#') {
            return Err(format!("resource {shown} has a fragment (RFC 8707 §2)"));
        }
        if url::Url::parse(resource).is_err() {
            return Err(format!(
                "resource {shown} is not an absolute URI (RFC 8707 §2)"
            ));
        }
        let Some(reg) = self.resource(resource) else {
            return Err(format!(
                "resource {shown} is not a resource this AS issues tokens for (RFC 8707 §2)"
            ));
        };
        if !reg.scopes.iter().any(|s| scope.contains(s)) {
            return Err(format!(
                "resource {shown} serves none of the scopes {} (RFC 8707 §2)",
                scope.join(" ")
            ));
        }
        Ok(reg.identifier.clone())
    }

    /// Every scope a resource serves.
    pub fn resource_scopes(&self) -> impl Iterator<Item = &str> {
        self.resources
            .iter()
            .flat_map(|r| r.scopes.iter().map(String::as_str))
    }

    /// Starts a family for a new grant (bound to `resource`, if any); returns its id.
    pub fn new_family(
        &mut self,
        client_id: &str,
        user: &str,
        scope: &[String],
        code: Option<&str>,
        resource: Option<&str>,
        now: SimTime,
    ) -> String {
        let id = format!("grant-{}", self.families.len() + 1);
        self.families.push(Family {
            id: id.clone(),
            client_id: client_id.to_string(),
            user: user.to_string(),
            scope: scope.to_vec(),
            code: code.map(AuthorizationCode::new),
            resource: resource.map(str::to_string),
            created: now,
            revoked: None,
            access_jtis: Vec::new(),
            refresh_tokens: Vec::new(),
        });
        id
    }

    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.id == id)
    }

    fn family_mut(&mut self, id: &str) -> Option<&mut Family> {
        self.families.iter_mut().find(|f| f.id == id)
    }

    pub fn families(&self) -> &[Family] {
        &self.families
    }

    /// Adds scopes to a family's grant (only when `consented-scope-enforced` is off:
    /// the AS granted more than the user consented to).
    pub fn widen_scope(&mut self, family_id: &str, scope: &[String]) {
        if let Some(f) = self.family_mut(family_id) {
            for s in scope {
                if !f.scope.contains(s) {
                    f.scope.push(s.clone());
                }
            }
        }
    }

    /// Signs an RFC 9068 access token for the family with `scope` (RFC 9068 §2.2:
    /// iss, exp, aud, sub, client_id, iat, jti; plus scope). The `aud` is the family's
    /// resource if it has one, else [`Issuer::audience_for`].
    pub fn issue_access_token(
        &mut self,
        rng: &mut ChaCha20Rng,
        now: SimTime,
        family_id: &str,
        scope: &[String],
    ) -> Option<(String, String)> {
        let aud = self.family(family_id)?.resource.clone();
        self.issue_access_token_for(rng, now, family_id, scope, aud.as_deref(), None)
    }

    /// Like [`Issuer::issue_access_token`], with the audience given: `Some` a resource
    /// named by a `resource` parameter (RFC 8707 §2), `None` for
    /// [`Issuer::audience_for`]; and bound to the DPoP key whose thumbprint is `jkt`
    /// (`cnf.jkt`, RFC 9449 §6.1), if given.
    pub fn issue_access_token_for(
        &mut self,
        rng: &mut ChaCha20Rng,
        now: SimTime,
        family_id: &str,
        scope: &[String],
        audience: Option<&str>,
        jkt: Option<&str>,
    ) -> Option<(String, String)> {
        let family = self.family(family_id)?;
        let iat = now.unix_secs();
        let jti = random_token(rng, 16);
        let claims = AccessTokenClaims {
            iss: self.issuer.clone(),
            sub: family.user.clone(),
            aud: audience
                .map(str::to_string)
                .unwrap_or_else(|| self.audience_for(scope)),
            exp: iat + self.lifetimes.access_token_secs,
            iat,
            jti: jti.clone(),
            client_id: family.client_id.clone(),
            scope: scope.join(" "),
            cnf: jkt.map(|j| Confirmation { jkt: j.to_string() }),
        };
        let token = self.key.sign(ACCESS_TOKEN_TYP, &claims);
        if deferred_sign::holds_placeholder(&token) {
            self.promised.push(self.access.len());
        }
        self.access_by_jti.insert(jti.clone(), self.access.len());
        self.access.push(AccessRecord {
            jti: jti.clone(),
            family: family_id.to_string(),
            token: AccessToken::new(token.clone()),
            claims,
            revoked: false,
        });
        if let Some(f) = self.family_mut(family_id) {
            f.access_jtis.push(jti.clone());
        }
        Some((token, jti))
    }

    /// Issues a new refresh token in the family (RFC 6749 §1.5), bound to the DPoP key
    /// whose thumbprint is `jkt`, if given (RFC 9449 §5).
    pub fn issue_refresh_token(
        &mut self,
        rng: &mut ChaCha20Rng,
        now: SimTime,
        family_id: &str,
        jkt: Option<&str>,
    ) -> Option<String> {
        let client_id = self.family(family_id)?.client_id.clone();
        let token = random_token(rng, 32);
        self.refresh_by_digest
            .insert(digest_of(&token), self.refresh.len());
        self.refresh.push(RefreshRecord {
            token: RefreshToken::new(token.clone()),
            family: family_id.to_string(),
            client_id,
            issued_at: now,
            expires_at: now.plus_secs(self.lifetimes.refresh_token_secs),
            consumed: false,
            jkt: jkt.map(str::to_string),
        });
        if let Some(f) = self.family_mut(family_id) {
            f.refresh_tokens.push(RefreshToken::new(token.clone()));
        }
        Some(token)
    }

    /// Signs an ID token (OIDC Core §2: iss, sub, aud = client_id, exp, iat, auth_time,
    /// nonce when the request had one; `name` with scope `profile`, §5.4).
    pub fn issue_id_token(
        &self,
        now: SimTime,
        client_id: &str,
        user: &str,
        auth_time: u64,
        nonce: Option<&str>,
        name: Option<&str>,
    ) -> String {
        let iat = now.unix_secs();
        let claims = IdTokenClaims {
            iss: self.issuer.clone(),
            sub: user.to_string(),
            aud: client_id.to_string(),
            exp: iat + self.lifetimes.id_token_secs,
            iat,
            auth_time,
            nonce: nonce.map(str::to_string),
            name: name.map(str::to_string),
        };
        self.key.sign("JWT", &claims)
    }

    /// Puts the signatures live mode made after the lock into the access records that
    /// were issued with a placeholder for them.
    pub fn keep_promises(&mut self, signed: &Signatures) {
        let access = &mut self.access;
        self.promised.retain(|&i| {
            let Some(record) = access.get_mut(i) else {
                return false;
            };
            let token = signed.apply(record.token.expose());
            let still = deferred_sign::holds_placeholder(&token);
            record.token = AccessToken::new(token);
            still
        });
    }

    /// Revokes a whole family: every access and refresh token of the grant.
    pub fn revoke_family(&mut self, family_id: &str, reason: &str) -> bool {
        match self.family_mut(family_id) {
            Some(f) if f.revoked.is_none() => {
                f.revoked = Some(reason.to_string());
                true
            }
            _ => false,
        }
    }

    /// Revokes one access token (RFC 7009 §2.1).
    pub fn revoke_access(&mut self, jti: &str) -> bool {
        let index = self.access_by_jti.get(jti).copied();
        match index.and_then(|i| self.access.get_mut(i)) {
            Some(a) if !a.revoked => {
                a.revoked = true;
                true
            }
            _ => false,
        }
    }

    /// Marks a refresh token consumed (rotation).
    pub fn consume_refresh(&mut self, index: usize) {
        if let Some(r) = self.refresh.get_mut(index) {
            r.consumed = true;
        }
    }

    /// Finds a refresh token by its digest, then compares it in constant time.
    pub fn find_refresh(&self, token: &str) -> Option<usize> {
        let &index = self.refresh_by_digest.get(&digest_of(token))?;
        (self.refresh.get(index)?.token.ct_eq(token)).then_some(index)
    }

    pub fn refresh_at(&self, index: usize) -> Option<&RefreshRecord> {
        self.refresh.get(index)
    }

    pub fn refresh_tokens(&self) -> &[RefreshRecord] {
        &self.refresh
    }

    pub fn access_tokens(&self) -> &[AccessRecord] {
        &self.access
    }

    pub fn access_record(&self, jti: &str) -> Option<&AccessRecord> {
        self.access.get(*self.access_by_jti.get(jti)?)
    }

    pub fn family_revoked(&self, family_id: &str) -> bool {
        self.family(family_id).is_none_or(|f| f.revoked.is_some())
    }

    /// Whether the access token `jti` is known, unrevoked (alone or with its family) and
    /// unexpired at `now`.
    pub fn access_active(&self, jti: &str, now: SimTime) -> bool {
        self.access_record(jti).is_some_and(|a| {
            !a.revoked && !self.family_revoked(&a.family) && now.unix_secs() < a.claims.exp
        })
    }

    /// Whether a refresh token is usable at `now` (ignoring rotation state, which the
    /// token endpoint judges under the current defenses).
    pub fn refresh_active(&self, token: &str, now: SimTime) -> bool {
        self.find_refresh(token)
            .and_then(|i| self.refresh.get(i))
            .is_some_and(|r| !self.family_revoked(&r.family) && now < r.expires_at && !r.consumed)
    }

    /// Verifies a JWT access token of this AS: RS256 pinned, our key, `typ` `at+jwt`,
    /// our `iss` (RFC 9068 §4). Expiry and revocation are the caller's business.
    pub fn verify_access_token(&self, token: &str) -> Option<AccessTokenClaims> {
        let v = verify_pinned::<AccessTokenClaims>(token, &self.jwks).ok()?;
        let typ = v.header.get("typ").and_then(|t| t.as_str()).unwrap_or("");
        let typ_ok = typ.eq_ignore_ascii_case(ACCESS_TOKEN_TYP)
            || typ.eq_ignore_ascii_case("application/at+jwt");
        (typ_ok && v.claims.iss == self.issuer).then_some(v.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::rng::RngTree;

    fn issuer() -> Issuer {
        Issuer::new(
            "https://as.example",
            SigningKey::demo_as(),
            vec![ResourceRegistration::new(
                "https://rs.example",
                "photos.read photos.write",
            )],
            Lifetimes {
                access_token_secs: 600,
                id_token_secs: 600,
                refresh_token_secs: 3600,
            },
        )
    }

    #[test]
    fn tokens_live_and_die_with_their_family() {
        let mut rng = RngTree::new(1).child("as");
        let mut iss = issuer();
        let scope = vec!["openid".to_string(), "photos.read".to_string()];
        let fam = iss.new_family("c", "alice", &scope, Some("code"), None, SimTime::ZERO);
        let (at, jti) = iss
            .issue_access_token(&mut rng, SimTime::ZERO, &fam, &scope)
            .unwrap();
        let rt = iss
            .issue_refresh_token(&mut rng, SimTime::ZERO, &fam, None)
            .unwrap();
        let claims = iss.verify_access_token(&at).unwrap();
        assert_eq!(claims.aud, "https://rs.example");
        assert_eq!(claims.jti, jti);
        assert!(iss.access_active(&jti, SimTime(599_000)));
        assert!(!iss.access_active(&jti, SimTime(600_000)));
        assert!(iss.refresh_active(&rt, SimTime::ZERO));
        assert!(iss.revoke_family(&fam, "test"));
        assert!(!iss.access_active(&jti, SimTime::ZERO));
        assert!(!iss.refresh_active(&rt, SimTime::ZERO));
        assert_eq!(
            iss.audience_for(&["openid".to_string()]),
            "https://as.example"
        );
        // Resource indicators (RFC 8707 §2).
        let read = vec!["photos.read".to_string()];
        assert_eq!(
            iss.check_resource("https://rs.example", &read).as_deref(),
            Ok("https://rs.example")
        );
        for bad in [
            "rs.example",
            "/photos",
            "https://rs.example#x",
            "https://rs.example/",
            "https://RS.example",
            "https://other.example",
            "",
        ] {
            assert!(iss.check_resource(bad, &read).is_err(), "{bad}");
        }
        assert!(
            iss.check_resource("https://rs.example", &["openid".to_string()])
                .is_err()
        );
        // Another AS's token does not verify here.
        let other = SigningKey::demo_second_as().sign(ACCESS_TOKEN_TYP, &claims);
        assert!(iss.verify_access_token(&other).is_none());
    }
}
