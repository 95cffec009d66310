//! Every defense, declared once. Adding a defense = one row here (its field, name,
//! texts and its value in each profile) + its enforcement in the code of the actor that
//! owns it. The struct, the [`DefenseId`] enum, the [`DEFENSES`] listing, the profiles
//! and the by-name operations are all generated from these rows by `defense_table!`.
//!
//! Each row's `bcp` value is the defense's "on" (safe) setting, its `naive` value the
//! "off" one; `rfc6749` is a typical 2012 deployment. `on_value`/`off_value` are those
//! two settings as `oauth-lab defenses` describes them.

use super::declare::defense_table;
use super::{PkceMethod, RedirectMatching, SHORT_CODE_LIFETIME_SECS};

defense_table! {
    /// Client sends `state` and checks it on the callback (RFC 6749 §10.12).
    State => state: bool {
        name: "state",
        owner: "client",
        explanation: "client sends a one-time `state` bound to the browser session and checks it on the callback",
        rfc: "RFC 6749 §10.12",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: true, bcp: true,
    }

    /// Client sends `nonce` and checks it in the ID token (OIDC Core §3.1.2.1, §15.5.2).
    Nonce => nonce: bool {
        name: "nonce",
        owner: "client",
        explanation: "client sends a `nonce` and checks it in the ID token",
        rfc: "OIDC Core §3.1.2.1, §15.5.2",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// PKCE method the client uses (RFC 7636 §4.2; RFC 9700 §2.1.1).
    Pkce => pkce: PkceMethod {
        name: "pkce",
        owner: "client",
        explanation: "client sends a PKCE challenge (on: S256; `--set pkce=plain` for plain)",
        rfc: "RFC 7636 §4; RFC 9700 §2.1.1",
        on_value: "S256", off_value: "off",
        naive: PkceMethod::Off, rfc6749: PkceMethod::Off, bcp: PkceMethod::S256,
    }

    /// AS requires a `code_challenge` (RFC 9700 §2.1.1).
    PkceRequired => pkce_required: bool {
        name: "pkce-required",
        owner: "AS",
        explanation: "AS refuses an authorization request without `code_challenge`",
        rfc: "RFC 9700 §2.1.1",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// AS refuses `code_challenge_method=plain` (RFC 7636 §4.2, §7.2).
    RejectPkcePlain => reject_pkce_plain: bool {
        name: "reject-pkce-plain",
        owner: "AS",
        explanation: "AS refuses `code_challenge_method=plain` (and a missing method)",
        rfc: "RFC 7636 §4.2, §7.2",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// AS refuses a `code_verifier` when no challenge was stored (RFC 9700 §4.8.2).
    RejectVerifierWithoutChallenge => reject_verifier_without_challenge: bool {
        name: "reject-verifier-without-challenge",
        owner: "AS",
        explanation: "AS refuses a `code_verifier` for a code that had no challenge (PKCE downgrade)",
        rfc: "RFC 9700 §4.8.2",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// How the AS matches redirect URIs (RFC 9700 §4.1.3).
    RedirectMatching => redirect_matching: RedirectMatching {
        name: "redirect-matching",
        owner: "AS",
        explanation: "AS compares `redirect_uri` by exact string (on) or by host only (off; `--set redirect-matching=prefix`)",
        rfc: "RFC 9700 §4.1.3; RFC 8252 §7.3",
        on_value: "exact", off_value: "host-only",
        naive: RedirectMatching::HostOnly, rfc6749: RedirectMatching::Prefix, bcp: RedirectMatching::Exact,
    }

    /// AS shows an error page, never a redirect, for an invalid redirect URI
    /// (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).
    NoRedirectOnInvalidUri => no_redirect_on_invalid_uri: bool {
        name: "no-redirect-on-invalid-uri",
        owner: "AS",
        explanation: "AS shows an error page, never a redirect, when the redirect URI or client is invalid",
        rfc: "RFC 6749 §4.1.2.1; RFC 9700 §4.11.2",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// AS accepts each code once (RFC 6749 §4.1.2).
    OneTimeCodes => one_time_codes: bool {
        name: "one-time-codes",
        owner: "AS",
        explanation: "AS accepts each authorization code once",
        rfc: "RFC 6749 §4.1.2",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: true, bcp: true,
    }

    /// AS revokes the tokens of a code that is redeemed twice (RFC 6749 §4.1.2, §10.5).
    RevokeOnCodeReuse => revoke_on_code_reuse: bool {
        name: "revoke-on-code-reuse",
        owner: "AS",
        explanation: "AS revokes every token issued from a code that is redeemed twice",
        rfc: "RFC 6749 §4.1.2, §10.5",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// Code lifetime in seconds; `None` = codes never expire (RFC 6749 §4.1.2).
    CodeLifetime => code_lifetime_secs: Option<u64> {
        name: "code-lifetime",
        owner: "AS",
        explanation: "authorization codes expire after 60 s of simulated time (off: never)",
        rfc: "RFC 6749 §4.1.2",
        on_value: "60", off_value: "none",
        naive: None, rfc6749: Some(600), bcp: Some(SHORT_CODE_LIFETIME_SECS),
    }

    /// AS redeems a code only for the client it was issued to (RFC 6749 §4.1.3).
    CodeBoundToClient => code_bound_to_client: bool {
        name: "code-bound-to-client",
        owner: "AS",
        explanation: "AS redeems a code only for the client it was issued to",
        rfc: "RFC 6749 §4.1.3",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: true, bcp: true,
    }

    /// AS checks `redirect_uri` at the token endpoint (RFC 6749 §4.1.3).
    TokenRedirectUriCheck => token_redirect_uri_check: bool {
        name: "token-redirect-uri-check",
        owner: "AS",
        explanation: "AS checks that `redirect_uri` at the token endpoint equals the authorization request's",
        rfc: "RFC 6749 §4.1.3",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: true, bcp: true,
    }

    /// AS sends `iss` in the authorization response and the client checks it (RFC 9207).
    IssParameter => iss_parameter: bool {
        name: "iss-parameter",
        owner: "AS + client",
        explanation: "AS adds `iss` to the authorization response and the client checks it",
        rfc: "RFC 9207 §2; RFC 9700 §4.4.2",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// Refresh tokens rotate; reuse of a consumed one revokes the family (RFC 9700 §4.14.2).
    RefreshRotation => refresh_rotation: bool {
        name: "refresh-rotation",
        owner: "AS",
        explanation: "refresh tokens rotate on use; reusing a consumed one revokes the whole grant",
        rfc: "RFC 9700 §4.14.2",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// RS checks the access token's `aud` (RFC 9068 §4, RFC 9700 §4.10).
    AudienceCheck => audience_check: bool {
        name: "audience-check",
        owner: "RS",
        explanation: "RS accepts only access tokens whose `aud` is its own identifier",
        rfc: "RFC 9068 §4; RFC 9700 §4.10",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// RS accepts RS256 only, whatever the token header says (RFC 8725 §3.1).
    AlgPinning => alg_pinning: bool {
        name: "alg-pinning",
        owner: "RS",
        explanation: "RS verifies RS256 only, never the algorithm the token's header names",
        rfc: "RFC 8725 §2.1, §3.1",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// RS asks the AS whether a token is still active (RFC 7662), so revocation takes effect.
    TokenIntrospection => token_introspection: bool {
        name: "token-introspection",
        owner: "RS",
        explanation: "RS asks the AS whether each token is still active, so revocation takes effect",
        rfc: "RFC 7662 §2",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// Client callback page sends `Referrer-Policy: no-referrer` (RFC 9700 §4.2.4).
    ReferrerPolicy => referrer_policy: bool {
        name: "referrer-policy",
        owner: "client",
        explanation: "client's callback page sends `Referrer-Policy: no-referrer`",
        rfc: "RFC 9700 §4.2.4",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// AS answers form POSTs with 303, not 307 (RFC 9700 §4.12).
    Login303 => login_303: bool {
        name: "login-303",
        owner: "AS",
        explanation: "AS answers form POSTs (login, consent) with 303 See Other, not 307",
        rfc: "RFC 9700 §4.12",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// AS never grants more scope at the token or refresh endpoint than was consented
    /// (RFC 6749 §3.3, §6; RFC 6819 §5.1.5.1).
    ConsentedScopeEnforced => consented_scope_enforced: bool {
        name: "consented-scope-enforced",
        owner: "AS",
        explanation: "AS never grants more scope at the token or refresh endpoint than the user consented to",
        rfc: "RFC 6749 §3.3, §6; RFC 6819 §5.1.5.1",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: true, bcp: true,
    }

    /// AS refuses the implicit grant and the client accepts tokens only from its own
    /// token requests (RFC 9700 §2.1.2).
    NoImplicitGrant => no_implicit_grant: bool {
        name: "no-implicit-grant",
        owner: "AS + client",
        explanation: "AS refuses response_type=token; the client takes tokens only from its own token requests",
        rfc: "RFC 9700 §2.1.2",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// AS accepts authorization requests only as pushed requests, and the client pushes
    /// them (RFC 9126 §5, §6; FAPI 2.0 Security Profile §5.3.2.2).
    ParRequired => par_required: bool {
        name: "par-required",
        owner: "AS + client",
        explanation: "AS takes authorization requests only through its PAR endpoint (a one-time `request_uri`), so nobody but the authenticated client can start one; the client pushes its requests",
        rfc: "RFC 9126 §5, §6; RFC 9700 §2.1",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: false,
        on: true,
    }

    /// Client authenticates with a signed JWT instead of a shared secret, and the AS
    /// refuses the secret (RFC 7523 §2.2, §3; OIDC Core §9; FAPI 2.0 §5.3.3.4).
    PrivateKeyJwt => private_key_jwt: bool {
        name: "private-key-jwt",
        owner: "client + AS",
        explanation: "client authenticates with a JWT signed by its own key (private_key_jwt), so no shared secret exists to leak; the AS refuses its secret",
        rfc: "RFC 7523 §2.2, §3; OIDC Core §9",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: false,
        on: true,
    }

    /// A client assertion's `aud` is exactly the issuer, as one string, and the
    /// assertion is explicitly typed (draft-ietf-oauth-rfc7523bis §4, §5).
    StrictAssertionAudience => strict_assertion_audience: bool {
        name: "strict-assertion-audience",
        owner: "client + AS",
        explanation: "a client assertion's `aud` is exactly the AS's issuer, one string, typed `client-authentication+jwt` (off: the client uses the token endpoint URL the AS's metadata names, the AS accepts any of its endpoint URLs or an array)",
        rfc: "RFC 7523 §3; draft-ietf-oauth-rfc7523bis",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// AS login and consent pages refuse to be framed by other sites (RFC 9700 §4.16).
    FrameProtection => frame_protection: bool {
        name: "frame-protection",
        owner: "AS",
        explanation: "AS login and consent pages send `Content-Security-Policy: frame-ancestors 'none'` and `X-Frame-Options: DENY`, so the browser shows them in no other site's frame",
        rfc: "RFC 9700 §4.16",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// The client proves possession of a key with a DPoP proof on every token and API
    /// request; the AS binds the tokens it issues to that key (`cnf.jkt`, and the
    /// refresh tokens of public clients); the RS refuses a bound token without a proof
    /// by the same key (RFC 9449; RFC 9700 §2.2.1, §4.10.1).
    Dpop => dpop: bool {
        name: "dpop",
        owner: "client + AS + RS",
        explanation: "client signs a DPoP proof per request; AS binds tokens to its key (cnf.jkt); RS refuses a bound token without a proof by that key",
        rfc: "RFC 9449; RFC 9700 §2.2.1",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }

    /// AS and RS refuse a DPoP proof whose `jti` they have seen or whose `iat` is
    /// outside a short window (RFC 9449 §11.1).
    DpopProofReplayCheck => dpop_proof_replay_check: bool {
        name: "dpop-proof-replay-check",
        owner: "AS + RS",
        explanation: "AS and RS accept each DPoP proof once (jti cache) and only within 60 s of its iat",
        rfc: "RFC 9449 §11.1",
        on_value: "on", off_value: "off",
        naive: false, rfc6749: false, bcp: true,
    }
}
