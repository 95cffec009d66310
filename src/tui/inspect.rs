//! What the inspector derives from a step beyond its decoded view: each token's
//! signature checked against the AS's JWKS (cached per step, since RSA verification is
//! the one costly thing on screen), and the PKCE story up to the selected step.

use jsonwebtoken::jwk::JwkSet;

use crate::protocol::{dpop, jwt, pkce};
use crate::sim::{Step, StepKind, Trace};

/// A token found in a message.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenView {
    /// Where it was found: `access_token`, `id_token`, `Authorization`, `DPoP`.
    pub found_in: String,
    pub header: serde_json::Value,
    pub claims: serde_json::Value,
    /// `Ok(description)` when the signature verifies with the pinned verifier.
    pub signature: Result<String, String>,
}

/// Derived data for one step of one world.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub generation: u64,
    pub cursor: usize,
    pub tokens: Vec<TokenView>,
}

/// The raw JWT a decoded one was found as.
fn raw_token(step: &Step, found_in: &str) -> Option<String> {
    if found_in.eq_ignore_ascii_case("authorization") {
        return step
            .decoded
            .header("authorization")
            .and_then(|a| {
                a.strip_prefix("Bearer ")
                    .or_else(|| a.strip_prefix("DPoP "))
            })
            .map(|t| t.trim().to_string());
    }
    if found_in.eq_ignore_ascii_case("dpop") {
        return step.decoded.header("dpop").map(|p| p.trim().to_string());
    }
    step.decoded.param(found_in)
}

/// A client assertion (RFC 7523 §2.2) is signed by the client, not the AS: it is checked
/// with the public key Photo Printer registered at the AS, pinned to EdDSA. Then its
/// `aud` is compared with the issuer of the AS the message goes to (the origin of its
/// URL), and its `typ` with `client-authentication+jwt` — what `strict-assertion-audience`
/// asks for (draft-ietf-oauth-rfc7523bis).
fn assertion_status(step: &Step, raw: &str) -> Result<String, String> {
    let key = crate::actors::client::config::photo_printer_key();
    let claims = crate::protocol::ed25519_key::verify_eddsa::<serde_json::Value>(raw, key.jwk())
        .map_err(|e| format!("{e} (checked with the key photo-printer registered)"))?;
    let mut s = format!(
        "valid: EdDSA signature by the key photo-printer registered at the AS (kid {})",
        key.kid()
    );
    let issuer = step
        .decoded
        .url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .map(|u| u.origin().ascii_serialization());
    if let Some(issuer) = issuer {
        let aud = &claims.claims["aud"];
        if aud.as_str() == Some(issuer.as_str()) {
            s.push_str(&format!(
                "; aud is exactly the issuer {issuer} of the AS it is sent to"
            ));
        } else {
            s.push_str(&format!(
                "; aud is {aud}, NOT the issuer {issuer} of the AS it is sent to as one string"
            ));
        }
    }
    let typed = claims.header["typ"] == crate::protocol::requests::CLIENT_AUTHENTICATION_TYP;
    s.push_str(if typed {
        "; typ client-authentication+jwt (explicitly typed)"
    } else {
        "; NOT explicitly typed (typ is not client-authentication+jwt)"
    });
    Ok(s)
}

/// A DPoP proof checked on its own terms (RFC 9449 §4.3): its signature by the key in
/// its `jwk` header and that key's thumbprint, `ath` recomputed from the access token
/// the message carries (§7.1), and whether that token's `cnf.jkt` names the same key
/// (§6.1).
fn proof_status(step: &Step, proof: &str) -> Result<String, String> {
    let opened = dpop::open_proof(proof)?;
    let mut s = format!(
        "valid: {} signature by the key in its own jwk header (thumbprint {})",
        opened.alg, opened.jkt
    );
    if let Some(token) = raw_token(step, "authorization") {
        let ath = dpop::access_token_hash(&token);
        s.push_str(if opened.claims.ath.as_deref() == Some(ath.as_str()) {
            "; ath = SHA-256 of this message's access token"
        } else {
            "; ath is NOT the SHA-256 of this message's access token"
        });
        let cnf = jwt::decode_unverified(&token)
            .ok()
            .and_then(|(_, c)| c["cnf"]["jkt"].as_str().map(str::to_string));
        s.push_str(match cnf {
            Some(j) if j == opened.jkt => "; the token's cnf.jkt is this key",
            Some(_) => "; the token's cnf.jkt names ANOTHER key",
            None => "; the token has no cnf.jkt (not bound)",
        });
    }
    Ok(s)
}

/// Checks every JWT in `step` against `jwks` (a client assertion against the client's
/// registered key).
pub fn tokens(step: &Step, jwks: Option<&JwkSet>) -> Vec<TokenView> {
    step.decoded
        .jwts
        .iter()
        .map(|j| {
            let signature = match (raw_token(step, &j.found_in), jwks) {
                (None, _) => Err("the token text was not found in the message".to_string()),
                (Some(raw), _) if j.found_in == "client_assertion" => assertion_status(step, &raw),
                (Some(raw), _) if j.found_in.eq_ignore_ascii_case("dpop") => {
                    proof_status(step, &raw)
                }
                (Some(_), None) => Err("no JWKS in this world to check against".to_string()),
                (Some(raw), Some(jwks)) => {
                    match jwt::verify_pinned::<serde_json::Value>(&raw, jwks) {
                        Ok(v) => Ok(format!(
                            "valid: RS256 signature by key {} from as.example's JWKS",
                            v.header.get("kid").and_then(|k| k.as_str()).unwrap_or("?")
                        )),
                        Err(e) => Err(e.to_string()),
                    }
                }
            };
            TokenView {
                found_in: j.found_in.clone(),
                header: j.header.clone(),
                claims: j.claims.clone(),
                signature,
            }
        })
        .collect()
}

/// The PKCE exchange as far as the selected step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PkceStory {
    /// The authorization request that carried (or lacked) a challenge.
    pub authorize_step: Option<usize>,
    pub challenge: Option<String>,
    pub method: Option<String>,
    /// The token request that carried (or lacked) a verifier.
    pub token_step: Option<usize>,
    pub verifier: Option<String>,
    /// SHA-256 of the verifier, hex; and its base64url, the computed challenge.
    pub sha256_hex: Option<String>,
    pub computed: Option<String>,
    /// The AS's answer to the token request, if it is known yet.
    pub answer_step: Option<usize>,
    pub answer: Option<String>,
}

fn is_to_path(step: &Step, method: &str, suffix: &str) -> bool {
    step.kind == StepKind::Request
        && step.decoded.method.as_deref() == Some(method)
        && step
            .decoded
            .url
            .as_deref()
            .is_some_and(|u| u.split('?').next().unwrap_or("").ends_with(suffix))
}

/// Finds the latest authorization request at or before `cursor`, and the code
/// redemption after it.
pub fn pkce_story(trace: &Trace, cursor: usize) -> PkceStory {
    let upto = &trace.steps[..(cursor + 1).min(trace.steps.len())];
    let mut story = PkceStory::default();
    let Some(auth) = upto
        .iter()
        .rev()
        .find(|s| is_to_path(s, "GET", "/authorize") && s.to.as_str() == "as")
    else {
        return story;
    };
    story.authorize_step = Some(auth.index);
    story.challenge = auth.decoded.param("code_challenge");
    story.method = auth.decoded.param("code_challenge_method");
    let Some(tok) = upto[auth.index..].iter().find(|s| {
        is_to_path(s, "POST", "/token")
            && s.decoded.param("grant_type").as_deref() == Some("authorization_code")
    }) else {
        return story;
    };
    story.token_step = Some(tok.index);
    story.verifier = tok.decoded.param("code_verifier");
    if let Some(v) = &story.verifier {
        story.sha256_hex = Some(pkce::sha256_hex(v));
        story.computed = Some(match story.method.as_deref() {
            Some("plain") => v.clone(),
            _ => pkce::s256(v),
        });
    }
    if let Some(id) = tok.msg_id
        && let Some(resp) = upto
            .iter()
            .find(|s| s.kind == StepKind::Response && s.in_reply_to == Some(id))
    {
        story.answer_step = Some(resp.index);
        story.answer = Some(match resp.decoded.param("error") {
            Some(e) => format!(
                "{} {e}{}",
                resp.decoded.status.unwrap_or(0),
                resp.decoded
                    .param("error_description")
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ),
            None => format!("{} — tokens issued", resp.decoded.status.unwrap_or(0)),
        });
    }
    story
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::default_flow;
    use crate::testing::{auth_server, finished_flow, first_step};

    #[test]
    fn pkce_story_of_the_happy_path_matches() {
        let mut sim = default_flow(3, Default::default());
        sim.run_until_idle();
        let last = sim.trace().steps.len() - 1;
        let s = pkce_story(sim.trace(), last);
        assert_eq!(s.method.as_deref(), Some("S256"));
        assert_eq!(s.computed, s.challenge);
        assert!(s.answer.unwrap().starts_with("200"));
    }

    /// The first step of a flow under `defenses` that carries a client assertion.
    fn first_assertion_step(defenses: crate::actors::Defenses) -> Step {
        let mut sim = default_flow(3, defenses);
        sim.run_until_idle();
        sim.trace()
            .steps
            .iter()
            .find(|s| s.decoded.param("client_assertion").is_some())
            .expect("an assertion in the flow")
            .clone()
    }

    #[test]
    fn client_assertions_are_checked_with_the_clients_registered_key() {
        let step = &first_assertion_step(crate::actors::defenses::Profile::Fapi2.defenses());
        let views = tokens(step, None);
        let a = views
            .iter()
            .find(|v| v.found_in == "client_assertion")
            .expect("decoded like a token");
        assert!(
            a.signature.as_ref().is_ok_and(|s| s.contains("EdDSA")),
            "{:?}",
            a.signature
        );
        assert_eq!(a.claims["iss"], "photo-printer");
        let forged = crate::protocol::ed25519_key::Ed25519Key::demo("mallory")
            .sign(jsonwebtoken::Header::default(), &a.claims);
        assert!(assertion_status(step, &forged).is_err());
    }

    #[test]
    fn tokens_verify_against_the_as_jwks() {
        let sim = finished_flow(3, Default::default());
        let jwks = auth_server(&sim).jwks().clone();
        let step = first_step(&sim, "token response", |s| {
            s.decoded.param("access_token").is_some()
        });
        let t = tokens(step, Some(&jwks));
        assert!(!t.is_empty());
        assert!(t.iter().all(|t| t.signature.is_ok()), "{t:?}");
    }

    /// The API call of a bcp flow: the access token verifies against the JWKS, the DPoP
    /// proof by its own key, with `ath` recomputed and the token's `cnf.jkt` compared.
    #[test]
    fn a_dpop_proof_is_checked_with_its_own_key_ath_and_the_tokens_cnf() {
        let sim = finished_flow(3, crate::actors::Defenses::bcp());
        let jwks = auth_server(&sim).jwks().clone();
        let api = first_step(&sim, "API call with a DPoP proof", |s| {
            s.kind == StepKind::Request
                && s.to.as_str() == "rs"
                && s.decoded.header("dpop").is_some()
        });
        let t = tokens(api, Some(&jwks));
        let proof = t.iter().find(|t| t.found_in == "DPoP").expect("the proof");
        let status = proof.signature.as_ref().unwrap();
        assert!(
            status.contains("EdDSA signature by the key in its own jwk header"),
            "{status}"
        );
        assert!(
            status.contains("ath = SHA-256 of this message's access token"),
            "{status}"
        );
        assert!(
            status.contains("the token's cnf.jkt is this key"),
            "{status}"
        );
        let at = t
            .iter()
            .find(|t| t.found_in == "Authorization")
            .expect("the token");
        assert!(at.signature.is_ok(), "{at:?}");
    }

    /// The client assertions of a `fapi2` flow: signed by the registered key, `aud`
    /// exactly the issuer of the AS they go to, explicitly typed; without
    /// `strict-assertion-audience` the client addresses the token endpoint URL, untyped,
    /// and the inspector says so.
    #[test]
    fn a_client_assertion_shows_whether_its_aud_is_the_issuer_and_it_is_typed() {
        use crate::actors::{DefenseId, Profile};
        let status_of = |defenses: crate::actors::Defenses| {
            let t = tokens(&first_assertion_step(defenses), None);
            let a = t.iter().find(|t| t.found_in == "client_assertion").unwrap();
            a.signature.clone().unwrap()
        };
        let strict = status_of(Profile::Fapi2.defenses());
        assert!(
            strict.contains("aud is exactly the issuer https://as.example of the AS it is sent to"),
            "{strict}"
        );
        assert!(
            strict.contains("; typ client-authentication+jwt (explicitly typed)"),
            "{strict}"
        );
        let mut lax = Profile::Fapi2.defenses();
        lax.set_on(DefenseId::StrictAssertionAudience, false);
        let lax = status_of(lax);
        assert!(
            lax.contains("aud is \"https://as.example/token\", NOT the issuer https://as.example"),
            "{lax}"
        );
        assert!(lax.contains("NOT explicitly typed"), "{lax}");
    }

    /// A proof and an assertion explain `typ`, `jti`, `iss`, `sub` as their own RFCs do,
    /// not as an access token's.
    #[test]
    fn proof_and_assertion_claims_have_their_own_meanings() {
        use crate::protocol::glossary::claim_of;
        assert_eq!(claim_of("DPoP", "typ").unwrap().rfc, "RFC 9449 §4.2");
        assert_eq!(
            claim_of("client_assertion", "sub").unwrap().rfc,
            "RFC 7523 §3; OIDC Core §9"
        );
        assert_eq!(
            claim_of("access_token", "typ").unwrap().rfc,
            "RFC 9068 §2.1"
        );
        assert_eq!(claim_of("DPoP", "htm").unwrap().rfc, "RFC 9449 §4.2");
    }
}
