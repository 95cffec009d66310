//! Pending authorization requests and the authorization codes issued for them
//! (RFC 6749 §4.1.1–§4.1.2), with the PKCE policy of the authorization and token
//! endpoints (RFC 7636 §4.4, §4.6; RFC 9700 §2.1.1, §4.8.2).

use std::collections::BTreeMap;

use crate::actors::{Defenses, SimTime};
use crate::protocol::pkce::{self, ChallengeMethod};
use crate::protocol::secret::{AuthorizationCode, Nonce, Secret, State};

/// How long a pending authorization request waits for login and consent.
pub const TRANSACTION_LIFETIME_SECS: u64 = 600;

/// A stored PKCE challenge (RFC 7636 §4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkceChallenge {
    pub challenge: String,
    pub method: ChallengeMethod,
}

/// What an authorization request asks for (RFC 6749 §3.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseType {
    /// `code`: the authorization code grant (RFC 6749 §4.1).
    #[default]
    Code,
    /// `token`: the implicit grant (RFC 6749 §4.2) — the access token itself comes back
    /// in the redirect URI's fragment. Accepted only with `no-implicit-grant` off.
    Token,
}

impl ResponseType {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseType::Code => "code",
            ResponseType::Token => "token",
        }
    }

    /// Where the authorization response parameters go: the query for `code`
    /// (RFC 6749 §4.1.2), the fragment for `token` (§4.2.2).
    pub fn in_fragment(self) -> bool {
        self == ResponseType::Token
    }
}

/// Where an authorization response goes, and the `redirect_uri` parameter as the
/// authorization request sent it, if it did (RFC 6749 §4.1.1, §4.1.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectTarget {
    pub uri: String,
    pub sent: Option<String>,
}

impl RedirectTarget {
    /// What is wrong with the token request's `redirect_uri` (docs/PROTOCOL.md item 12):
    /// it must be there and identical when the authorization request sent one, and may
    /// only name the URI the code was sent to otherwise (RFC 6749 §4.1.3).
    pub fn token_request_problem(&self, in_token_request: Option<&str>) -> Option<String> {
        match (&self.sent, in_token_request) {
            (Some(orig), Some(s)) if orig == s => None,
            (Some(_), None) => Some(
                "redirect_uri is required because the authorization request included one"
                    .to_string(),
            ),
            (Some(orig), Some(s)) => Some(format!(
                "redirect_uri {s} differs from {orig} in the authorization request"
            )),
            (None, Some(s)) if s != self.uri => Some(format!(
                "redirect_uri {s} differs from {} the code was sent to",
                self.uri
            )),
            (None, _) => None,
        }
    }
}

/// What a validated authorization request asked for. A code issued for it stays bound
/// to all of it: the client and redirect URI (RFC 6749 §4.1.3), the PKCE challenge
/// (RFC 7636 §4.6), the nonce (OIDC Core §3.1.2.1) and the resource (RFC 8707 §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRequest {
    pub client_id: String,
    pub redirect: RedirectTarget,
    pub scope: Vec<String>,
    pub pkce: Option<PkceChallenge>,
    /// OIDC Core §3.1.2.1.
    pub nonce: Option<Nonce>,
    /// The `resource` the access token is for (RFC 8707 §2), already validated.
    pub resource: Option<String>,
}

impl GrantRequest {
    pub fn scope_string(&self) -> String {
        self.scope.join(" ")
    }

    /// The stored PKCE challenge as the inspector shows it: `S256 <challenge>` or `none`.
    pub fn pkce_label(&self) -> String {
        self.pkce
            .as_ref()
            .map(|p| format!("{} {}", p.method.as_str(), p.challenge))
            .unwrap_or_else(|| "none".into())
    }
}

/// A validated authorization request waiting for login and consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub id: String,
    pub request: GrantRequest,
    /// `state` exactly as sent (RFC 6749 §4.1.2: returned unchanged).
    pub state: Option<State>,
    pub response_type: ResponseType,
    pub created: SimTime,
}

impl Transaction {
    /// The `state` to return with the response, as sent.
    pub fn state_value(&self) -> Option<&str> {
        self.state.as_ref().map(Secret::expose)
    }
}

/// An authorization code and everything it is bound to (RFC 6749 §4.1.2, §4.1.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    pub code: AuthorizationCode,
    /// The authorization request it answers; tokens from this code are for its scope
    /// and resource only (RFC 8707 §2).
    pub request: GrantRequest,
    pub user: String,
    /// Unix seconds.
    pub auth_time: u64,
    pub issued_at: SimTime,
    /// The lifetime in force when the code was issued (shown in the inspector; the
    /// token endpoint applies the one in force when the code is redeemed).
    pub lifetime_secs: Option<u64>,
    /// Successful redemptions.
    pub redemptions: u32,
    /// The token families created from this code (one per successful redemption).
    pub families: Vec<String>,
}

impl IssuedCode {
    /// Whether the code has expired at `now` under `lifetime` (RFC 6749 §4.1.2: "A
    /// maximum authorization code lifetime of 10 minutes is RECOMMENDED").
    pub fn expired(&self, now: SimTime, lifetime: Option<u64>) -> bool {
        lifetime.is_some_and(|secs| now > self.issued_at.plus_secs(secs))
    }
}

/// Pending transactions and issued codes.
#[derive(Debug, Clone, Default)]
pub struct Authorizer {
    transactions: BTreeMap<String, Transaction>,
    codes: Vec<IssuedCode>,
}

impl Authorizer {
    pub fn add_transaction(&mut self, txn: Transaction) {
        self.transactions.insert(txn.id.clone(), txn);
    }

    /// A pending transaction, if it exists and has not timed out.
    pub fn transaction(&self, id: &str, now: SimTime) -> Option<&Transaction> {
        self.transactions
            .get(id)
            .filter(|t| now <= t.created.plus_secs(TRANSACTION_LIFETIME_SECS))
    }

    /// Removes a transaction (it ends with an authorization response).
    pub fn take_transaction(&mut self, id: &str) -> Option<Transaction> {
        self.transactions.remove(id)
    }

    pub fn transactions(&self) -> impl Iterator<Item = &Transaction> {
        self.transactions.values()
    }

    /// Issues a code for a transaction the user approved.
    pub fn issue_code(
        &mut self,
        code: String,
        txn: &Transaction,
        user: &str,
        auth_time: u64,
        now: SimTime,
        lifetime_secs: Option<u64>,
    ) -> &IssuedCode {
        self.codes.push(IssuedCode {
            code: AuthorizationCode::new(code),
            request: txn.request.clone(),
            user: user.to_string(),
            auth_time,
            issued_at: now,
            lifetime_secs,
            redemptions: 0,
            families: Vec::new(),
        });
        let last = self.codes.len() - 1;
        &self.codes[last]
    }

    /// Finds a code, comparing each stored code in constant time.
    pub fn find(&self, code: &str) -> Option<usize> {
        self.codes.iter().position(|c| c.code.ct_eq(code))
    }

    pub fn code_at(&self, index: usize) -> Option<&IssuedCode> {
        self.codes.get(index)
    }

    pub fn code_at_mut(&mut self, index: usize) -> Option<&mut IssuedCode> {
        self.codes.get_mut(index)
    }

    pub fn codes(&self) -> &[IssuedCode] {
        &self.codes
    }
}

/// The authorization endpoint's PKCE policy (docs/PROTOCOL.md item 6; RFC 7636 §4.4.1,
/// RFC 9700 §2.1.1). Returns the challenge to store, or the `error_description` of an
/// `invalid_request`.
pub fn pkce_at_authorize(
    challenge: Option<&str>,
    method: Option<&str>,
    defenses: &Defenses,
) -> Result<Option<PkceChallenge>, String> {
    let Some(challenge) = challenge else {
        return if defenses.pkce_required {
            Err("code_challenge is required (PKCE, RFC 9700 §2.1.1)".into())
        } else {
            Ok(None)
        };
    };
    // RFC 7636 §4.3: a missing method means `plain`.
    let Some(method) = ChallengeMethod::parse(method) else {
        return Err("code_challenge_method must be S256 (RFC 7636 §4.3)".into());
    };
    if method == ChallengeMethod::Plain && defenses.reject_pkce_plain {
        return Err(
            "code_challenge_method plain (or no method) is not allowed; use S256 (RFC 7636 §7.2)"
                .into(),
        );
    }
    // RFC 7636 §4.2: the challenge has the verifier's syntax (43–128 unreserved chars).
    if !pkce::verifier_is_well_formed(challenge) {
        return Err("code_challenge must be 43-128 characters of [A-Za-z0-9-._~]".into());
    }
    Ok(Some(PkceChallenge {
        challenge: challenge.to_string(),
        method,
    }))
}

/// What the token endpoint's PKCE check concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkceOutcome {
    /// The verifier matches the stored challenge (RFC 7636 §4.6).
    Verified(ChallengeMethod),
    /// No challenge was stored and no verifier came.
    NotUsed,
    /// A verifier came without a stored challenge and the AS ignored it
    /// (`reject_verifier_without_challenge` off: the downgrade of RFC 9700 §4.8.2 works).
    VerifierIgnored,
}

/// The token endpoint's PKCE check (docs/PROTOCOL.md item 14). `Err` is the
/// `error_description` of an `invalid_grant`.
pub fn pkce_at_token(
    stored: Option<&PkceChallenge>,
    verifier: Option<&str>,
    defenses: &Defenses,
) -> Result<PkceOutcome, String> {
    match (stored, verifier) {
        (Some(_), None) => Err(
            "a code_challenge was sent with the authorization request, so code_verifier is required (RFC 7636 §4.6; RFC 9700 §2.1.1)"
                .into(),
        ),
        (Some(c), Some(v)) => {
            if pkce::verify(v, &c.challenge, c.method) {
                Ok(PkceOutcome::Verified(c.method))
            } else {
                Err(format!(
                    "code_verifier does not match the stored code_challenge ({}, RFC 7636 §4.6)",
                    c.method.as_str()
                ))
            }
        }
        (None, Some(_)) if defenses.reject_verifier_without_challenge => Err(
            "code_verifier sent but the authorization request had no code_challenge (PKCE downgrade, RFC 9700 §4.8.2)"
                .into(),
        ),
        (None, Some(_)) => Ok(PkceOutcome::VerifierIgnored),
        (None, None) => Ok(PkceOutcome::NotUsed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn authorize_policy_follows_the_defenses() {
        let bcp = Defenses::bcp();
        assert!(pkce_at_authorize(None, None, &bcp).is_err());
        assert!(pkce_at_authorize(Some(CHALLENGE), None, &bcp).is_err());
        assert!(pkce_at_authorize(Some(CHALLENGE), Some("plain"), &bcp).is_err());
        assert!(pkce_at_authorize(Some(CHALLENGE), Some("s256"), &bcp).is_err());
        assert!(pkce_at_authorize(Some("short"), Some("S256"), &bcp).is_err());
        let ok = pkce_at_authorize(Some(CHALLENGE), Some("S256"), &bcp).unwrap();
        assert_eq!(ok.unwrap().method, ChallengeMethod::S256);

        let naive = Defenses::naive();
        assert_eq!(pkce_at_authorize(None, Some("S256"), &naive), Ok(None));
        let plain = pkce_at_authorize(Some(VERIFIER), None, &naive).unwrap();
        assert_eq!(plain.unwrap().method, ChallengeMethod::Plain);
        assert!(pkce_at_authorize(Some(VERIFIER), Some("md5"), &naive).is_err());
    }

    #[test]
    fn token_policy_catches_missing_wrong_and_downgraded_verifiers() {
        let bcp = Defenses::bcp();
        let stored = PkceChallenge {
            challenge: CHALLENGE.into(),
            method: ChallengeMethod::S256,
        };
        assert_eq!(
            pkce_at_token(Some(&stored), Some(VERIFIER), &bcp),
            Ok(PkceOutcome::Verified(ChallengeMethod::S256))
        );
        assert!(pkce_at_token(Some(&stored), None, &bcp).is_err());
        assert!(pkce_at_token(Some(&stored), Some(CHALLENGE), &bcp).is_err());
        assert!(pkce_at_token(None, Some(VERIFIER), &bcp).is_err());
        assert_eq!(pkce_at_token(None, None, &bcp), Ok(PkceOutcome::NotUsed));
        let mut lax = Defenses::bcp();
        lax.reject_verifier_without_challenge = false;
        assert_eq!(
            pkce_at_token(None, Some(VERIFIER), &lax),
            Ok(PkceOutcome::VerifierIgnored)
        );
    }

    #[test]
    fn codes_expire_under_the_lifetime_in_force() {
        let mut a = Authorizer::default();
        let txn = Transaction {
            id: "t".into(),
            request: GrantRequest {
                client_id: "c".into(),
                redirect: RedirectTarget {
                    uri: "https://c.example/cb".into(),
                    sent: None,
                },
                scope: vec!["openid".into()],
                pkce: None,
                nonce: None,
                resource: None,
            },
            state: None,
            response_type: ResponseType::Code,
            created: SimTime::ZERO,
        };
        a.issue_code("abc".into(), &txn, "alice", 0, SimTime::ZERO, Some(60));
        let i = a.find("abc").unwrap();
        let code = a.code_at(i).unwrap();
        assert!(!code.expired(SimTime(60_000), Some(60)));
        assert!(code.expired(SimTime(60_001), Some(60)));
        assert!(!code.expired(SimTime(1_000_000_000), None));
        assert!(a.find("abd").is_none());
    }
}
