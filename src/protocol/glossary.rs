//! What each OAuth, OpenID Connect, JWT and HTTP parameter means, in one line, with the
//! section of the RFC that defines it: the inspector's Params and Tokens tabs and the
//! HTML export's parameter tables.

/// One known parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub name: &'static str,
    pub meaning: &'static str,
    pub rfc: &'static str,
}

const fn t(name: &'static str, meaning: &'static str, rfc: &'static str) -> Term {
    Term { name, meaning, rfc }
}

/// OAuth / OIDC parameters found in query strings, forms and JSON bodies.
pub const PARAMS: &[Term] = &[
    t(
        "response_type",
        "what the client asks for: `code` = an authorization code",
        "RFC 6749 §3.1.1",
    ),
    t(
        "client_id",
        "which registered application is asking",
        "RFC 6749 §2.2",
    ),
    t(
        "client_secret",
        "the confidential client's password (better in Authorization)",
        "RFC 6749 §2.3.1",
    ),
    t(
        "redirect_uri",
        "where the AS sends the browser back with the result",
        "RFC 6749 §3.1.2",
    ),
    t(
        "scope",
        "what access is requested or was granted",
        "RFC 6749 §3.3",
    ),
    t(
        "state",
        "one-time value tying the callback to this browser session (CSRF defense)",
        "RFC 6749 §10.12",
    ),
    t(
        "nonce",
        "value the ID token must echo, tying it to this sign-in (replay defense)",
        "OIDC Core §3.1.2.1",
    ),
    t(
        "code_challenge",
        "PKCE: hash of the secret verifier the client keeps",
        "RFC 7636 §4.2",
    ),
    t(
        "code_challenge_method",
        "PKCE: how the challenge was derived (S256 or plain)",
        "RFC 7636 §4.3",
    ),
    t(
        "code_verifier",
        "PKCE: the secret whose hash was the challenge; proves who asked",
        "RFC 7636 §4.5",
    ),
    t(
        "code",
        "the authorization code: a one-time, short-lived ticket for tokens",
        "RFC 6749 §4.1.2",
    ),
    t(
        "iss",
        "which AS produced this response (mix-up defense)",
        "RFC 9207 §2",
    ),
    t(
        "grant_type",
        "which kind of grant the client redeems at the token endpoint",
        "RFC 6749 §4.1.3",
    ),
    t(
        "refresh_token",
        "long-lived credential to get new access tokens without the user",
        "RFC 6749 §1.5",
    ),
    t(
        "access_token",
        "the credential the client presents to the API",
        "RFC 6749 §1.4",
    ),
    t(
        "token_type",
        "how to present the access token (`Bearer`)",
        "RFC 6749 §7.1",
    ),
    t(
        "expires_in",
        "seconds until the access token expires",
        "RFC 6749 §5.1",
    ),
    t(
        "id_token",
        "signed JWT telling the client who the user is",
        "OIDC Core §2",
    ),
    t("error", "machine-readable error code", "RFC 6749 §5.2"),
    t(
        "error_description",
        "human-readable explanation of the error",
        "RFC 6749 §5.2",
    ),
    t("error_uri", "a page explaining the error", "RFC 6749 §5.2"),
    t(
        "token",
        "the token the caller asks about (introspection, revocation)",
        "RFC 7662 §2.1",
    ),
    t(
        "token_type_hint",
        "whether `token` is an access or a refresh token",
        "RFC 7662 §2.1",
    ),
    t(
        "active",
        "whether the introspected token is currently valid",
        "RFC 7662 §2.2",
    ),
    t(
        "txn",
        "the AS's own id for the pending authorization request (not OAuth)",
        "—",
    ),
    t(
        "username",
        "the user's login name, typed into the AS's own form",
        "—",
    ),
    t(
        "password",
        "the user's password; only the AS ever sees it",
        "RFC 6749 §1.1",
    ),
    t(
        "decision",
        "the user's answer on the consent screen (allow / deny)",
        "RFC 6749 §4.1.1",
    ),
    t(
        "prompt",
        "whether the AS should re-ask for login or consent",
        "OIDC Core §3.1.2.1",
    ),
    t(
        "login_hint",
        "which account the client expects",
        "OIDC Core §3.1.2.1",
    ),
    t(
        "response_mode",
        "how the AS returns the result (query, fragment, form_post)",
        "OAuth Multiple Response Types §2.1",
    ),
    t("owner", "whose photos these are (the API's own field)", "—"),
    t(
        "photos",
        "the protected resource itself (the API's own field)",
        "—",
    ),
    t(
        "keys",
        "the AS's public signing keys (a JWK Set)",
        "RFC 7517 §5",
    ),
    t(
        "issuer",
        "the AS's identifier; must equal the URL it was fetched from",
        "RFC 8414 §2",
    ),
    t(
        "authorization_endpoint",
        "where the browser is sent to log in and consent",
        "RFC 8414 §2",
    ),
    t(
        "token_endpoint",
        "where the client redeems codes and refresh tokens",
        "RFC 8414 §2",
    ),
    t(
        "jwks_uri",
        "where the public signing keys are published",
        "RFC 8414 §2",
    ),
    t(
        "introspection_endpoint",
        "where resource servers ask whether a token is active",
        "RFC 8414 §2",
    ),
    t(
        "revocation_endpoint",
        "where tokens are revoked",
        "RFC 8414 §2",
    ),
    t("scopes_supported", "scopes the AS knows", "RFC 8414 §2"),
    t(
        "response_types_supported",
        "response types the AS supports",
        "RFC 8414 §2",
    ),
    t(
        "grant_types_supported",
        "grant types the AS supports",
        "RFC 8414 §2",
    ),
    t(
        "code_challenge_methods_supported",
        "PKCE methods the AS supports",
        "RFC 8414 §2",
    ),
    t(
        "token_endpoint_auth_methods_supported",
        "how clients may authenticate at the token endpoint",
        "RFC 8414 §2",
    ),
    t(
        "authorization_response_iss_parameter_supported",
        "the AS sends `iss` in authorization responses",
        "RFC 9207 §3",
    ),
    t(
        "subject_types_supported",
        "how user ids are given to clients",
        "OIDC Discovery §3",
    ),
    t(
        "id_token_signing_alg_values_supported",
        "algorithms the AS signs ID tokens with",
        "OIDC Discovery §3",
    ),
];

/// JWT header fields and claims.
pub const CLAIMS: &[Term] = &[
    t(
        "alg",
        "signature algorithm; the verifier must pin it, never trust it",
        "RFC 7515 §4.1.1; RFC 8725 §3.1",
    ),
    t(
        "kid",
        "which key in the JWKS signed this token",
        "RFC 7515 §4.1.4",
    ),
    t(
        "typ",
        "token type: `at+jwt` for access tokens, `JWT` for ID tokens",
        "RFC 9068 §2.1",
    ),
    t("iss", "who issued the token", "RFC 7519 §4.1.1"),
    t(
        "sub",
        "who the token is about (the user)",
        "RFC 7519 §4.1.2",
    ),
    t(
        "aud",
        "who the token is for; a recipient must find itself here",
        "RFC 7519 §4.1.3",
    ),
    t(
        "exp",
        "expiry time; after it the token must be refused",
        "RFC 7519 §4.1.4",
    ),
    t("iat", "when the token was issued", "RFC 7519 §4.1.6"),
    t("nbf", "not valid before this time", "RFC 7519 §4.1.5"),
    t(
        "jti",
        "unique id of this token (for revocation and replay checks)",
        "RFC 7519 §4.1.7",
    ),
    t(
        "client_id",
        "the client the token was issued to",
        "RFC 9068 §2.2",
    ),
    t("scope", "what the token allows", "RFC 9068 §2.2.3"),
    t(
        "cnf",
        "the key the token is bound to: `jkt` = the DPoP key's thumbprint",
        "RFC 9449 §6.1; RFC 7800 §3.1",
    ),
    t(
        "jwk",
        "the public key that signed this DPoP proof",
        "RFC 9449 §4.2",
    ),
    t(
        "htm",
        "the HTTP method of the request this DPoP proof is for",
        "RFC 9449 §4.2",
    ),
    t(
        "htu",
        "the URL (no query, no fragment) this DPoP proof is for",
        "RFC 9449 §4.2",
    ),
    t(
        "ath",
        "SHA-256 of the access token sent with this DPoP proof",
        "RFC 9449 §4.2",
    ),
    t(
        "auth_time",
        "when the user actually logged in",
        "OIDC Core §2",
    ),
    t(
        "nonce",
        "echo of the client's nonce; ties the ID token to its sign-in",
        "OIDC Core §2",
    ),
    t("name", "the user's display name", "OIDC Core §5.1"),
];

/// Claims whose meaning differs in a DPoP proof (RFC 9449 §4.2); the rest as in
/// [`CLAIMS`].
pub const PROOF_CLAIMS: &[Term] = &[
    t(
        "typ",
        "explicit type: `dpop+jwt` marks a DPoP proof, so no other JWT passes for one",
        "RFC 9449 §4.2",
    ),
    t(
        "jti",
        "unique id of this proof: a server that remembers it refuses a replay",
        "RFC 9449 §4.2, §11.1",
    ),
    t(
        "iat",
        "when the proof was made: a server takes it only within a short window",
        "RFC 9449 §4.2, §11.1",
    ),
];

/// Claims whose meaning differs in a client assertion (RFC 7523 §3); the rest as in
/// [`CLAIMS`].
pub const ASSERTION_CLAIMS: &[Term] = &[
    t(
        "typ",
        "explicit type: `client-authentication+jwt` marks a client assertion",
        "draft-ietf-oauth-rfc7523bis",
    ),
    t(
        "kid",
        "which of the keys the client registered signed it",
        "RFC 7515 §4.1.4; RFC 7523 §3",
    ),
    t(
        "iss",
        "the client that signed the assertion: its client_id",
        "RFC 7523 §3",
    ),
    t(
        "sub",
        "the client it authenticates: its client_id again",
        "RFC 7523 §3; OIDC Core §9",
    ),
    t(
        "aud",
        "the AS it is for: with strict audience, exactly its issuer",
        "RFC 7523 §3; draft-ietf-oauth-rfc7523bis",
    ),
    t(
        "jti",
        "unique id of this assertion: the AS refuses one it has seen",
        "RFC 7523 §3",
    ),
    t(
        "exp",
        "expiry time; after it the AS refuses the assertion",
        "RFC 7523 §3",
    ),
];

/// HTTP headers.
pub const HEADERS: &[Term] = &[
    t("host", "which site the request is for", "RFC 9110 §7.2"),
    t(
        "location",
        "where a redirect sends the browser next",
        "RFC 9110 §10.2.2",
    ),
    t(
        "authorization",
        "credentials: Basic client id/secret, or a Bearer token",
        "RFC 9110 §11.6.2; RFC 6750 §2.1",
    ),
    t(
        "www-authenticate",
        "why a request was refused, and how to authenticate",
        "RFC 6750 §3",
    ),
    t(
        "cookie",
        "the browser's cookies for this site",
        "RFC 6265 §5.4",
    ),
    t(
        "set-cookie",
        "the site asks the browser to store a cookie",
        "RFC 6265 §4.1",
    ),
    t("content-type", "the format of the body", "RFC 9110 §8.3"),
    t(
        "content-length",
        "the size of the body in bytes",
        "RFC 9110 §8.6",
    ),
    t(
        "cache-control",
        "`no-store` keeps tokens out of caches",
        "RFC 6749 §5.1; RFC 9111 §5.2",
    ),
    t(
        "pragma",
        "old HTTP/1.0 cache control (`no-cache`)",
        "RFC 6749 §5.1",
    ),
    t(
        "referer",
        "the page the browser came from; can leak codes in URLs",
        "RFC 9110 §10.1.3; RFC 9700 §4.2.4",
    ),
    t(
        "referrer-policy",
        "how much of this page's URL the browser may leak as Referer",
        "W3C Referrer Policy; RFC 9700 §4.2.4",
    ),
    t("accept", "formats the caller accepts", "RFC 9110 §12.5.1"),
    t(
        "dpop",
        "a DPoP proof: a JWT signed with the client's key for this request",
        "RFC 9449 §4.1",
    ),
    t(
        "dpop-nonce",
        "a nonce the server wants in the client's next DPoP proof",
        "RFC 9449 §8.1",
    ),
    t("origin", "the site that started the request", "RFC 6454 §7"),
];

fn find(table: &'static [Term], name: &str) -> Option<&'static Term> {
    table.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

/// The meaning of a query, form or JSON parameter.
pub fn param(name: &str) -> Option<&'static Term> {
    find(PARAMS, name)
}

/// The meaning of a JWT header field or claim.
pub fn claim(name: &str) -> Option<&'static Term> {
    find(CLAIMS, name)
}

/// The meaning of a header field or claim of the JWT found in `found_in`: a DPoP proof
/// (the `DPoP` header) and a `client_assertion` have their own meanings for some
/// claims, the rest as in [`claim`].
pub fn claim_of(found_in: &str, name: &str) -> Option<&'static Term> {
    let own = if found_in.eq_ignore_ascii_case("dpop") {
        find(PROOF_CLAIMS, name)
    } else if found_in == "client_assertion" {
        find(ASSERTION_CLAIMS, name)
    } else {
        None
    };
    own.or_else(|| claim(name))
}

/// The meaning of an HTTP header.
pub fn header(name: &str) -> Option<&'static Term> {
    find(HEADERS, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_unique_names_and_text() {
        for table in [PARAMS, CLAIMS, HEADERS] {
            let mut names: Vec<&str> = table.iter().map(|t| t.name).collect();
            names.sort_unstable();
            let n = names.len();
            names.dedup();
            assert_eq!(n, names.len(), "duplicate names");
            for t in table {
                assert!(!t.meaning.is_empty() && !t.rfc.is_empty(), "{}", t.name);
            }
        }
        assert!(param("code_verifier").unwrap().rfc.contains("7636"));
        assert!(header("Location").is_some());
        assert!(claim("aud").is_some());
    }
}
